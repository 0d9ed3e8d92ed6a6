"""Every scoped read of 督: inspections, findings, circulars and the 回头看 samples.

A user with `inspections.view` sees what their part of the tree organised (the center's
path) or was inspected on, sent or circulated to (the unit's path); county-wide users see all.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from zhili.core.dates import period_bounds
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for, seen_q
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.inspections.models import (
    Admonition,
    Circular,
    Evidence,
    Finding,
    FindingState,
    Inspection,
    LookbackSample,
    Receipt,
)
from zhili.orgs.selectors import within_q


def team_inspections(user: Actor) -> QuerySet | None:
    """The ids of the inspections whose team holds the user's own unit (workflow.on_team), as
    a subquery; None when they add nothing (no sight of inspections, or a county-wide one)."""
    org_id = getattr(user, "organization_id", None)
    if org_id is None or not can(user, Action.INSPECTIONS_VIEW) or scope_for(user).everything:
        return None
    members = Inspection.team.through.objects.filter(organization_id=org_id)
    return members.values("inspection_id")


def finding_scope(user: Actor) -> Q:
    """The findings a user sees: by the unit's or the center's path, and every finding of an
    inspection the user's unit is on the team of."""
    seen = seen_q(user, Action.INSPECTIONS_VIEW, "unit_path", "center_path")
    teams = team_inspections(user)
    return seen if teams is None else seen | Q(inspection_id__in=teams)


# --- inspections ------------------------------------------------------------------------------


def inspection_list(*, user: Actor, kind: str = "") -> QuerySet[Inspection]:
    """The inspections the user's part of the tree organised or was inspected by, and those
    the user's unit is on the team of (all their findings counted)."""
    if not can(user, Action.INSPECTIONS_VIEW):
        return Inspection.objects.none()
    scope = scope_for(user)
    targeted = Inspection.targets.through.objects.filter(inspection_id=OuterRef("pk")).filter(
        scope.q("organization__path")
    )
    sight = scope.q("center_path") | Q(Exists(targeted))
    seen = scope.any_q("findings__unit_path", "findings__center_path")
    teams = team_inspections(user)
    if teams is not None:
        sight |= Q(pk__in=teams)
        seen |= Q(pk__in=teams)
    qs = filter_given(Inspection.objects.filter(sight), kind=kind)
    qs = qs.select_related("center", "created_by")
    return qs.annotate(
        finding_count=Count("findings", filter=seen, distinct=True),
        open_count=Count(
            "findings", filter=seen & ~Q(findings__state=FindingState.CLOSED), distinct=True
        ),
    ).order_by("-starts_on", "-id")


def inspection_get(*, user: Actor, number: str) -> Inspection:
    return one_or_not_found(inspection_list(user=user), "督查不存在", number=number)


def inspection_findings(*, user: Actor, inspection: Inspection) -> QuerySet[Finding]:
    """The inspection's findings the user sees (a township sees its own only)."""
    return finding_list(user=user).filter(inspection=inspection)


# --- findings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingFilters:
    state: str = ""
    unit: str = ""  # the rectifying unit's code
    inspection: str = ""  # the inspection's number
    late: bool = False  # past the deadline and not reported
    key: bool = False  # under 重点督查
    issued_from: date | None = None
    issued_to: date | None = None
    # What the assessment's 整改按期完成率 counts (`rectification_figures`): the findings of a
    # unit and the units under it, due on these days, rectified on time ("yes") or not ("no").
    within: str = ""
    due_from: date | None = None
    due_to: date | None = None
    on_time: str = ""


# Reported by the deadline and passed at the first re-check (a failed 复查 means it was not
# rectified in time).
RECTIFIED_ON_TIME = Q(reported_at__isnull=False, reported_at__lte=F("due_at"), failures=0)


def late_q() -> Q:
    """Not reported by the deadline (a pending extension does not stop the clock)."""
    return Q(state__in=(FindingState.ISSUED, FindingState.EXTENSION), due_at__lt=timezone.now())


def finding_list(*, user: Actor, filters: FindingFilters | None = None) -> QuerySet[Finding]:
    f = filters or FindingFilters()
    qs = Finding.objects.filter(finding_scope(user)).select_related("unit", "center", "inspection")
    qs = filter_given(qs, state=f.state, unit__code=f.unit, inspection__number=f.inspection)
    if f.late:
        qs = qs.filter(late_q())
    if f.key:
        qs = qs.filter(key_supervision=True)
    if f.issued_from:
        qs = qs.filter(issued_at__gte=period_bounds(f.issued_from, f.issued_from)[0])
    if f.issued_to:
        qs = qs.filter(issued_at__lt=period_bounds(f.issued_to, f.issued_to)[1])
    return _rectification_filter(qs, f).order_by("-issued_at", "-id")


