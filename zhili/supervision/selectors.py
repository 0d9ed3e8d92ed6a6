"""Every scoped read of supervision orders.

A user sees an order when their organization's subtree holds the supervised unit, the unit
it was copied to (抄送) or the center that issued it. County-wide users see all.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhili.cases.selectors import own_center
from zhili.core.scope import scope_for
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.orgs.selectors import within_q
from zhili.supervision.models import OrderState, SupervisionOrder


def order_scope(user: Actor) -> Q:
    scope = scope_for(user)
    if scope.everything:
        return Q()
    if not scope.prefixes:
        return Q(pk__in=[])
    return scope.q("unit_path") | scope.q("copy_path") | scope.q("center_path")


@dataclass(frozen=True)
class OrderFilters:
    state: str = ""
    level: str = ""
    unit: str = ""  # supervised unit's code
    case_no: str = ""
    overdue: bool = False  # issued, and the answer is late
    due_today: bool = False  # issued, and the answer is due later today
    side: str = ""  # a key of SIDES: the orders the user's unit answers, or its center issued
    within: str = ""  # a unit's code: the orders to it and to the units under it


SIDES = {"unit": "本单位被督办", "center": "本中心下发"}


def side_q(user: Actor, side: str) -> Q:
    """The orders sent to the user's unit (or below it): what it must answer; or those its
    center issued: what it reviews and closes. No unit or center: none."""
    if side not in SIDES:
        return Q()
    org = getattr(user, "organization", None) if side == "unit" else own_center(user)
    if org is None:
        return Q(pk__in=[])
    return Q(**{f"{side}_path__under": org.path})


def due_today_q(now: datetime | None = None) -> Q:
    """Issued orders whose answer is due between now and the end of the local day."""
    now = now or timezone.now()
    tomorrow = datetime.combine(
        timezone.localdate(now) + timedelta(days=1), time.min, timezone.get_current_timezone()
    )
    return Q(state=OrderState.ISSUED, due_at__gte=now, due_at__lt=tomorrow)


def order_list(*, user: Actor, filters: OrderFilters | None = None) -> QuerySet[SupervisionOrder]:
    f = filters or OrderFilters()
    # The case is joined for the API's case_no; the pages show the target through targets.py.
    qs = SupervisionOrder.objects.filter(order_scope(user)).select_related(
        "unit", "copy_to", "center", "case", "issued_by"
    )
    if f.side:
        qs = qs.filter(side_q(user, f.side))
    if f.due_today:
        qs = qs.filter(due_today_q())
    qs = filter_given(qs, state=f.state, level=f.level, unit__code=f.unit, case__case_no=f.case_no)
    qs = qs.filter(within_q(f.within, "unit_path"))
    if f.overdue:
        qs = qs.filter(state=OrderState.ISSUED, due_at__lt=timezone.now())
    return qs.order_by("-issued_at", "-id")


def order_get(*, user: Actor, number: str) -> SupervisionOrder:
    return one_or_not_found(
        order_list(user=user).select_related("answered_by", "closed_by"),
        "督办单不存在",
        number=number,
    )


def orders_for_case(*, user: Actor, case_id: int) -> QuerySet[SupervisionOrder]:
    """The orders on one case (for the case detail page), in the user's scope."""
    return order_list(user=user).filter(case_id=case_id)


def order_inbox(*, user: Actor) -> QuerySet[SupervisionOrder]:
    """Orders sent to the user's own unit (or below it): what it must answer."""
    if getattr(user, "organization", None) is None:
        return SupervisionOrder.objects.none()
    return order_list(user=user).filter(side_q(user, "unit"))


def order_work(*, user: Actor) -> dict[str, int]:
    """In one query, the open orders of both sides: sent to the user's unit and not answered
    (`to_answer`), of which due later today (`due_today`) and late (`late`); answered to the
    user's center, to review and close (`to_close`)."""
    now = timezone.now()
    unit, center = side_q(user, "unit"), side_q(user, "center")
    issued = Q(state=OrderState.ISSUED)
    counts = (
        order_list(user=user)
        .filter(state__in=(OrderState.ISSUED, OrderState.ANSWERED))
        .select_related(None)
        .order_by()
        .aggregate(
            to_answer=Count("pk", filter=unit & issued),
            due_today=Count("pk", filter=unit & due_today_q(now)),
            late=Count("pk", filter=unit & issued & Q(due_at__lt=now)),
            to_close=Count("pk", filter=center & Q(state=OrderState.ANSWERED)),
        )
    )
    return {key: int(value or 0) for key, value in counts.items()}


def state_counts(qs: QuerySet[SupervisionOrder]) -> dict[str, int]:
    """{state: count} for every state, zeros included (for tabs and badges)."""
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("id")))
    return {state: counts.get(state, 0) for state in OrderState.values}
