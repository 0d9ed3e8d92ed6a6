"""Every scoped read of cases.

A user sees a case when their organization's subtree holds the case's place (its village),
its dispatch center, its lead unit or one of its assisting units, or when they registered it
(a grid worker follows their own report wherever its point lies). County-wide users see all.
Seeing is not acting: every write checks its own side (zhili.cases.services.common).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from zhili.cases.catalog import category_get as category_get  # re-exported
from zhili.cases.catalog import category_is_leaf as category_is_leaf  # re-exported
from zhili.cases.catalog import category_list as category_list  # re-exported
from zhili.cases.figures import figure_q
from zhili.cases.models import (
    WORK_STATES,
    AssistState,
    Card,
    Case,
    CaseAssist,
    CaseEvent,
    Category,
    Rating,
    State,
)
from zhili.cases.workflow import CLOCK_RUNNING, DISPATCHABLE_KINDS
from zhili.core.counting import Total, count_or_estimate
from zhili.core.dossier import pages
from zhili.core.dossier.pages import Page
from zhili.core.errors import InvalidInput
from zhili.core.registry import Registry
from zhili.core.roles import Action
from zhili.core.scope import EVERYTHING, Scope, can, scope_for
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor, SystemActor
from zhili.orgs.models import Kind, Organization


def case_scope(user: Actor) -> Q:
    scope = scope_for(user)
    if scope.everything:
        return Q()
    reported = reported_by(user)
    if not scope.prefixes:
        return reported
    assisting = Case.assisting_units.through.objects.filter(
        Q(case_id=OuterRef("pk")), scope.q("organization__path")
    )
    return (
        scope.q("area_path")
        | scope.q("dispatch_path")
        | scope.q("unit_path")
        | Q(Exists(assisting))
        | reported
    )


def reported_by(user: Actor) -> Q:
    """The cases `user` registered: a reporter always sees what they reported, even when its
    place lies outside their grid or the case has moved beyond their unit (read only)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    return Q(registered_by=user.pk)


def case_list(*, user: Actor) -> QuerySet[Case]:
    return Case.objects.filter(case_scope(user)).select_related(
        "category", "lead_unit", "dispatch_center", "township", "village", "grid"
    )


def case_get(*, user: Actor, case_no: str) -> Case:
    return one_or_not_found(
        case_list(user=user).select_related("suggested_unit", "master"),
        "工单不存在",
        case_no=case_no,
    )


def case_assists(case: Case) -> QuerySet[CaseAssist]:
    """The case's assisting tasks (协办任务), in the order they were given; for anyone who
    sees the case (the lead unit reads them before its own reply)."""
    return case.assists.select_related("organization", "replied_by").order_by("id")


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "actor_unit").prefetch_related("attachments")


def dispatch_units(*, user: Actor) -> QuerySet[Organization]:
    """The units this user may dispatch cases to."""
    return scope_for(user).filter(
        Organization.objects.filter(kind__in=DISPATCHABLE_KINDS, is_active=True)
    )


def hand_down_units(*, user: Actor, case: Case | None) -> QuerySet[Organization]:
    """The units the user's unit may pass `case` to (交办): the handling units of its own
    subtree, itself included when the case is now below it (taking it back), never the
    unit that holds the case now."""
    org = getattr(user, "organization", None)
    if org is None:
        return Organization.objects.none()
    units = Organization.objects.filter(
        path__under=org.path, kind__in=DISPATCHABLE_KINDS, is_active=True
    )
    if case is not None and case.lead_unit_id is not None:
        units = units.exclude(pk=case.lead_unit_id)
    return units.order_by("path")


# --- lists: filters and keyset pages ------------------------------------------------------------


