"""Every scoped read of mediation: disputes, committees, mediators, rooms, warnings, alerts.

A user who may view disputes (Action.DISPUTES_VIEW) sees the disputes of the committees in
their organization's subtree (`Dispute.path`, copied from the committee's center); a county
center user sees all. Out of scope is answered exactly like missing (NotFound).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, When
from django.utils import timezone

from zhili.core.dates import period_bounds
from zhili.core.errors import NotFound
from zhili.core.roles import Action
from zhili.core.scope import Scope, can, scope_for
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.mediation import deadlines
from zhili.mediation.models import (
    Agreement,
    Committee,
    CommitteeMember,
    Dispute,
    DisputeState,
    Gender,
    MediationRoom,
    Mediator,
    MediatorTraining,
    Outcome,
    Position,
    RiskAlert,
)
from zhili.mediation.workflow import AFTER_AGREEMENT, OPEN_STATES, TARGET_STATES, UNDER_WAY
from zhili.orgs.selectors import within_q

UNTRAINED = "本年度未参加培训"


def _scope(user: Actor, action: str = Action.DISPUTES_VIEW) -> Scope:
    if not can(user, action):
        return Scope()
    return scope_for(user)


# --- disputes ------------------------------------------------------------------------------
def dispute_list(*, user: Actor) -> QuerySet[Dispute]:
    return (
        _scope(user)
        .filter(Dispute.objects.all())
        .select_related("committee", "lead_mediator__user", "township", "case")
    )


def dispute_get(*, user: Actor, number: str) -> Dispute:
    rows = dispute_list(user=user).select_related("grid", "room", "registered_by")
    return one_or_not_found(rows, "矛盾纠纷不存在", number=number)


def dispute_agreement(dispute: Dispute) -> Agreement | None:
    return Agreement.objects.filter(dispute=dispute).first()


@dataclass(frozen=True)
class DisputeFilters:
    state: str = ""
    kind: str = ""
    committee: int | None = None
    month: str = ""  # YYYY-MM, by registration
    text: str = ""
    late: bool = False  # past the handling target, still being mediated
    due_today: bool = False  # the handling target is today, still being mediated
    # What the assessment's 调解成功率 counts (the monthly report's `period_facts`): the
    # disputes of a unit's committees and those under it, concluded on these days, by outcome
    # (a key of OUTCOME_FILTERS).
    within: str = ""
    concluded_from: date | None = None
    concluded_to: date | None = None
    outcome: str = ""


# The outcome filter: one outcome, or 调解 (mediated: with an agreement or without, the
# monthly report's "调解纠纷").
OUTCOME_FILTERS = {"mediated": "调解（成功或不成）", **dict(Outcome.choices)}


def _outcome_q(outcome: str) -> Q:
    if outcome == "mediated":
        return Q(outcome__in=(Outcome.AGREEMENT, Outcome.NO_AGREEMENT))
    return Q(outcome=outcome) if outcome in Outcome.values else Q()


def _month_bounds(month: str) -> tuple[datetime, datetime] | None:
    try:
        year, mon = (int(part) for part in month.split("-"))
        start = date(year, mon, 1)
    except ValueError:
        return None
    end = date(year + (mon == 12), mon % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, datetime.min.time(), tzinfo=tz),
        datetime.combine(end, datetime.min.time(), tzinfo=tz),
    )


def filter_disputes(qs: QuerySet[Dispute], f: DisputeFilters) -> QuerySet[Dispute]:
    qs = filter_given(qs, state=f.state, kind=f.kind, committee_id=f.committee)
    bounds = _month_bounds(f.month) if f.month else None
    if bounds:
        qs = qs.filter(registered_at__gte=bounds[0], registered_at__lt=bounds[1])
    if f.text:
        qs = qs.filter(Q(number__iexact=f.text) | Q(title__icontains=f.text))
    if f.late:
        qs = qs.filter(state__in=TARGET_STATES, handling_due__lt=timezone.localdate())
    if f.due_today:
        qs = qs.filter(state__in=TARGET_STATES, handling_due=timezone.localdate())
    qs = qs.filter(within_q(f.within, "path"), _outcome_q(f.outcome))
    if f.concluded_from:
        qs = qs.filter(outcome_at__gte=period_bounds(f.concluded_from, f.concluded_from)[0])
    if f.concluded_to:
        qs = qs.filter(outcome_at__lt=period_bounds(f.concluded_to, f.concluded_to)[1])
    return qs


def dispute_work(*, user: Actor, confirmations: bool = False) -> dict[str, int]:
    """In one query over the disputes under way in the user's scope: to accept
    (`registered`), accepted (`accepted`), being mediated (`mediating`), the handling target
    reached today (`due_today`) or passed (`late`, the yellow warning); and the agreements
    whose judicial-confirmation window closes soon (`confirm_soon`, warned from day 25; a
    second query, when `confirmations`)."""
    today = timezone.localdate()
    target = Q(state__in=TARGET_STATES)
    counts = (
        dispute_list(user=user)
        .filter(state__in=UNDER_WAY)
        .select_related(None)
        .order_by()
        .aggregate(
            registered=Count("pk", filter=Q(state=DisputeState.REGISTERED)),
            accepted=Count("pk", filter=Q(state=DisputeState.ACCEPTED)),
            mediating=Count("pk", filter=Q(state=DisputeState.MEDIATING)),
            due_today=Count("pk", filter=target & Q(handling_due=today)),
            late=Count("pk", filter=target & Q(handling_due__lt=today)),
        )
    )
    work = {key: int(value or 0) for key, value in counts.items()}
    if confirmations:
        warned = confirmation_list(user=user).filter(confirmation_warned_at__isnull=False)
        work["confirm_soon"] = warned.count()
    return work


def risk_alerts_unsigned(*, user: Actor) -> int:
    """The risk alerts addressed to the user's own unit (or one below it) not signed yet."""
    org = getattr(user, "organization", None)
    if org is None:
        return 0
    alerts = risk_alert_list(user=user).filter(unit_path__under=org.path)
    return alerts.filter(acknowledged_at__isnull=True).count()