def _rectification_filter(qs: QuerySet[Finding], f: FindingFilters) -> QuerySet[Finding]:
    qs = qs.filter(within_q(f.within, "unit_path"))
    if f.due_from:
        qs = qs.filter(due_at__gte=period_bounds(f.due_from, f.due_from)[0])
    if f.due_to:
        qs = qs.filter(due_at__lt=period_bounds(f.due_to, f.due_to)[1])
    if f.on_time == "yes":
        qs = qs.filter(RECTIFIED_ON_TIME)
    elif f.on_time == "no":
        qs = qs.exclude(RECTIFIED_ON_TIME)
    return qs


def finding_get(*, user: Actor, number: str) -> Finding:
    rows = finding_list(user=user).select_related(
        "item", "issued_by", "reported_by", "verified_by", "closed_by"
    )
    return one_or_not_found(rows, "整改事项不存在", number=number)


def finding_admonitions(finding: Finding) -> QuerySet[Admonition]:
    """The 诫勉谈话 a finding brought on its unit's head (the ladder's last rung), newest
    first: the finding's page and its API read them here."""
    return finding.admonitions.select_related("unit").order_by("-recorded_at", "-id")


def state_counts(qs: QuerySet[Finding]) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("id")))
    return {state: counts.get(state, 0) for state in FindingState.values}


def rectification_figures(*, start: date, end: date) -> dict[str, dict[str, int]]:
    """Per rectifying unit's code, the findings whose deadline fell in the period (local days,
    both included): `due`, and `on_time`: reported by the deadline and passed at the first
    re-check (a failed 复查 means it was not rectified in time). The platform's own figure for
    the assessment's 整改按期率, not a user's view."""
    begin, stop = period_bounds(start, end)
    rows = (
        Finding.objects.filter(due_at__gte=begin, due_at__lt=stop)
        .order_by()
        .values("unit__code")
        .annotate(due=Count("id"), on_time=Count("id", filter=RECTIFIED_ON_TIME))
    )
    return {r["unit__code"]: {"due": r["due"], "on_time": r["on_time"]} for r in rows}


# --- circulars --------------------------------------------------------------------------------


def circular_list(*, user: Actor) -> QuerySet[Circular]:
    """The circulars the user's part of the tree issued, or received."""
    if not can(user, Action.INSPECTIONS_VIEW):
        return Circular.objects.none()
    scope = scope_for(user)
    received = Receipt.objects.filter(circular_id=OuterRef("pk")).filter(scope.q("unit_path"))
    qs = Circular.objects.filter(scope.q("center_path") | Exists(received))
    return (
        qs.select_related("center", "finding")
        .annotate(
            sent=Count("receipts", distinct=True),
            read=Count("receipts", filter=Q(receipts__read_at__isnull=False), distinct=True),
        )
        .order_by("-issued_at", "-id")
    )


def circular_get(*, user: Actor, number: str) -> Circular:
    return one_or_not_found(circular_list(user=user), "通报不存在", number=number)


def circular_receipts(circular: Circular) -> list[Receipt]:
    return list(circular.receipts.select_related("unit", "read_by").order_by("unit__code"))


def unread_receipts(*, user: Actor) -> QuerySet[Receipt]:
    """The circulars sent to the user's own unit (or above it) that nobody there has read."""
    org = getattr(user, "organization", None)
    if org is None or not can(user, Action.INSPECTIONS_VIEW):
        return Receipt.objects.none()
    return Receipt.objects.filter(
        unit_path__in=_prefixes(org.path), read_at__isnull=True
    ).select_related("circular")


def _prefixes(path: str) -> list[str]:
    """/a/b/c/ → /a/, /a/b/, /a/b/c/: the paths of an organization and those above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# --- 回头看 -----------------------------------------------------------------------------------


def lookback_list(*, user: Actor, recurred: bool = False) -> QuerySet[LookbackSample]:
    if not can(user, Action.INSPECTIONS_VIEW):
        return LookbackSample.objects.none()
    qs = LookbackSample.objects.filter(scope_for(user).q("unit_path"))
    if recurred:
        qs = qs.filter(recurred=True)
    return qs.select_related("case", "case__category", "finding").order_by("-drawn_at", "-id")


def evidence_get(*, finding: Finding, evidence_id: int) -> Evidence:
    return one_or_not_found(finding.evidence.all(), "佐证材料不存在", pk=evidence_id)
