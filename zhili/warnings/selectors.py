"""Every scoped read of early warnings.

A user sees a warning when their organization's subtree holds the responsible unit or the
issuing center (county-wide users see all), as for supervision orders.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from zhili.core.dates import period_bounds
from zhili.core.roles import Action
from zhili.core.scope import seen_q
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.registers.kinds import KINDS
from zhili.registers.models import PersonRole
from zhili.warnings.models import (
    GRAVE_LEVELS,
    OPEN_STATES,
    UNANSWERED_STATES,
    Level,
    SourceKind,
    Warning,
    WarningNotice,
    WarningRule,
    WarningSource,
    WarningState,
)
from zhili.warnings.rules import visit_role_id


def warning_scope(user: Actor) -> Q:
    return seen_q(user, Action.WARNINGS_VIEW, "unit_path", "center_path")


@dataclass(frozen=True)
class WarningFilters:
    state: str = ""
    level: str = ""
    rule: str = ""  # the rule's code
    kind: str = ""
    unit: str = ""  # the responsible unit's code
    late: bool = False  # not signed, or not answered, in time
    open: bool = False  # not closed (待签收, 处置中, 已答复待审核)
    unanswered: bool = False  # not answered yet (待签收, 处置中)
    mine: bool = False  # sent to the user's unit (or below it)
    new: bool = False  # told to the user (a notice) and not opened by them since, not closed
    grave: bool = False  # red or orange
    issued_from: date | None = None  # issued on this local day or later
    issued_to: date | None = None  # issued on this local day or earlier


def unread_q(user: Actor) -> Q:
    """The warnings whose notice to `user` they have not read (zhili.warnings.notices)."""
    if not getattr(user, "pk", None):
        return Q(pk__in=[])
    notices = WarningNotice.objects.filter(
        warning=OuterRef("pk"), user_id=user.pk, read_at__isnull=True
    )
    return Q(Exists(notices))


def new_q(user: Actor) -> Q:
    """新预警: told to the user, not read by them, not closed."""
    return unread_q(user) & Q(state__in=OPEN_STATES)


def late_q() -> Q:
    now = timezone.now()
    return Q(state=WarningState.ISSUED, sign_due_at__lt=now) | Q(
        state__in=UNANSWERED_STATES, answer_due_at__lt=now
    )


def warning_list(*, user: Actor, filters: WarningFilters | None = None) -> QuerySet[Warning]:
    f = filters or WarningFilters()
    qs = Warning.objects.filter(warning_scope(user)).select_related("rule", "unit", "center")
    qs = filter_given(qs, state=f.state, level=f.level, rule__code=f.rule, kind=f.kind)
    qs = filter_given(qs, unit__code=f.unit)
    if f.late:
        qs = qs.filter(late_q())
    if f.open:
        qs = qs.filter(state__in=OPEN_STATES)
    if f.unanswered:
        qs = qs.filter(state__in=UNANSWERED_STATES)
    if f.new:
        qs = qs.filter(new_q(user))
    if f.grave:
        qs = qs.filter(level__in=GRAVE_LEVELS)
    if f.issued_from:
        qs = qs.filter(issued_at__gte=period_bounds(f.issued_from, f.issued_from)[0])
    if f.issued_to:
        qs = qs.filter(issued_at__lt=period_bounds(f.issued_to, f.issued_to)[1])
    if f.mine:
        org = getattr(user, "organization", None)
        qs = qs.filter(unit_path__under=org.path) if org else qs.none()
    return qs.order_by("-issued_at", "-id")


def warning_get(*, user: Actor, number: str) -> Warning:
    return one_or_not_found(
        warning_list(user=user).select_related("signed_by", "answered_by", "closed_by"),
        "预警不存在",
        number=number,
    )


SOURCE_PAGES: dict[str, str] = {
    SourceKind.CASE: "cases:detail",
    SourceKind.PETITION: "petitions:detail",
    SourceKind.DISPUTE: "mediation:detail",
}


def warning_sources(warning: Warning) -> list[WarningSource]:
    """The records behind the warning, each with the link of its page (`url`; "" for none).

    An overdue visit links to its person's page (scoped and audited there) only for an
    ordinary role: a special group's is shown to readers who may not know of it, and a link
    from it would name the person (zhili.warnings.rules, `_visits_overdue`)."""
    sources = list(warning.sources.all())
    people = _visited_people(sources)
    for source in sources:
        if source.kind == SourceKind.VISIT:
            person = people.get(visit_role_id(source.number) or 0)
            url = reverse("registers:person", args=[person]) if person else ""
        else:
            url = reverse(SOURCE_PAGES[source.kind], args=[source.number])
        source.url = url  # type: ignore[attr-defined]
    return sources


def _visited_people(sources: list[WarningSource]) -> dict[int, int]:
    """Role id -> person id of the ordinary roles the overdue-visit sources name."""
    named = (visit_role_id(s.number) for s in sources if s.kind == SourceKind.VISIT)
    ids = {pk for pk in named if pk is not None}
    if not ids:
        return {}
    plain = [kind for kind, spec in KINDS.items() if not spec.special]
    rows = PersonRole.objects.filter(pk__in=ids, kind__in=plain).values_list("pk", "person_id")
    return dict(rows)


def state_counts(qs: QuerySet[Warning]) -> dict[str, int]:
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("id")))
    return {state: counts.get(state, 0) for state in WarningState.values}


def open_by_level(*, user: Actor) -> dict[str, int]:
    """The unanswered warnings in the user's scope by level, every level named (the list's
    tiles, each opening the list filtered the same way)."""
    qs = warning_list(user=user, filters=WarningFilters(unanswered=True))
    counts = dict(qs.order_by().values_list("level").annotate(n=Count("id")))
    return {level: counts.get(level, 0) for level in Level.values}


def unread_among(*, user: Actor, warnings: list[Warning]) -> set[int]:
    """The ids of `warnings` whose notice to `user` is unread (the list's 新 marks)."""
    ids = [w.pk for w in warnings]
    if not ids or not getattr(user, "pk", None):
        return set()
    rows = WarningNotice.objects.filter(warning_id__in=ids, user_id=user.pk, read_at__isnull=True)
    return set(rows.values_list("warning_id", flat=True))


def warning_work(*, user: Actor) -> dict[str, int]:
    """For the home card, in one query: sent to the user's unit and not signed (`to_sign`),
    signed and not answered (`to_answer`), late, answered to review (`to_close`), and the
    red and orange ones told to the user and not opened yet (`new`, 新预警)."""
    org = getattr(user, "organization", None)
    unit = Q(unit_path__under=org.path) if org else Q(pk__in=[])
    center = Q(center_path__under=org.path) if org else Q(pk__in=[])
    counts = (
        warning_list(user=user)
        .exclude(state=WarningState.CLOSED)
        .select_related(None)
        .order_by()
        .aggregate(
            to_sign=Count("pk", filter=unit & Q(state=WarningState.ISSUED)),
            to_answer=Count("pk", filter=unit & Q(state=WarningState.SIGNED)),
            late=Count("pk", filter=unit & late_q()),
            to_close=Count("pk", filter=center & Q(state=WarningState.ANSWERED)),
            new=Count("pk", filter=new_q(user) & Q(level__in=GRAVE_LEVELS)),
        )
    )
    return {key: int(value or 0) for key, value in counts.items()}


def rule_list() -> QuerySet[WarningRule]:
    return WarningRule.objects.select_related("updated_by").order_by("kind", "code")


def rule_get(*, code: str) -> WarningRule:
    return one_or_not_found(rule_list(), "预警规则不存在", code=code)
