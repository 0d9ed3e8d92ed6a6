"""Concurrency: parallel intakes get distinct, gap-free case numbers; of two dispatchers
acting on one case at once, exactly one wins and the other gets a Conflict (409).

Each thread has its own database connection (Django opens one per thread) and closes it at
the end. The tests commit for real (`transaction=True`), so they see each other's locks.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from zhili.cases.models import Case, CaseEvent, State
from zhili.cases.services import Intake, case_act, case_register
from zhili.core.errors import Conflict
from zhili.core.roles import Role
from zhili.orgs.services import token_issue

INTAKES = 50


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


postgres_only = pytest.mark.skipif(
    not on_postgres(),
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): row locks under real concurrency",
)
sqlite_only = pytest.mark.skipif(
    on_postgres(), reason="the SQLite variant of the intake test; PostgreSQL has its own"
)


def run_together(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `n` threads released at the same moment; results or exceptions."""
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


def intake(catalog: Any, i: int) -> Intake:
    return Intake(
        channel="hotline",
        category=catalog.lamp,
        title=f"路灯不亮 {i}",
        description="晚上整条路都是黑的",
        lat=34.505,
        lng=118.705,
    )


def assert_gap_free(results: list[Any], n: int) -> None:
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    numbers = sorted(int(case.case_no.rsplit("-", 1)[1]) for case in results)
    assert numbers == list(range(1, n + 1))
    prefixes = {case.case_no.rsplit("-", 1)[0] for case in results}
    assert len(prefixes) == 1
    assert Case.objects.count() == n


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_get_distinct_gap_free_numbers(staff: Any, catalog: Any) -> None:
    results = run_together(
        INTAKES,
        lambda i: case_register(actor=staff.dispatcher, intake=intake(catalog, i)),
    )
    assert_gap_free(results, INTAKES)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_on_sqlite(staff: Any, catalog: Any) -> None:
    # SQLite serialises writers: every intake takes the write lock at BEGIN (IMMEDIATE) and
    # the others wait for it (busy timeout), so the counter is read and bumped by one at once.
    if connection.is_in_memory_db():
        pytest.skip(
            "the in-memory SQLite test database shares one cache between threads, whose table "
            "locks fail at once ('database table is locked') instead of waiting like the file "
            "database in production; set DATABASES['default']['TEST']['NAME'] to a file to run it"
        )
    n = INTAKES
    results = run_together(
        n, lambda i: case_register(actor=staff.dispatcher, intake=intake(catalog, i))
    )
    assert_gap_free(results, n)


@pytest.fixture
def two_dispatchers(staff: Any, tree: Any, make_user: Any) -> tuple[Any, Any]:
    return staff.dispatcher, make_user("dispatcher2", tree.county, Role.DISPATCHER)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_one_wins_through_the_services(
    two_dispatchers: tuple[Any, Any], catalog: Any, rules: Any
) -> None:
    first, second = two_dispatchers
    case = case_register(actor=first, intake=intake(catalog, 0))
    # Both hold a copy read before either acts: both pass the state check, and the
    # conditional update decides.
    copies = [Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)]
    units = [rules.zjj.code, rules.cgj.code]
    results = run_together(
        2,
        lambda i: case_act(
            actor=(first, second)[i], case=copies[i], action="dispatch", unit=units[i]
        ),
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code == "concurrent_update"
    case.refresh_from_db()
    assert case.state == State.DISPATCHED
    assert case.lead_unit == winners[0].lead_unit
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_one_gets_409_through_the_api(
    two_dispatchers: tuple[Any, Any], catalog: Any, rules: Any
) -> None:
    first, second = two_dispatchers
    case = case_register(actor=first, intake=intake(catalog, 0))
    tokens = [token_issue(user=first), token_issue(user=second)]
    units = [rules.zjj.code, rules.cgj.code]

    def dispatch(i: int) -> Any:
        return Client().post(
            f"/api/v1/cases/{case.case_no}/actions/dispatch",
            {"unit": units[i]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[i]}",
        )

    for _attempt in range(3):
        results = run_together(2, dispatch)
        statuses = sorted(r.status_code for r in results)
        assert statuses == [200, 409], [r.content for r in results]
        loser = next(r for r in results if r.status_code == 409).json()
        assert loser["code"] in ("concurrent_update", "wrong_state")
        assert loser["detail"]
        # Put the case back for another round (a county dispatcher reassigns by return).
        case = Case.objects.get(pk=case.pk)
        Case.objects.filter(pk=case.pk).update(state=State.REGISTERED, lead_unit=None)
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 3
