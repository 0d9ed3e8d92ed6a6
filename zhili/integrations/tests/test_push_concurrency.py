"""Twenty pushes of one order at the same moment, each with its own connection and its own
signature (a sender's retries are signed anew): exactly one case, one 201, nineteen 200.

Commits for real (`transaction=True`), so the requests see each other's locks: on PostgreSQL
the losers' inserts fail on the unique (channel, external_id) and roll back to their
savepoint; on SQLite the writers are serialised and the losers find the winner's case.
"""

import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from zhili.cases.models import Case
from zhili.integrations.models import CategoryMapping, PushedOrder
from zhili.integrations.tests.conftest import order_body, signed_post

PUSHES = 20


def run_together(n: int, work: Any) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # handed back to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_pushes_of_one_order_make_one_case(sources: Any) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a file database (see zhili/cases/tests/test_concurrency.py)")
    secret = sources["hotline"][1]
    now = int(time.time())
    body = order_body(order_no="12345-RACE-1", category="一个新的分类")

    def push(i: int) -> Any:
        return signed_post(Client(), "hotline", secret, body, timestamp=now - i)

    results = run_together(PUSHES, push)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200] * (PUSHES - 1) + [201], [r.content for r in results]
    assert len({r.json()["case_no"] for r in results}) == 1
    assert Case.objects.filter(channel="hotline", external_id="12345-RACE-1").count() == 1
    assert PushedOrder.objects.count() == 1
    # Only the winner counted the text; the losers' savepoints rolled their counts back.
    mapping = CategoryMapping.objects.get(channel="hotline", text="一个新的分类")
    assert mapping.hit_count == 1 and mapping.category is None
