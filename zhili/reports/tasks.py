"""Background work of the reports (run by `zhili worker`, the daily one fired by the scheduler)."""

from django_tasks import task

from zhili.reports.services import daily_due, monthly_due, report_generate


@task()
def generate_report(report_id: int) -> dict[str, object]:
    report = report_generate(report_id)
    return {"state": report.state, "version": report.version}


@task()
def generate_daily_report() -> int | None:
    """Every few minutes: from 07:30, yesterday's 日报 if the scheduler has not made it."""
    report = daily_due()
    return report.pk if report else None


@task()
def generate_monthly_report() -> int | None:
    """Every few minutes: from 07:30 on the 1st, last month's 月分析 if not made yet."""
    report = monthly_due()
    return report.pk if report else None
