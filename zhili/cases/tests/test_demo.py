"""The cases demo: catalog, time limits, rules and a (smaller) generated year.

The orgs demo and a 2,000-case year are loaded once for the module and removed afterwards,
so the other modules, which build their own small trees, never see them.
"""

import io
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from itertools import groupby
from typing import Any

import pytest

from zhili.cases import deadlines
from zhili.cases.demo import catalog, loader, texts
from zhili.cases.demo.generator import CHANNELS
from zhili.cases.models import (
    Card,
    Case,
    CaseEvent,
    Category,
    ResponsibilityRule,
)
from zhili.cases.routing import route
from zhili.cases.workflow import ASSIST_TRANSITIONS, CLOCK_RUNNING, TRANSITIONS
from zhili.conftest import suite_clock
from zhili.core.models import NumberCounter, Series
from zhili.orgs.demo import load as load_orgs
from zhili.orgs.demo.data import DUTY_SEAT
from zhili.orgs.demo.hours import office_hours
from zhili.orgs.models import Grid
from zhili.orgs.tests.test_demo import _remove_demo

CASES = 2000


@pytest.fixture(scope="module")
def loaded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    with django_db_blocker.unblock():
        with suite_clock() as moment:
            load_orgs(stdout=io.StringIO())
            out = io.StringIO()
            loader.load(stdout=out, cases=CASES)
        LOADED_AT.append(moment)
        LOADED_OUTPUT.append(out.getvalue())
        yield out.getvalue()
        loader.unload()
        _remove_demo()


# The moment the demo was made at: what "now" means for its cards and deadlines.
LOADED_AT: list[datetime] = []
LOADED_OUTPUT: list[str] = []

pytestmark = [pytest.mark.usefixtures("loaded"), pytest.mark.django_db, pytest.mark.any_day]


def test_catalog_has_groups_and_leaves_with_keywords() -> None:
    groups = Category.objects.filter(depth=0)
    assert groups.count() == len(catalog.CATALOG) >= 15
    for group in groups:
        leaves = list(group.children.all())
        assert 3 <= len(leaves) <= 10
        for leaf in leaves:
            assert leaf.keywords and leaf.path == f"/{group.code}/{leaf.code}/"
    assert Category.objects.get(name="燃气泄漏").default_urgency == "emergency"


def test_every_leaf_resolves_a_time_limit() -> None:
    wages = Category.objects.get(name="拖欠工资")
    assert deadlines.limits_for(wages, "normal").handle == deadlines.Limit(10, "working_days")
    for leaf in Category.objects.filter(depth=1):
        for urgency in deadlines.DEFAULTS:
            assert deadlines.limits_for(leaf, urgency).handle.amount > 0


def test_rules_route_a_point_in_each_township() -> None:
    dispute = Category.objects.get(name="土地山林纠纷")
    for grid in Grid.objects.filter(code__endswith="00101"):
        lat, lng = (grid.min_lat + grid.max_lat) / 2, (grid.min_lng + grid.max_lng) / 2
        decision = route(category=dispute, lat=lat, lng=lng)
        if decision.location is not None:
            assert decision.unit == decision.location.township
            assert decision.dispatch_center == decision.location.township
    consult = Category.objects.get(name="政策咨询")
    assert route(category=consult, lat=None, lng=None).unit is None  # unmatched on purpose


def test_case_numbers_unique_and_sequential_per_day() -> None:
    numbers = Case.objects.values_list("case_no", flat=True)
    by_day: dict[str, list[int]] = {}
    for no in numbers:
        day, n = no[2:10], int(no.rsplit("-", 1)[1])
        by_day.setdefault(day, []).append(n)
    counters = {
        c.period.replace("-", ""): c.last for c in NumberCounter.objects.filter(series=Series.CASE)
    }
    for day, ns in by_day.items():
        assert sorted(ns) == list(range(1, len(ns) + 1))
        assert counters[day] == len(ns)


def test_cases_are_consistent() -> None:
    now = LOADED_AT[-1]
    for case in Case.objects.filter(is_demo=True):
        if case.state in CLOCK_RUNNING or case.state in ("replied", "closed", "rated"):
            assert case.lead_unit_id and case.due_at and case.acknowledge_due_at
        if case.state == "rated":
            assert case.rating and case.rated_at
        if case.state in CLOCK_RUNNING:
            assert (case.card == Card.RED) == (case.due_at <= now) or case.extended
            if case.card == Card.NONE:
                assert case.warn_at > now
        if case.reporter_phone:
            assert len(case.reporter_phone) == 11 and case.reporter_phone[1] in "3456789"


def test_timelines_follow_the_workflow() -> None:
    rows = CaseEvent.objects.order_by("case_id", "created_at", "id").values_list(
        "case_id", "action", "from_state", "to_state"
    )
    final = dict(Case.objects.values_list("id", "state"))
    for case_id, events in groupby(rows, key=lambda r: r[0]):
        items = list(events)
        assert items[0][1] == "register"
        state = "registered"
        for _, action, from_state, to_state in items[1:]:
            if action == "card" or action in ASSIST_TRANSITIONS:  # not the case's transitions
                assert from_state == to_state == state
                continue
            transition = TRANSITIONS[action]
            assert from_state == state and state in transition.sources
            assert to_state == (transition.target or state)
            state = to_state
        assert state == final[case_id]


