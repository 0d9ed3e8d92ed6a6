"""Every read of the reports a user sees. The county's reports are seen whole by those who see
the whole county (the county center and its sub-centers, the county leaders); any other unit
sees the reports delivered to it, and only those. Out of sight is the same 404 as missing."""

from typing import Any

from django.db.models import Q, QuerySet

from zhili.core.errors import NotFound
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.reports.models import Report, ReportDelivery

MISSING = "报告不存在或未下发给本单位"


def _sight(user: Actor) -> Q:
    if not can(user, Action.REPORTS_VIEW):
        return Q(pk__in=[])
    if scope_for(user).everything:
        return Q()
    org_id = getattr(user, "organization_id", None)
    if org_id is None:
        return Q(pk__in=[])
    return Q(pk__in=ReportDelivery.objects.filter(unit_id=org_id).values("report_id"))


def report_list(*, user: Actor, kind: str = "", period: str = "") -> QuerySet[Report]:
    qs = Report.objects.filter(_sight(user)).select_related(
        "requested_by", "center", "commented_by"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if period:
        qs = qs.filter(period=period)
    return qs.order_by("-requested_at", "-id")


def report_get(*, user: Actor, pk: int) -> Report:
    return one_or_not_found(report_list(user=user), MISSING, pk=pk)


def has_reports(user: Any) -> bool:
    """Whether the navigation shows 研判报告: to the county's staff always, to another unit
    once a report was delivered to it."""
    if scope_for(user).everything:
        return can(user, Action.REPORTS_VIEW)
    return report_list(user=user).exists()


def sees_deliveries(user: Actor) -> bool:
    """Whom a report went to and who read it is the senders' (the county's) to know."""
    return scope_for(user).everything


def deliveries(*, user: Actor, report: Report) -> QuerySet[ReportDelivery]:
    """Who the report was sent to and who has read it: for the senders' side (the county)."""
    if not sees_deliveries(user):
        return ReportDelivery.objects.none()
    return report.deliveries.select_related("unit", "read_by", "delivered_by").order_by(
        "unit__path"
    )


def versions(*, user: Actor, report: Report) -> QuerySet[Report]:
    """Every version of the report's period the user may see, newest first."""
    return report_list(user=user, kind=report.kind, period=report.period).order_by("-version")


def records(report: Report, key: str) -> dict[str, Any]:
    """The records kept behind one of the report's figures."""
    kept = (report.content or {}).get("records", {}).get(key)
    if kept is None:
        raise NotFound("报告中没有这一项", field="key")
    return dict(kept)
