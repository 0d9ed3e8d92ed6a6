"""Stamped caches: rebuilt when their data changes, and only then.

A value built inside the transaction that changed the data stays unversioned (a rollback
could discard what it holds); once that transaction has ended, by commit or by rollback,
values built afterwards are versioned again and kept. These tests use real transactions.
"""

import pytest
from django.db import transaction

from zhili.core import stamps

KEY = "tests.stamped"


@pytest.fixture
def cache():
    builds = []

    def build() -> int:
        builds.append(stamps.current(KEY))
        return len(builds)

    made = stamps.StampedCache(KEY, build, max_age=0)
    made.builds = builds  # type: ignore[attr-defined]
    yield made
    stamps._caches[KEY].remove(made)


@pytest.mark.django_db(transaction=True)
def test_a_value_is_rebuilt_once_after_a_committed_change(cache):
    assert cache.get() == 1
    with transaction.atomic():
        stamps.bump(KEY)
    with transaction.atomic():  # later transactions, as a web process serves requests
        assert cache.get() == 2
    for _ in range(3):
        with transaction.atomic():
            assert cache.get() == 2  # versioned: kept, not rebuilt every check
    assert len(cache.builds) == 2


@pytest.mark.django_db(transaction=True)
def test_a_value_built_inside_the_changing_transaction_is_not_kept(cache):
    with transaction.atomic():
        stamps.bump(KEY)
        assert cache.get() == 1  # sees the uncommitted change: must not be trusted later
    with transaction.atomic():
        assert cache.get() == 2
        assert cache.get() == 2
    assert len(cache.builds) == 2


@pytest.mark.django_db(transaction=True)
def test_after_a_rollback_the_change_is_forgotten(cache):
    assert cache.get() == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        stamps.bump(KEY)
        raise RuntimeError("rolled back")
    # The bump dropped this process's value at once; the rebuild after the rollback is
    # versioned again (the rolled-back transaction no longer counts), so it is kept.
    with transaction.atomic():
        value = cache.get()
    for _ in range(3):
        with transaction.atomic():
            assert cache.get() == value
    assert len(cache.builds) == 2