def state_counts(qs: QuerySet[Dispute]) -> dict[str, int]:
    rows = qs.order_by().values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def prevented_criminal(qs: QuerySet[Dispute]) -> tuple[int, int]:
    """Disputes flagged as liable to turn criminal that mediation settled (调解成功):
    "防止民间纠纷转化为刑事案件" in the monthly report: (cases, people involved)."""
    settled = qs.filter(risk_criminal=True, outcome=Outcome.AGREEMENT)
    row = settled.order_by().aggregate(cases=Count("id"), people=Sum("people_count"))
    return int(row["cases"] or 0), int(row["people"] or 0)


# --- confirmation window ---------------------------------------------------------------------
def confirmation_list(*, user: Actor) -> QuerySet[Agreement]:
    """Agreements whose judicial-confirmation window is open (not applied yet), soonest due
    first; `confirmation_warned_at` marks those past day 25."""
    return (
        _scope(user)
        .filter(Agreement.objects.all(), "dispute__path")
        .filter(dispute__state__in=AFTER_AGREEMENT, confirmation_applied_at__isnull=True)
        .filter(confirmation_due__gte=timezone.localdate())
        .select_related("dispute__committee")
        .order_by("confirmation_due", "id")
    )


def confirmation_pending(*, user: Actor) -> QuerySet[Agreement]:
    """Applications waiting for the court's answer."""
    return (
        _scope(user)
        .filter(Agreement.objects.all(), "dispute__path")
        .filter(dispute__state__in=AFTER_AGREEMENT, confirmation_applied_at__isnull=False)
        .filter(Q(confirmation_result="pending") | Q(confirmation_result=""))
        .select_related("dispute__committee")
        .order_by("confirmation_applied_at")
    )


# --- committees, mediators, rooms ----------------------------------------------------------
def committee_list(*, user: Actor) -> QuerySet[Committee]:
    return _scope(user).filter(Committee.objects.all()).select_related("organization")


def committee_get(*, user: Actor, pk: int) -> Committee:
    try:
        return committee_list(user=user).get(pk=pk)
    except (Committee.DoesNotExist, ValueError) as exc:
        raise NotFound("调委会不存在") from exc


def current_members(committee: Committee, today: date | None = None) -> list[CommitteeMember]:
    today = today or timezone.localdate()
    return [
        m
        for m in committee.members.all()
        if m.since <= today and (m.until is None or m.until >= today)
    ]