def test_every_demo_case_is_indexed_for_search_and_duplicates() -> None:
    from zhili.cases.models import CaseText
    from zhili.cases.selectors import CaseFilters, filter_cases

    assert CaseText.objects.count() == Case.objects.count()
    sample = Case.objects.filter(is_demo=True).order_by("id").first()
    assert sample is not None
    word = sample.title[:2]
    assert filter_cases(Case.objects.all(), CaseFilters(q=word)).exists()


def test_channel_shares_near_the_intended_ones() -> None:
    counts = Counter(Case.objects.values_list("channel", flat=True))
    for channel, share in CHANNELS.items():
        assert abs(100 * counts[channel] / CASES - share) < max(3.0, share * 0.5)


def test_second_load_adds_nothing() -> None:
    before = (Case.objects.count(), CaseEvent.objects.count(), ResponsibilityRule.objects.count())
    out = io.StringIO()
    loader.load(stdout=out, cases=CASES)
    after = (Case.objects.count(), CaseEvent.objects.count(), ResponsibilityRule.objects.count())
    assert before == after
    assert "跳过生成" in out.getvalue()


def test_repeated_calls_are_registered_and_flagged_as_likely_duplicates() -> None:
    from zhili.cases.models import CaseDuplicate

    repeats = Case.objects.filter(external_id__startswith="DEMO-REPEAT-")
    assert repeats.count() == loader.REPEATS
    for repeat in repeats:
        original = repeat.external_id.removeprefix("DEMO-REPEAT-")
        # Flagged against its original (and perhaps other look-alikes nearby, best first).
        flag = CaseDuplicate.objects.get(case=repeat, candidate__case_no=original)
        assert flag.score >= 0.6 and "相距约" in flag.reason


def test_a_repeated_call_is_a_call_with_a_caller() -> None:
    """A 12345 call in the caller's words, with a name and a number (masked on the pages),
    taken by a person, not the text of the case it repeats with another channel's opener."""
    hotline = texts.OPENERS["hotline"]
    others = [o for channel, os in texts.OPENERS.items() if channel != "hotline" for o in os]
    for repeat in Case.objects.filter(external_id__startswith="DEMO-REPEAT-"):
        assert repeat.channel == "hotline" and not repeat.anonymous
        assert repeat.reporter_name and len(repeat.reporter_phone) == 11
        assert repeat.description.startswith(hotline)
        assert not any(o in repeat.description for o in others)
        assert repeat.registered_by is not None


def test_people_act_in_office_hours_only_emergencies_round_the_clock() -> None:
    """The dispatcher persona works office hours (a night call is taken by the duty seat);
    units acknowledge, handle and reply, and the center reviews and calls back, in office
    hours too; only a 特急 case is handled at night. Cards fall at any hour."""
    events = CaseEvent.objects.exclude(action="card").select_related("case", "actor")
    checked = 0
    for event in events:
        at = event.created_at
        if event.actor is not None and event.actor.username == "dispatcher":
            assert office_hours(at), (event.action, event.case.case_no, at)
        if event.action != "register" and event.case.urgency != "emergency":
            assert office_hours(at), (event.action, event.case.case_no, at)
            checked += 1
    assert checked > CASES  # most cases have several such steps
    night_calls = CaseEvent.objects.filter(action="register", actor__username=DUTY_SEAT)
    assert all(not office_hours(e.created_at) for e in night_calls)
    assert night_calls.exists()  # the hotline answers at night


def test_progress_says_each_count_once() -> None:
    """ "2000/2000 已生成" once, not twice."""
    output = LOADED_OUTPUT[-1]
    lines = [line for line in output.splitlines() if "已生成" in line]
    assert len(lines) == len(set(line.split(" ... ")[0] for line in lines))
    assert sum(f"{CASES}/{CASES} 已生成" in line for line in lines) == 1


def test_the_closed_loop_shows_in_the_demo() -> None:
    """Assisting tasks with deadlines no later than the lead's, send-backs and return
    requests: the figures and the queues of the 12345 loop have something to show."""
    from zhili.cases.models import AssistState, CaseAssist

    tasks = list(CaseAssist.objects.select_related("case"))
    assert tasks, "the demo year should have assisting tasks"
    for task in tasks:
        if task.state != AssistState.WITHDRAWN:
            assert task.due_at is not None and task.due_at <= task.case.due_at
    assert {t.state for t in tasks} >= {AssistState.REPLIED}
    actions = set(CaseEvent.objects.values_list("action", flat=True))
    assert {"assist_acknowledge", "assist_reply", "send_back", "request_return"} <= actions
    assert Case.objects.filter(sent_back_count__gt=0).exists()
