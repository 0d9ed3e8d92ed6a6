"""Unit figures (及时签收率, 按时办结率, 满意率 ...): per handling unit and period, by aggregate
queries (one grouped query over cases, one over the timeline), never by a loop over cases.

Definitions, for the cases dispatched to a unit in the period (local days, both included):
- received: the cases it holds that were dispatched to it in the period, plus the cases it
  returned in the period (they were received too, then given back);
- acknowledged on time: acknowledged_at <= acknowledge_due_at;
- closed on time: replied_at <= due_at (the reply is what the unit controls; the close that
  follows is the center's review); a case handed over to a dispute or a petition before its
  deadline counts as on time: from then on the dossier's own limits judge the matter;
- the two on-time rates count only the cases that can be judged now (`ACK_JUDGED`,
  `CLOSE_JUDGED`): acknowledged, or past the acknowledgement deadline; replied, handed over
  or closed, or past the handling deadline with the clock running. A case dispatched
  yesterday and due next week is neither on time nor late yet: counted as "not on time" it
  made a fresh period look like a failure (20 % county-wide on the 3rd of a month);
- returned: timeline rows "return" (the unit's own, inside the return window) and
  "approve_return" (申请退单 approved by the center) in the period whose unit is the unit;
- return requested / approved / refused: the unit's 申请退单 and the center's decisions on
  them, by the timeline rows of the period;
- sent back: the center's review sent the unit's reply back (审核退回), timeline rows
  "send_back" in the period;
- extended: an extension was approved; overdue: the case carries a red card;
- satisfaction rate: (satisfied + basically satisfied) / rated;
- assisted: the unit's assisting tasks (协办) given in the period and not withdrawn; on time
  when replied by the task's deadline, late when replied after it, or not replied by it while
  the case needed it (until now, or until the case was handed over to a dossier or closed).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhili.cases.models import AssistState, Card, Case, CaseAssist, CaseEvent, Rating
from zhili.cases.workflow import CLOCK_RUNNING
from zhili.core.dates import period_bounds
from zhili.core.scope import Scope, scope_for
from zhili.core.types import SystemActor
from zhili.orgs.models import Organization

ON_TIME = Q(held_at__isnull=True, replied_at__lte=F("due_at")) | Q(held_at__lte=F("due_at"))


def ack_judged(now: datetime) -> Q:
    """Cases whose acknowledgement can be judged at `now`: acknowledged, or past its deadline."""
    return Q(acknowledged_at__isnull=False) | Q(acknowledge_due_at__lte=now)


def close_judged(now: datetime) -> Q:
    """Cases whose handling can be judged at `now`: replied, handed over to a dossier or
    closed, or past the handling deadline while the clock runs (a suspended case's stored
    deadline is stale until it resumes)."""
    return (
        Q(replied_at__isnull=False)
        | Q(held_at__isnull=False)
        | Q(closed_at__isnull=False)
        | Q(state__in=CLOCK_RUNNING, due_at__lte=now)
    )


@dataclass(frozen=True)
class UnitFigures:
    unit_code: str
    unit_name: str
    handled: int  # dispatched to the unit in the period and still with it
    received: int
    acknowledged_on_time: int
    closed_on_time: int
    returned: int
    extended: int
    overdue: int
    rated: int
    satisfied: int  # satisfied + basically satisfied
    sent_back: int = 0  # 审核退回
    return_requested: int = 0  # 申请退单
    return_approved: int = 0
    return_refused: int = 0
    assisted: int = 0  # 协办任务
    assisted_on_time: int = 0
    assisted_late: int = 0
    # The bases of the two on-time rates: the cases that can be judged (ack_judged,
    # close_judged); a case not yet due and not yet done is in neither.
    acknowledge_judged: int = 0
    close_judged: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def acknowledged_on_time_rate(self) -> float | None:
        return self._rate(self.acknowledged_on_time, self.acknowledge_judged)

    @property
    def closed_on_time_rate(self) -> float | None:
        return self._rate(self.closed_on_time, self.close_judged)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._rate(self.satisfied, self.rated)

    @property
    def assisted_on_time_rate(self) -> float | None:
        return self._rate(self.assisted_on_time, self.assisted)


def _case_rows(
    scope: Scope, begin: datetime, end: datetime, codes: list[str] | None, now: datetime
) -> dict[int, dict[str, int]]:
    """Lead unit id -> the counts of its cases dispatched in the period."""
    qs = Case.objects.filter(
        scope.q("unit_path"),
        _lead_units(scope, codes),
        dispatched_at__gte=begin,
        dispatched_at__lt=end,
    )
    counts = _case_counts(now)
    rows = qs.order_by().values("lead_unit").annotate(**counts)
    return {
        unit: dict(zip(counts, values, strict=True))
        for unit, *values in rows.values_list("lead_unit", *counts)
    }


def _lead_units(scope: Scope, codes: list[str] | None) -> Q:
    """The cases that have a lead unit (of `codes`, when named).

    On SQLite the units are named by a subquery over the organizations (the scope's, or
    `codes`): SQLite then reads each unit's slice of the period from the covering index
    `case_unit_figures` (cases migration 0017), already grouped, with or without table
    statistics; by `lead_unit IS NOT NULL` it read the dispatched_at index, a table row per
    case and a sort for the grouping (1.5 s against 0.4 s for a year at 1M cases). A unit
    outside the scope has no figures (`_units`), so leaving its cases out changes nothing.
    PostgreSQL scans a year's cases in parallel either way, and the subquery's hash join
    only adds to it (0.64 against 0.74 s), so it keeps the plain condition."""
    if connection.vendor == "sqlite":
        units = Organization.objects.filter(scope.q("path"))
        if codes:
            units = units.filter(code__in=codes)
        return Q(lead_unit__in=units.values("pk"))
    if codes:
        return Q(lead_unit__isnull=False, lead_unit__code__in=codes)
    return Q(lead_unit__isnull=False)


ACK_ON_TIME = Q(acknowledged_at__lte=F("acknowledge_due_at"))
RATED = ~Q(rating="")
SATISFIED = Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED])


def case_conditions(now: datetime) -> dict[str, Q]:
    """The figures counted over a unit's cases (besides `handled`, all of them), each as its
    condition on the case row, by name: what the counts and the case list's `figure` filter
    both read."""
    return {
        "acknowledged_on_time": ACK_ON_TIME,
        "closed_on_time": ON_TIME,
        "acknowledge_judged": ack_judged(now),
        "close_judged": close_judged(now),
        "extended": Q(extended=True),
        "overdue": Q(card=Card.RED),
        "rated": RATED,
        "satisfied": SATISFIED,
    }


def _case_counts(now: datetime) -> dict[str, Count]:
    """The figures counted over a unit's cases, by name."""
    conditions = case_conditions(now)
    return {"handled": _count(), **{k: _count(q) for k, q in conditions.items()}}