def committee_warnings(
    committee: Committee,
    members: list[CommitteeMember],
    today: date | None = None,
    untrained: list[str] | None = None,
) -> list[str]:
    """What is wrong or soon wrong with a committee (人民调解法 第八条: three to nine members,
    a chair, women members among them; 第九条: a three-year term; 第十四条: mediators
    trained regularly, `untrained` naming the mediators without training this year)."""
    today = today or timezone.localdate()
    warnings = []
    low, high = deadlines.MIN_MEMBERS, deadlines.MAX_MEMBERS
    if not low <= len(members) <= high:
        warnings.append(f"委员人数为{len(members)}人，应为{low}至{high}人")
    chairs = sum(1 for m in members if m.position == Position.CHAIR)
    if chairs != 1:
        warnings.append("未设主任" if chairs == 0 else f"设有{chairs}名主任，应为1名")
    if members and not any(m.gender == Gender.FEMALE for m in members):
        warnings.append("没有妇女委员")
    if committee.term_end < today:
        warnings.append(f"任期已于{committee.term_end:%Y年%m月%d日}届满，应及时换届")
    elif (committee.term_end - today).days <= deadlines.TERM_WARN_DAYS:
        warnings.append(f"任期将于{committee.term_end:%Y年%m月%d日}届满")
    if untrained:
        warnings.append(f"调解员{'、'.join(untrained)}{UNTRAINED}")
    return warnings


def trained_in(year: int) -> Exists:
    """Whether the mediator attended a training in `year` (an annotation, no join)."""
    return Exists(MediatorTraining.objects.filter(mediator=OuterRef("pk"), trained_on__year=year))


def untrained_by_committee(committee_ids: list[int], year: int) -> dict[int, list[str]]:
    """The working mediators without training in `year`, by committee: one query."""
    rows = (
        Mediator.objects.filter(committee_id__in=committee_ids, is_active=True)
        .annotate(trained=trained_in(year))
        .filter(trained=False)
        .select_related("user")
        .order_by("committee_id", "id")
    )
    found: dict[int, list[str]] = {}
    for mediator in rows:
        found.setdefault(mediator.committee_id, []).append(mediator.user.display_name)
    return found


def mediator_get(*, user: Actor, pk: int) -> Mediator:
    try:
        return mediator_list(user=user).select_related("user__organization").get(pk=pk)
    except (Mediator.DoesNotExist, ValueError) as exc:
        raise NotFound("调解员不存在") from exc


def mediator_list(*, user: Actor) -> QuerySet[Mediator]:
    return with_workload(
        _scope(user)
        .filter(Mediator.objects.all(), "committee__path")
        .select_related("user", "committee")
    )


def with_workload(qs: QuerySet[Mediator]) -> QuerySet[Mediator]:
    """Each mediator's workload: the open disputes they lead (`open_disputes`), and whether
    they were trained this year (`trained`, the warning UNTRAINED when not)."""
    return qs.annotate(
        open_disputes=Count("led_disputes", filter=Q(led_disputes__state__in=OPEN_STATES)),
        trained=trained_in(timezone.localdate().year),
    )


def room_list(*, user: Actor) -> QuerySet[MediationRoom]:
    return _scope(user).filter(MediationRoom.objects.all()).select_related("committee")


def committees_for_register(*, user: Actor) -> QuerySet[Committee]:
    """The committees a user may register a dispute in (active, in scope)."""
    return _scope(user, Action.DISPUTES_MEDIATE).filter(Committee.objects.filter(is_active=True))


def default_committee(user: Actor) -> Committee | None:
    mediator = Mediator.objects.filter(user=user, is_active=True).select_related("committee")
    own = mediator.first()
    if own is not None:
        return own.committee
    org = getattr(user, "organization", None)
    if org is None:
        return None
    return Committee.objects.filter(organization=org, is_active=True).first()


# --- risk alerts -----------------------------------------------------------------------------
def risk_alert_list(*, user: Actor) -> QuerySet[RiskAlert]:
    """Alerts pushed to the user's unit (or any unit in their subtree): the police station
    and the petition center see them whatever their mediation permissions. Unsigned first
    (the red cards among them first), then the newest."""
    scope = scope_for(user)
    alerts = scope.filter(RiskAlert.objects.all(), "unit_path").select_related(
        "dispute__committee", "unit", "acknowledged_by"
    )
    unsigned = Case(When(acknowledged_at__isnull=True, then=0), default=1)
    red = Case(When(card="red", then=0), default=1)
    return alerts.order_by(unsigned, red, "-created_at", "-id")


def open_dispute_count(committee: Committee) -> int:
    return committee.disputes.exclude(state=DisputeState.ARCHIVED).count()
