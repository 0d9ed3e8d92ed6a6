"""A list's total: exact on a small table or a small result, estimated by a systematic sample
above the exact limit (the limits are shrunk here so that a few hundred rows play a big
table)."""

from typing import Any

import pytest

from zhili.core import counting
from zhili.core.counting import Total, count_or_estimate, remembered
from zhili.core.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_table(db: Any) -> None:
    # The sampling reads ids in order, so the table must hold only this test's rows. A test
    # that runs a real server beside the suite can leave an audit row or two behind (its
    # processes may write after that test's flush).
    AuditLog.objects.all().delete()


def rows(n: int) -> None:
    """`n` audit rows, every other one "even", in id order."""
    AuditLog.objects.bulk_create(
        AuditLog(action="test.even" if i % 2 == 0 else "test.odd") for i in range(n)
    )


@pytest.fixture
def small_limits(monkeypatch: Any) -> None:
    # A "big" table of 400 rows: exact up to 20, sampled at 50 ids (every 8th).
    monkeypatch.setattr(counting, "EXACT_UP_TO", 20)
    monkeypatch.setattr(counting, "SMALL_TABLE", 50)
    monkeypatch.setattr(counting, "POINTS", 50)


def test_an_empty_table_counts_zero():
    assert count_or_estimate(AuditLog.objects.all()) == Total(0, True)


def test_a_small_table_is_counted_exactly():
    rows(30)
    assert count_or_estimate(AuditLog.objects.filter(action="test.even")) == Total(15, True)
    assert count_or_estimate(AuditLog.objects.all()).text == "共 30 条"


def test_a_big_result_is_estimated_from_the_sample_and_never_below_the_limit(small_limits):
    rows(400)
    # Every 8th id is sampled, always an "even" row: the sample rates the even rows at the
    # whole table and the odd ones at none, which the bounded count puts past the limit.
    assert count_or_estimate(AuditLog.objects.filter(action="test.even")) == Total(400, False)
    assert count_or_estimate(AuditLog.objects.filter(action="test.odd")) == Total(21, False)
    assert count_or_estimate(AuditLog.objects.all()) == Total(400, False)


def test_a_small_result_in_a_big_table_is_counted_exactly(small_limits):
    rows(400)
    # The first 12 rows, all in one stretch of the table: the sample sees 2 of them.
    first = AuditLog.objects.order_by("pk").values_list("pk", flat=True)[:12]
    assert count_or_estimate(AuditLog.objects.filter(pk__in=list(first))) == Total(12, True)
    assert count_or_estimate(AuditLog.objects.filter(action="none")) == Total(0, True)


def test_a_result_in_one_stretch_of_the_table_is_estimated_near_its_size(small_limits):
    rows(400)
    last = list(AuditLog.objects.order_by("-pk").values_list("pk", flat=True)[:120])
    total = count_or_estimate(AuditLog.objects.filter(pk__in=last))
    assert not total.exact and 100 <= total.value <= 140


def test_a_result_past_the_limit_that_the_sample_underrates_is_never_shown_below_it(
    small_limits,
):
    rows(400)
    # 25 rows between the sampled ids: the sample sees none, the count stops past 20.
    pks = list(AuditLog.objects.order_by("pk").values_list("pk", flat=True))
    sampled = {pks[0] + int(n * len(pks) / 50) for n in range(50)}
    unseen = [pk for pk in pks if pk not in sampled][:25]
    total = count_or_estimate(AuditLog.objects.filter(pk__in=unseen))
    assert total == Total(21, False)


@pytest.mark.parametrize(
    ("total", "text"),
    [
        (Total(0, True), "共 0 条"),
        (Total(9876, True), "共 9,876 条"),
        (Total(12_345, False), "约 1.2 万条"),
        (Total(65_000, False), "约 6.5 万条"),
        (Total(428_500, False), "约 42.9 万条"),
        (Total(1_000_000, False), "约 100 万条"),
    ],
)
def test_the_total_reads_as_officers_write_it(total, text):
    assert total.text == text


def test_a_total_is_remembered_for_a_while():
    calls = []

    def compute() -> Total:
        calls.append(1)
        return Total(len(calls), True)

    assert remembered("test.total", compute) == Total(1, True)
    assert remembered("test.total", compute) == Total(1, True)
    assert len(calls) == 1