def _count(where: Q | None = None) -> Count:
    """The rows (of those `where` accepts), counted as COUNT(1): the count of COUNT(id) (an id
    is never NULL) without reading each row's id once per figure. SQLite counts a year at 1M
    cases in 0.32 s of CPU against 0.40 s; Django refuses COUNT(*) with a filter."""
    return Count(Value(1), filter=where)


# Timeline actions counted per unit, and the figure each adds to.
LOOP_ACTIONS = {
    "return": ("returned",),
    "approve_return": ("returned", "return_approved"),
    "request_return": ("return_requested",),
    "refuse_return": ("return_refused",),
    "send_back": ("sent_back",),
}
LOOP_FIGURES = ("returned", "return_requested", "return_approved", "return_refused", "sent_back")


def _loop_rows(
    begin: datetime, end: datetime, codes: list[str] | None
) -> dict[str, dict[str, int]]:
    """Unit code -> the loop's counts, from one grouped query over the timeline. The unit is
    the row's `unit`, or for a return written before it had one, its `previous_unit`."""
    qs = CaseEvent.objects.filter(
        action__in=LOOP_ACTIONS, created_at__gte=begin, created_at__lt=end
    )
    rows = (
        qs.annotate(unit=_loop_unit()).order_by().values("action", "unit").annotate(n=Count("id"))
    )
    counts: dict[str, dict[str, int]] = {}
    # Filtered after grouping (a handful of rows): SQLite cannot compare the extracted key
    # with IN parameters.
    for row in rows:
        if not row["unit"] or (codes and row["unit"] not in codes):
            continue
        figures = counts.setdefault(row["unit"], dict.fromkeys(LOOP_FIGURES, 0))
        for figure in LOOP_ACTIONS[row["action"]]:
            figures[figure] += row["n"]
    return counts


