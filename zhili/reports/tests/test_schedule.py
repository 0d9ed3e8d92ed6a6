"""The scheduler's 日报: from 07:30 local time, the day before's, once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from config import schedule
from zhili.reports.models import Report
from zhili.reports.services import daily_due
from zhili.reports.tests.data import at

pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


def test_the_job_is_scheduled():
    jobs = {name: path for name, _every, path in schedule.PERIODIC_JOBS}
    assert jobs["reports.daily"] == "zhili.reports.tasks.generate_daily_report"


def test_the_daily_report_is_made_at_half_past_seven_for_the_day_before(day_data, staff):
    today = day_data.day + timedelta(days=1)
    with time_machine.travel(at(today, 7, 29), tick=False):
        assert daily_due() is None
    with time_machine.travel(at(today, 7, 31), tick=False):
        report = daily_due()
        assert report is not None
        assert (report.period, report.state, report.scheduled) == (
            f"{day_data.day:%Y-%m-%d}",
            "done",
            True,
        )
        assert report.requested_by is None
        assert daily_due() is None  # the next tick finds it made
    # A manual version before or after does not stop or repeat the scheduled one.
    assert Report.objects.filter(period=report.period).count() == 1
    with time_machine.travel(at(today, 23, 0), tick=False):
        assert daily_due() is None


def test_the_monthly_report_is_made_on_the_first_for_the_month_before(month_data, staff):
    from zhili.reports.services import monthly_due

    jobs = {name: path for name, _every, path in schedule.PERIODIC_JOBS}
    assert jobs["reports.monthly"] == "zhili.reports.tasks.generate_monthly_report"
    first = (month_data.first + timedelta(days=40)).replace(day=1)  # the 1st after the month
    with time_machine.travel(at(first, 7, 29), tick=False):
        assert monthly_due() is None
    with time_machine.travel(at(first, 7, 31), tick=False):
        report = monthly_due()
        assert report is not None
        assert (report.kind, report.period, report.state, report.scheduled) == (
            "monthly",
            month_data.period,
            "done",
            True,
        )
        assert monthly_due() is None  # the next tick finds it made
    with time_machine.travel(at(first + timedelta(days=3), 9), tick=False):
        assert monthly_due() is None


def test_the_worker_makes_it_outside_any_transaction(transactional_db, tree):
    """The worker runs the job with no transaction around it (the tests above run inside
    one): making the version and its audit row must open their own."""
    from django.db import connection

    from zhili.reports.tasks import generate_daily_report

    assert not connection.in_atomic_block
    today = timezone.localdate()
    with time_machine.travel(at(today, 8, 0), tick=False):
        made = generate_daily_report.call()
    report = Report.objects.get(kind="daily", scheduled=True)
    assert report.state == "done" and made