@dataclass(frozen=True)
class CaseFilters:
    states: tuple[str, ...] = ()
    category: str = ""  # a catalog code: the category and everything below it
    township: str = ""  # a township center's code
    channel: str = ""
    channels: tuple[str, ...] = ()  # any of these channels (with `channel`, both must hold)
    urgency: str = ""
    card: str = ""  # "yellow", "red", or "any"
    unit: str = ""  # lead unit code
    center: str = ""  # dispatch center code
    registered_from: date | None = None
    registered_to: date | None = None
    village: str = ""  # a village center's code
    grid: str = ""  # a grid's code
    dispatched_from: date | None = None  # dispatched to its lead unit on these local days
    dispatched_to: date | None = None
    extension_pending: bool = False
    return_pending: bool = False  # a unit asked to return the case (申请退单)
    follow_up: bool = False  # closed cases to call back: historical imports are not
    due: str = ""  # a key of DUE_FILTERS: the handling clock running, due today, overdue
    q: str = ""  # case number, or words of the title and description (full-text)
    reported_by: int | None = None  # the user who registered the cases (我上报的)
    # The cases behind a unit's figure (zhili.cases.figures.figure_q): a key of FIGURE_LABELS,
    # the unit's code (it and the units under it), the period's local days.
    figure: str = ""
    figure_unit: str = ""
    figure_from: date | None = None
    figure_to: date | None = None


# The handling deadline (办结时限) of the cases whose clock runs (dispatched, acknowledged,
# in progress): any, due later today, or already passed.
DUE_FILTERS = {"open": "计时办理中", "today": "今日到期", "overdue": "已超期"}


def due_q(due: str, now: datetime | None = None) -> Q:
    """Cases whose clock runs and, for "today", whose deadline falls between now and the
    end of the local day, or for "overdue", has passed. An unknown key: no condition."""
    if due not in DUE_FILTERS:
        return Q()
    now = now or timezone.now()
    running = Q(state__in=CLOCK_RUNNING)
    if due == "today":
        tomorrow = _day_start(timezone.localdate(now) + timedelta(days=1))
        return running & Q(due_at__gte=now, due_at__lt=tomorrow)
    if due == "overdue":
        return running & Q(due_at__lt=now)
    return running


def state_q(f: CaseFilters) -> Q:
    """The conditions of `f` on the case row alone (state, card, pending requests, clock):
    what the queues' buckets are made of, and what one aggregate can count at once."""
    q = Q()
    if f.states:
        q &= Q(state__in=f.states)
    if f.card == "any":
        q &= ~Q(card="")
    elif f.card:
        q &= Q(card=f.card)
    if f.extension_pending:
        q &= Q(extension_requested_until__isnull=False)
    if f.return_pending:
        q &= Q(return_requested_at__isnull=False)
    if f.follow_up:
        q &= Q(state=State.CLOSED, imported_at__isnull=True)
    if f.due:
        q &= due_q(f.due)
    return q


def filter_cases(qs: QuerySet[Case], f: CaseFilters, *, user: SystemActor = None) -> QuerySet[Case]:
    """`qs` (already scoped: `case_list`, the queues) narrowed by `f`. `user`, whose list it is,
    lets a full-text search look only at that user's part of the text index (fast for a
    township and a common word); without it the search reads every match, with the same
    result."""
    qs = qs.filter(state_q(f))
    if f.category:
        qs = qs.filter(category__path__under=_category_path(f.category))
    qs = filter_given(
        qs,
        township__code=f.township,
        channel=f.channel,
        urgency=f.urgency,
        lead_unit__code=f.unit,
        dispatch_center__code=f.center,
        village__code=f.village,
        grid__code=f.grid,
    )
    if f.channels:
        qs = qs.filter(channel__in=f.channels)
    if f.registered_from:
        qs = qs.filter(registered_at__gte=_day_start(f.registered_from))
    if f.registered_to:
        qs = qs.filter(registered_at__lt=_day_start(f.registered_to + timedelta(days=1)))
    if f.dispatched_from:
        qs = qs.filter(dispatched_at__gte=_day_start(f.dispatched_from))
    if f.dispatched_to:
        qs = qs.filter(dispatched_at__lt=_day_start(f.dispatched_to + timedelta(days=1)))
    if f.reported_by is not None:
        qs = qs.filter(registered_by=f.reported_by)
    if f.figure:
        qs = qs.filter(_figure_query(f))
    if f.q.strip():
        qs = qs.filter(_text_query(f.q.strip(), user))
    return qs


def _figure_query(f: CaseFilters) -> Q:
    """The cases behind `f.figure` of `f.figure_unit` (an unknown unit: none)."""
    unit_path = None
    if f.figure_unit:
        unit_path = (
            Organization.objects.filter(code=f.figure_unit).values_list("path", flat=True).first()
        )
        if unit_path is None:
            return Q(pk__in=[])
    return figure_q(
        f.figure,
        unit_path=unit_path,
        begin=_day_start(f.figure_from) if f.figure_from else None,
        end=_day_start(f.figure_to + timedelta(days=1)) if f.figure_to else None,
        now=timezone.now(),
    )


