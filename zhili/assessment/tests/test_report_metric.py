"""月度进展按时报送率 (report_on_time): the plans' monthly reports due in the period, in by
the deadline; a report never sent counts as due and missed."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from zhili.assessment.metrics import Context, report_on_time
from zhili.assessment.periods import parse_period
from zhili.assessment.units import Owners
from zhili.core.roles import Role
from zhili.plans import progress, services

pytestmark = pytest.mark.any_day


def test_reports_in_by_the_deadline_over_those_due(tree, make_user):
    director = make_user("pdirector", tree.county, Role.CENTER_DIRECTOR)
    officer = make_user("pofficer", tree.t1, Role.TOWNSHIP_OFFICER)
    start = datetime(2026, 10, 10, 10, 0, tzinfo=timezone.get_current_timezone())
    month = date(2026, 10, 1)
    with time_machine.travel(start, tick=False):
        plan = services.plan_create(actor=director, year=2026, title="2026年度工作计划")
        task = services.task_create(
            actor=director,
            plan=plan,
            data=services.TaskInput(
                title="规范化建设", lead_unit=tree.t1, due_on=date(2027, 3, 1), units=[tree.gaj]
            ),
        )
        progress.progress_report(actor=officer, task=task, month=month, progress=30, text="推进中")
    after = progress.report_due_at(month) + timedelta(hours=1)
    ctx = Context(actor=director, period=parse_period(2026, "10"), owners=Owners.load(), now=after)
    measures = report_on_time(ctx)
    assert (measures[tree.t1.pk].part, measures[tree.t1.pk].whole) == (1, 1)
    assert (
        measures[tree.gaj.pk].part,
        measures[tree.gaj.pk].whole,
        measures[tree.gaj.pk].value,
    ) == (
        0,
        1,
        0.0,
    )


def test_the_default_scheme_scores_it_for_both_groups(tree, make_user):
    """月度进展按时报送率 is a default item (督查整改与工作落实, 4 points): 甲镇's one report in
    on time gives the full 4, 公安局's one missed gives nothing."""
    from zhili.assessment.models import LedgerEntry
    from zhili.assessment.services import scheme_create_default, scores_compute

    director = make_user("pdirector", tree.county, Role.CENTER_DIRECTOR)
    scheme = scheme_create_default(actor=None, year=2026)
    item = scheme.items.get(code="report_on_time")
    assert (item.catalog.code, item.max_points, item.automatic, item.groups) == (
        "inspection",
        4,
        True,
        ["township", "department"],
    )
    start = datetime(2026, 10, 10, 10, 0, tzinfo=timezone.get_current_timezone())
    month = date(2026, 10, 1)
    with time_machine.travel(start, tick=False):
        plan = services.plan_create(actor=director, year=2026, title="2026年度工作计划")
        task = services.task_create(
            actor=director,
            plan=plan,
            data=services.TaskInput(
                title="规范化建设", lead_unit=tree.t1, due_on=date(2027, 3, 1), units=[tree.gaj]
            ),
        )
        officer = make_user("pofficer", tree.t1, Role.TOWNSHIP_OFFICER)
        progress.progress_report(actor=officer, task=task, month=month, progress=30, text="推进中")
    with time_machine.travel(progress.report_due_at(month) + timedelta(hours=1), tick=False):
        scores_compute(actor=director, year=2026, period="10")
    entries = LedgerEntry.objects.filter(item=item)
    points = {e.unit.code: e.points for e in entries}
    assert points[tree.t1.code] == 4 and points[tree.gaj.code] == 0
    t1 = entries.get(unit=tree.t1)
    assert "按时报送 1/1" in t1.reason
    assert t1.source_url == f"/assessment/2026/10/records/report_on_time/?unit={tree.t1.code}"
    assert [link["n"] for link in t1.detail["links"]] == [1, 1, 0]