def _loop_unit() -> Coalesce:
    """The unit of a loop's timeline row: its `unit`, or for a return written before it had
    one, its `previous_unit`."""
    return Coalesce(
        KeyTextTransform("unit", "data"),
        KeyTextTransform("previous_unit", "data"),
        output_field=TextField(),
    )


ASSIST_ON_TIME = Q(replied_at__lte=F("due_at"))


def _assist_rows(
    scope: Scope, begin: datetime, end: datetime, codes: list[str] | None
) -> dict[int, dict[str, int]]:
    """Organization id -> its assisting tasks given in the period: all, on time, late."""
    qs = CaseAssist.objects.filter(
        scope.q("organization__path"), dispatched_at__gte=begin, dispatched_at__lt=end
    ).exclude(state=AssistState.WITHDRAWN)
    if codes:
        qs = qs.filter(organization__code__in=codes)
    needed_until = Coalesce(F("case__held_at"), F("case__closed_at"), Value(timezone.now()))
    late = Q(replied_at__gt=F("due_at")) | Q(replied_at__isnull=True, due_at__lt=needed_until)
    rows = (
        qs.order_by()
        .values("organization")
        .annotate(
            assisted=Count("id"),
            assisted_on_time=Count("id", filter=ASSIST_ON_TIME),
            assisted_late=Count("id", filter=late),
        )
    )
    return {
        row["organization"]: {
            "assisted": row["assisted"],
            "assisted_on_time": row["assisted_on_time"],
            "assisted_late": row["assisted_late"],
        }
        for row in rows
    }


def _units(scope: Scope, *, ids: list[int], codes: list[str]) -> QuerySet[Organization]:
    """The units with figures (by id or code) that lie in the scope."""
    return Organization.objects.filter(Q(pk__in=ids) | Q(code__in=codes)).filter(scope.q("path"))


def unit_figures(
    *,
    user: SystemActor,
    start: date,
    end: date,
    unit_codes: list[str] | None = None,
    scope: Scope | None = None,
) -> list[UnitFigures]:
    """The figures of every unit in the user's scope with cases in the period (or of the
    units named), ordered by unit code. Units outside the scope are left out. The platform
    itself (`user` None: a county report the scheduler makes) names its `scope`."""
    begin, stop = period_bounds(start, end)
    codes = [c for c in unit_codes or [] if c] or None
    now = timezone.now()
    seen = scope if scope is not None else scope_for(user)
    case_rows = _case_rows(seen, begin, stop, codes, now)
    loop = _loop_rows(begin, stop, codes)
    assists = _assist_rows(seen, begin, stop, codes)
    units = _units(seen, ids=[*case_rows, *assists], codes=[*loop, *(codes or [])])
    empty = dict.fromkeys(_case_counts(now), 0)
    no_loop = dict.fromkeys(LOOP_FIGURES, 0)
    figures = []
    for unit in units.order_by("code"):
        row = case_rows.get(unit.pk, empty)
        counts = loop.get(unit.code, no_loop)
        figures.append(
            UnitFigures(
                unit_code=unit.code,
                unit_name=unit.name,
                received=row["handled"] + counts["returned"],
                **row,
                **counts,
                **assists.get(unit.pk, {}),
            )
        )
    return figures


# --- the cases behind a figure: the case list's `figure` filter --------------------------------