# Up to this many matches, the ids are fetched first and the list filters on them (an index
# lookup per id, then a sort); beyond it, the match set is a subquery while the list walks
# its registered_at index, which soon finds a page of a common word's cases.
FEW_MATCHES = 2000


def _text_query(text: str, user: SystemActor) -> Q:
    """A case number, or words found in the title and description (full-text, jieba tokens:
    see zhili.cases.text) among the text rows in `user`'s scope and those of the cases they
    reported; text without a searchable word falls back to the title."""
    from zhili.cases.text import search_filter_sql

    scope: Scope = EVERYTHING if user is None else scope_for(user)
    # A scope key ends at a '/' (zhili.cases.text.scope_keys), as every organization path does.
    narrow = not scope.everything and all(p.endswith("/") for p in scope.prefixes)
    reporter = user.pk if narrow and user is not None and user.is_authenticated else None
    search = search_filter_sql(text, scope.prefixes if narrow else (), reporter=reporter)
    if search is None:
        return Q(case_no=text) | Q(title__icontains=text)
    sql, params = search
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", [*params, FEW_MATCHES + 1])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) <= FEW_MATCHES:
        return Q(case_no=text) | Q(pk__in=ids)
    # Fixed SQL (zhili.cases.text); the words go in as parameters.
    return Q(case_no=text) | Q(pk__in=RawSQL(sql, params))  # noqa: S611


def _category_path(code: str) -> str:
    path = Category.objects.filter(code=code).values_list("path", flat=True).first()
    if path is None:
        raise InvalidInput(f"事项分类 {code} 不存在", field="category")
    return path


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def keyset_page(qs: QuerySet[Case], *, cursor: str | None = None, size: int = 50) -> Page[Case]:
    """Newest first, `size` at a time; a page's rows are chosen by their ids alone, then read
    with their related rows (`_rows_of`)."""
    return pages.keyset_page(qs, field="registered_at", cursor=cursor, size=size, rows_of=_rows_of)


def _rows_of(qs: QuerySet[Case], page_ids: QuerySet[Case, dict[str, object]]) -> QuerySet[Case]:
    """The rows of a page chosen by `page_ids` (a sliced, ordered subquery of `qs`), with
    `qs`'s related rows, in one statement (one snapshot).

    Choosing the page's ids alone lets the database walk an index in list order, or sort
    narrow (registered_at, id) entries; joined to the six tables a row shows, SQLite sorted
    every candidate row with its joins first (742 ms for the county's open cases at 1M). The
    filters are not repeated on the outer query: the ids were chosen under them in the same
    statement, and a full-text subquery would be run a second time.
    """
    rows = qs.model._default_manager.filter(pk__in=page_ids)
    rows.query.select_related = qs.query.select_related
    prefetch = qs._prefetch_related_lookups  # type: ignore[attr-defined]
    return rows.prefetch_related(*prefetch).order_by("-registered_at", "-id")


# --- the dispatcher's workbench and a unit's inbox ----------------------------------------------

ASSIST_BUCKET = "assist"

WORKBENCH_BUCKETS: dict[str, tuple[str, CaseFilters]] = {
    "to_dispatch": ("待派单", CaseFilters(states=("registered",))),
    "returned": ("退回件", CaseFilters(states=("returned",))),
    "extension": ("延期申请", CaseFilters(extension_pending=True)),
    "return_request": ("退单申请", CaseFilters(return_pending=True)),
    "yellow": (
        "黄牌预警",
        CaseFilters(card="yellow", states=("dispatched", "acknowledged", "in_progress")),
    ),
    "red": (
        "红牌超期",
        CaseFilters(card="red", states=("dispatched", "acknowledged", "in_progress")),
    ),
    "to_close": ("待审核办结", CaseFilters(states=("replied",))),
    "to_follow_up": ("待回访", CaseFilters(follow_up=True)),
}

INBOX_BUCKETS: dict[str, tuple[str, CaseFilters]] = {
    "to_acknowledge": ("待签收", CaseFilters(states=("dispatched",))),
    "in_progress": ("办理中", CaseFilters(states=("acknowledged", "in_progress"))),
    "replied": ("已反馈", CaseFilters(states=("replied",))),
    # The unit's open assisting tasks (协办): from `assist_cases`, not from the lead's queue.
    ASSIST_BUCKET: ("协办任务", CaseFilters()),
}


def own_center(user: Actor) -> Organization | None:
    """The governance center the user works in: their unit, or the nearest center above it."""
    org = getattr(user, "organization", None)
    while org is not None and org.kind != Kind.CENTER:
        org = org.parent
    return org


def workbench_cases(*, user: Actor) -> QuerySet[Case]:
    """The dispatch queue of the user's own center (county or township). County-wide users
    can still find any center's cases through the lists; the workbench is the work in hand."""
    center = own_center(user)
    if center is None:
        return Case.objects.none()
    return case_list(user=user).filter(dispatch_center=center)


def inbox_cases(*, user: Actor) -> QuerySet[Case]:
    """Cases whose lead unit is the user's own unit (or below it)."""
    org = getattr(user, "organization", None)
    if org is None:
        return Case.objects.none()
    return case_list(user=user).filter(unit_path__under=org.path)


OPEN_ASSIST = (AssistState.DISPATCHED, AssistState.ACKNOWLEDGED)


def assist_cases(*, user: Actor) -> QuerySet[Case]:
    """Unfinished cases on which the user's unit (or one below it) has an open assisting
    task: the unit's 协办 queue."""
    org = getattr(user, "organization", None)
    if org is None:
        return Case.objects.none()
    tasks = CaseAssist.objects.filter(state__in=OPEN_ASSIST, organization__path__under=org.path)
    # A case handed over to a dispute or a petition waits for the dossier, not for them.
    finished = (State.CLOSED, State.RATED, State.MERGED, State.HELD)
    return case_list(user=user).filter(pk__in=tasks.values("case_id")).exclude(state__in=finished)