# The figures whose cases the case list opens (`CaseFilters.figure`), and the shortfalls of the
# rates (judged but not on time, rated but not satisfied). What a unit's cases, returns and
# assisting tasks count is defined above, once: these read the same conditions.
FIGURE_LABELS = {
    "handled": "派给本单位办理",
    "acknowledge_judged": "应考核签收",
    "acknowledged_on_time": "按时签收",
    "acknowledged_late": "未按时签收",
    "close_judged": "应考核办结",
    "closed_on_time": "按时办结",
    "closed_late": "未按时办结",
    "rated": "已评价",
    "satisfied": "满意（含基本满意）",
    "unsatisfied": "不满意",
    "extended": "延期",
    "overdue": "超期（红牌）",
    "returned": "退单",
    "sent_back": "审核退回",
    "assisted": "协办任务",
    "assisted_on_time": "协办按时反馈",
    "assisted_not_on_time": "协办未按时反馈",
}


def _case_figure_conditions(now: datetime) -> dict[str, Q]:
    conditions = case_conditions(now)
    return {
        "handled": Q(),
        **conditions,
        "acknowledged_late": conditions["acknowledge_judged"] & ~ACK_ON_TIME,
        "closed_late": conditions["close_judged"] & ~ON_TIME,
        "unsatisfied": RATED & ~SATISFIED,
    }


def figure_q(
    figure: str,
    *,
    unit_path: str | None,
    begin: datetime | None,
    end: datetime | None,
    now: datetime,
) -> Q:
    """The cases behind `figure` (a key of FIGURE_LABELS) of the unit at `unit_path` and the
    units under it (None: any unit) over [begin, end) (None: open), as `unit_figures` counts
    them: a unit's cases dispatched to it in the period; its returns and sent-back replies by
    the timeline rows of the period (a case returned twice is listed once); its assisting
    tasks given in the period (a case with tasks for two of its units, once). An unknown
    figure: no condition."""
    if figure in LOOP_FIGURES:
        return Q(pk__in=_loop_cases(figure, unit_path, begin, end))
    if figure.startswith("assisted"):
        return _assist_q(figure, unit_path, begin, end)
    condition = _case_figure_conditions(now).get(figure)
    if condition is None:
        return Q()
    if unit_path is not None:
        condition &= Q(unit_path__under=unit_path)
    else:
        condition &= Q(lead_unit__isnull=False)
    if begin is not None:
        condition &= Q(dispatched_at__gte=begin)
    if end is not None:
        condition &= Q(dispatched_at__lt=end)
    return condition


def _loop_cases(
    figure: str, unit_path: str | None, begin: datetime | None, end: datetime | None
) -> list[int]:
    """The cases with a timeline row of `figure` by the unit (or one under it) in the period.
    The unit is compared after the query, as `_loop_rows` does (SQLite cannot compare the
    extracted key with IN parameters)."""
    actions = [action for action, adds in LOOP_ACTIONS.items() if figure in adds]
    rows = CaseEvent.objects.filter(action__in=actions)
    if begin is not None:
        rows = rows.filter(created_at__gte=begin)
    if end is not None:
        rows = rows.filter(created_at__lt=end)
    codes = None
    if unit_path is not None:
        codes = set(
            Organization.objects.filter(path__under=unit_path).values_list("code", flat=True)
        )
    pairs = rows.annotate(unit=_loop_unit()).order_by().values_list("case_id", "unit")
    return sorted({case for case, unit in pairs if unit and (codes is None or unit in codes)})


def _assist_q(
    figure: str, unit_path: str | None, begin: datetime | None, end: datetime | None
) -> Q:
    tasks = CaseAssist.objects.filter(case=OuterRef("pk")).exclude(state=AssistState.WITHDRAWN)
    if unit_path is not None:
        tasks = tasks.filter(organization__path__under=unit_path)
    if begin is not None:
        tasks = tasks.filter(dispatched_at__gte=begin)
    if end is not None:
        tasks = tasks.filter(dispatched_at__lt=end)
    if figure == "assisted_on_time":
        tasks = tasks.filter(ASSIST_ON_TIME)
    elif figure == "assisted_not_on_time":
        tasks = tasks.exclude(ASSIST_ON_TIME)
    return Q(Exists(tasks))