def assist_progress(case_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Case id -> (assisting tasks replied, tasks not withdrawn), for the lead's rows."""
    rows = (
        CaseAssist.objects.filter(case_id__in=case_ids)
        .exclude(state=AssistState.WITHDRAWN)
        .order_by()
        .values("case_id")
        .annotate(total=Count("id"), replied=Count("id", filter=Q(state=AssistState.REPLIED)))
    )
    return {row["case_id"]: (row["replied"], row["total"]) for row in rows}


def inbox_bucket_cases(*, user: Actor, bucket: str) -> QuerySet[Case]:
    """One tab of a unit's inbox: a state of its own cases, or its assisting tasks."""
    if bucket == ASSIST_BUCKET:
        return assist_cases(user=user)
    return filter_cases(inbox_cases(user=user), INBOX_BUCKETS[bucket][1])


def inbox_counts(*, user: Actor) -> dict[str, int]:
    return {key: inbox_bucket_cases(user=user, bucket=key).count() for key in INBOX_BUCKETS}


FOLLOW_UP_BUCKETS = {"to_follow_up": "待回访", "unsatisfied": "不满意待重办"}


def follow_up_cases(*, user: Actor, bucket: str) -> QuerySet[Case]:
    """The center's follow-up queue: closed cases to call back, or rated 不满意 to reopen."""
    qs = workbench_cases(user=user)
    if bucket == "unsatisfied":
        return qs.filter(state=State.RATED, rating=Rating.UNSATISFIED)
    return filter_cases(qs, CaseFilters(follow_up=True))


def follow_up_counts(*, user: Actor) -> dict[str, int]:
    return {key: follow_up_cases(user=user, bucket=key).count() for key in FOLLOW_UP_BUCKETS}


def bucket_counts(
    qs: QuerySet[Case], buckets: dict[str, tuple[str, CaseFilters]]
) -> dict[str, int]:
    return {key: filter_cases(qs, f).count() for key, (_label, f) in buckets.items()}


# --- a user's own queue, for the lists and the home page ---------------------------------------


@dataclass(frozen=True)
class Queue:
    """One of a user's own queues, a choice of the list's "范围" (queue)."""

    label: str
    cases: Callable[..., QuerySet[Case]]  # called with user=
    has: Callable[[Actor], bool]  # whether the user has this queue


# The queues, keyed by the list's choice: a dispatch center's and a handling unit's here; an
# app built on cases adds its own from its AppConfig.ready() (the grid worker's: zhili.mobile).
QUEUES: Registry[Queue] = Registry("case queue")


def _has_center_queue(user: Actor) -> bool:
    return can(user, Action.CASES_DISPATCH) and own_center(user) is not None


def _has_unit_queue(user: Actor) -> bool:
    return can(user, Action.CASES_HANDLE) and getattr(user, "organization", None) is not None


QUEUES.register("center", Queue("本中心分拨的工单", workbench_cases, _has_center_queue))
QUEUES.register("unit", Queue("本单位承办的工单", inbox_cases, _has_unit_queue))


def queue_labels() -> dict[str, str]:
    return {key: queue.label for key, queue in QUEUES.items()}


def queue_cases(*, user: Actor, queue: str = "") -> QuerySet[Case]:
    """The cases of one of the user's queues (QUEUES), or every case the user may see."""
    chosen = QUEUES.get(queue)
    if chosen is None:
        return case_list(user=user)
    return chosen.cases(user=user)


def user_queues(user: Actor) -> dict[str, str]:
    """The queues (QUEUES) this user has: a dispatch center's, a handling unit's, a grid's."""
    return {key: queue.label for key, queue in QUEUES.items() if queue.has(user)}


def case_total(*, user: Actor, filters: CaseFilters, queue: str = "") -> Total:
    """How many cases the list of `filters` holds for `user` (exact up to 10,000)."""
    qs = filter_cases(queue_cases(user=user, queue=queue), filters, user=user)
    return count_or_estimate(qs)


CENTER_WAITING = ("to_dispatch", "returned", "extension", "return_request", "to_close")
CARDED = {
    "yellow": CaseFilters(card=Card.YELLOW, due="open"),
    "red": CaseFilters(card=Card.RED, due="open"),
}


def _open_work() -> RawSQL:
    """`state IN WORK_STATES`, written as the condition of the partial index case_open is:
    the states inline, in that order. SQLite uses a partial index only for a query that
    repeats its condition, and it cannot see bound parameters when it plans (the same
    count with the states as parameters read the whole table: 600 ms against 15 ms at 1M
    cases, 4,000 of them open)."""
    states = ", ".join(f"'{state.value}'" for state in WORK_STATES)  # constants, not input
    column = f'"{Case._meta.db_table}"."state"'
    return RawSQL(f"{column} IN ({states})", (), output_field=BooleanField())  # noqa: S611


def work_counts(qs: QuerySet[Case], waiting: dict[str, CaseFilters]) -> dict[str, int]:
    """In one query over the open cases of `qs`: each `waiting` bucket, the cases due later
    today (`due_today`), overdue (`overdue`), and running under a yellow or red card."""
    now = timezone.now()
    figures = {key: Count("pk", filter=state_q(f)) for key, f in {**waiting, **CARDED}.items()}
    figures["due_today"] = Count("pk", filter=due_q("today", now))
    figures["overdue"] = Count("pk", filter=due_q("overdue", now))
    rows = qs.filter(_open_work()).select_related(None).order_by()
    return {key: int(value or 0) for key, value in rows.aggregate(**figures).items()}


def center_work(*, user: Actor) -> dict[str, int]:
    """The user's center's dispatch queue (the workbench): what waits for the center, and its
    running cases due today, overdue and carded."""
    waiting = {key: WORKBENCH_BUCKETS[key][1] for key in CENTER_WAITING}
    return work_counts(workbench_cases(user=user), waiting)


def unit_work(*, user: Actor) -> dict[str, int]:
    """The unit's inbox: to acknowledge, in progress, its open assisting tasks (协办), and
    its running cases due today, overdue and carded."""
    waiting = {key: INBOX_BUCKETS[key][1] for key in ("to_acknowledge", "in_progress")}
    counts = work_counts(inbox_cases(user=user), waiting)
    counts[ASSIST_BUCKET] = assist_cases(user=user).count()
    return counts


def scope_work(*, user: Actor, queue: str = "") -> dict[str, int]:
    """The open cases of a queue (QUEUES; by default all the user may see): all of them
    (`all`, 未办结), those whose clock runs (`open`), due today, overdue and carded: a
    leader's overview, a grid worker's grid."""
    waiting = {"all": CaseFilters(), "open": CaseFilters(due="open")}
    return work_counts(queue_cases(user=user, queue=queue), waiting)
