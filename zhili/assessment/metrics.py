"""The measures the platform gives the automatic items (自动计算的考核指标), per ranked unit.

Nothing here defines a figure anew: the case figures are `zhili.cases.figures.unit_figures`
(its rows summed over the units a ranked unit owns, then read through `UnitFigures`' own
rates), the dispute figures those of the monthly mediation report (its `period_facts`, read
for every township in one query by `units_facts`, counted by its `Line`), the visits the
visit scheduler's cycle (`zhili.registers.visits`), the data quality the checks of
`zhili.assessment.data_quality`. Each measure keeps the parts it was
counted from and the records' address, and the ledger entry keeps both.

Every measure links the records it counted (`Link`: a label, how many, the list that shows
exactly them): for a rate the records judged (the denominator), those that met it (the
numerator) and those that did not, each the unit's and its period's. The lists are the apps'
own, filtered the way the figure counts (the case list's `figure` filter reads
`zhili.cases.figures` itself; the supervision, findings and dispute lists' `within` and
dates); the key people's roles, the plan tasks' monthly reports and the learners, which no
app lists as counted, are listed by `zhili.assessment.records`, read by the same functions
as the measures here. A list is read when it is opened: an entry of a period still running
(or a case judged since) may differ from it until the period is computed again.

A metric is an entry of `METRICS` (a `zhili.core.registry.Registry`): its label, whether it
gives a rate (0..1) or a count, and the function. The rectification figures are the
inspections app's (`rectification_figures`), the training's completion the training app's
(`courses_due`), read here like the others.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from zhili.assessment.data_quality import counts as quality_counts
from zhili.assessment.periods import Period, last_day, until_of
from zhili.assessment.records import RECORDS
from zhili.assessment.units import Owners
from zhili.cases.figures import FIGURE_LABELS, UnitFigures, unit_figures
from zhili.core.registry import Registry
from zhili.core.scope import EVERYTHING, Scope
from zhili.core.types import SystemActor
from zhili.inspections.selectors import rectification_figures
from zhili.mediation.reports.stats import units_facts
from zhili.mediation.reports.table import Line
from zhili.orgs.models import Organization
from zhili.plans.selectors import report_counts
from zhili.registers.visits import cycle_ends_before, roles_as_of
from zhili.supervision.models import SupervisionOrder
from zhili.training.selectors import completed_by_due, courses_due

RATE = "rate"
COUNT = "count"


@dataclass(frozen=True)
class Link:
    """`n` records counted, and the list that shows exactly them."""

    label: str
    n: int
    url: str


@dataclass(frozen=True)
class Measure:
    value: float | int | None  # a rate 0..1 (None: nothing to judge) or a count
    part: int = 0
    whole: int = 0
    text: str = ""  # how it was counted, for the ledger's reason
    url: str = ""  # the records it was counted from (the first link's)
    units: tuple[str, ...] = ()  # the organizations counted
    links: tuple[Link, ...] = ()
    unit_links: tuple[tuple[str, str], ...] = ()  # (code, its own records) per unit counted


def _measured(
    value: float | int | None, part: int, whole: int, text: str, *links: Link, **more: Any
) -> Measure:
    return Measure(value, part, whole, text, links[0].url if links else "", links=links, **more)


def list_url(name: str, **params: object) -> str:
    """The list page `name` with its filters (empty ones left out)."""
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def days(first: date, last: date, prefix: str) -> dict[str, str]:
    """A list's date range filter (`<prefix>_from`, `<prefix>_to`) as its form reads it."""
    return {f"{prefix}_from": f"{first:%Y-%m-%d}", f"{prefix}_to": f"{last:%Y-%m-%d}"}


@dataclass
class Context:
    """What a computation gives every metric: who asks (the figures are read in their
    scope; None, the platform itself, reads the whole county), the period, the ranked
    units, and what one metric read for another."""

    actor: SystemActor
    period: Period
    owners: Owners
    now: datetime = field(default_factory=timezone.now)
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def scope(self) -> Scope | None:
        """The scope the figures are read in when the platform computes (else the actor's)."""
        return EVERYTHING if self.actor is None else None

    @property
    def until(self) -> datetime:
        """The period's end, or now when the period runs on (a current month)."""
        return until_of(self.period, self.now)


MetricFn = Callable[[Context], dict[int, Measure]]


@dataclass(frozen=True)
class Metric:
    label: str
    kind: str  # RATE or COUNT
    compute: MetricFn
    pending: Callable[[], bool] = lambda: False


METRICS: Registry[Metric] = Registry("assessment metric")


def _rate_text(label: str, part: int, whole: int) -> str:
    if not whole:
        return f"{label}：无应考核件"
    return f"{label} {part}/{whole} = {part * 100 / whole:.2f}%"


# --- the case figures ------------------------------------------------------------------------

_COUNTED = [f.name for f in fields(UnitFigures) if f.type in (int, "int")]


def owned_figures(ctx: Context) -> dict[int, UnitFigures]:
    """Ranked unit id -> the unit figures of every unit it owns, summed (read once)."""
    if "figures" in ctx.cache:
        return ctx.cache["figures"]  # type: ignore[no-any-return]
    rows = unit_figures(
        user=ctx.actor, scope=ctx.scope, start=ctx.period.first, end=ctx.period.last
    )
    paths = dict(
        Organization.objects.filter(code__in=[r.unit_code for r in rows]).values_list(
            "code", "path"
        )
    )
    sums: dict[int, dict[str, int]] = {}
    codes: dict[int, list[str]] = {}
    for row in rows:
        owner = ctx.owners.owner(paths.get(row.unit_code, ""))
        if owner is None:
            continue
        total = sums.setdefault(owner.pk, dict.fromkeys(_COUNTED, 0))
        for name in _COUNTED:
            total[name] += getattr(row, name)
        codes.setdefault(owner.pk, []).append(row.unit_code)
    figures = {
        pk: UnitFigures(unit_code=",".join(codes[pk]), unit_name="", **counts)
        for pk, counts in sums.items()
    }
    ctx.cache["figures"] = figures
    return figures


NO_FIGURES = UnitFigures(unit_code="", unit_name="", **dict.fromkeys(_COUNTED, 0))  # type: ignore[arg-type]


def figure_counts(fig: UnitFigures) -> dict[str, int]:
    """How many cases each figure the case list opens (`cases.figures.FIGURE_LABELS`) holds,
    from the unit figures: the shortfalls are the judged less those that met the mark."""
    counts = {name: getattr(fig, name) for name in _COUNTED}
    return {
        **counts,
        "acknowledged_late": fig.acknowledge_judged - fig.acknowledged_on_time,
        "closed_late": fig.close_judged - fig.closed_on_time,
        "unsatisfied": fig.rated - fig.satisfied,
        "assisted_not_on_time": fig.assisted - fig.assisted_on_time,
    }


def figure_link(ctx: Context, code: str, figure: str, n: int) -> Link:
    """The case list of the cases behind `figure` of the ranked unit `code` in the period."""
    period = days(ctx.period.first, ctx.period.last, "figure")
    url = list_url("cases:list", figure=figure, figure_unit=code, **period)
    return Link(FIGURE_LABELS[figure], n, url)


def _figure_metric(label: str, part: str, whole: str, shown: tuple[str, ...]) -> MetricFn:
    """A rate of the unit figures (`part` / `whole`), linking the cases of each of `shown`
    (whose counts add up to the whole, then the part and the rest)."""

    def compute(ctx: Context) -> dict[int, Measure]:
        out = {}
        dispatched = days(ctx.period.first, ctx.period.last, "dispatched")
        figures = owned_figures(ctx)
        for unit in ctx.owners.by_path.values():
            fig = figures.get(unit.pk, NO_FIGURES)
            p, w = getattr(fig, part), getattr(fig, whole)
            counts, code = figure_counts(fig), unit.code
            codes = tuple(fig.unit_code.split(",")) if fig.unit_code else ()
            out[unit.pk] = _measured(
                UnitFigures._rate(p, w),
                p,
                w,
                _rate_text(label, p, w),
                *(figure_link(ctx, code, figure, counts[figure]) for figure in shown),
                units=codes,
                unit_links=tuple((c, list_url("cases:list", unit=c, **dispatched)) for c in codes),
            )
        return out

    return compute


_JUDGED = ("acknowledge_judged", "acknowledged_on_time", "acknowledged_late")
_CLOSED = ("close_judged", "closed_on_time", "closed_late")
# "received" is the cases still with the unit (handled) and those it returned.
for _code, _label, _part, _whole, _shown in [
    ("ack_rate", "及时签收率", "acknowledged_on_time", "acknowledge_judged", _JUDGED),
    ("close_rate", "按时办结率", "closed_on_time", "close_judged", _CLOSED),
    ("satisfaction", "满意率", "satisfied", "rated", ("rated", "satisfied", "unsatisfied")),
    ("return_rate", "退单（重复派单）率", "returned", "received", ("returned", "handled")),
    ("sent_back_rate", "审核退回率", "sent_back", "received", ("sent_back", "handled", "returned")),
    (
        "assist_rate",
        "协办按时率",
        "assisted_on_time",
        "assisted",
        ("assisted", "assisted_on_time", "assisted_not_on_time"),
    ),
]:
    METRICS.register(_code, Metric(_label, RATE, _figure_metric(_label, _part, _whole, _shown)))


# --- disputes: the mediation report's success rate --------------------------------------------


DISPUTES = "mediation:list"


def dispute_rate(ctx: Context) -> dict[int, Measure]:
    """调解成功率 of each township's disputes (its own and its villages' committees), counted
    as the monthly mediation report counts them."""
    out = {}
    units = [unit for unit in ctx.owners.by_path.values() if unit.kind == "center"]
    period = ctx.period
    facts = units_facts(ctx.actor, units, period.start, period.end, scope=ctx.scope)
    for unit in units:
        line = Line(code=unit.code, label=unit.name)
        for fact in facts[unit.pk]:
            line.add(fact)
        concluded = days(ctx.period.first, ctx.period.last, "concluded")
        out[unit.pk] = _measured(
            UnitFigures._rate(line.succeeded, line.mediated),
            line.succeeded,
            line.mediated,
            _rate_text("调解成功率", line.succeeded, line.mediated),
            *(
                Link(label, n, list_url(DISPUTES, within=unit.code, outcome=o, **concluded))
                for label, n, o in (
                    ("调解结案（成功或不成）", line.mediated, "mediated"),
                    ("调解成功", line.succeeded, "agreement"),
                    ("调解不成", line.failed, "no_agreement"),
                )
            ),
            units=(unit.code,),
        )
    return out


METRICS.register("dispute_rate", Metric("矛盾纠纷调解成功率", RATE, dispute_rate))


# --- key people's visits ----------------------------------------------------------------------


def visits_on_time(ctx: Context) -> dict[int, Measure]:
    """重点人员走访及时率: of the key people's roles open at the period's end (or now), the
    share not overdue for a visit (the last visit before then, or the role's start, plus
    the care level's cycle: `zhili.registers.visits.cycle_ends_before`, the scheduler's own
    rule)."""
    until = ctx.until
    roles = (
        roles_as_of(until)
        .values("person__grid__village__path")
        .annotate(n=Count("id"), missed=Count("id", filter=cycle_ends_before(until)))
    )
    counts: dict[int, list[int]] = {}
    for row in roles:
        owner = ctx.owners.owner(row["person__grid__village__path"] or "")
        if owner is not None:
            total = counts.setdefault(owner.pk, [0, 0])
            total[0] += row["n"] - row["missed"]
            total[1] += row["n"]
    return {
        pk: _measured(
            UnitFigures._rate(p, w),
            p,
            w,
            _rate_text("按期走访", p, w),
            *record_links(ctx, "visits_on_time", pk, p, w),
        )
        for pk, (p, w) in every_unit(ctx, counts).items()
    }


def record_links(ctx: Context, metric: str, pk: int, part: int, whole: int) -> tuple[Link, ...]:
    """The records page (`zhili.assessment.records`) of a ranked unit's measure: all the
    records judged, those that met the mark, those that did not."""
    spec = RECORDS[metric]
    base = reverse("assessment:records", args=[ctx.period.year, ctx.period.slug, metric])
    code = _code_of(ctx, pk)
    return tuple(
        Link(label, n, f"{base}?{urlencode({'unit': code, **({'show': show} if show else {})})}")
        for label, n, show in (
            (spec.judged, whole, ""),
            (spec.met, part, "met"),
            (spec.missed, whole - part, "missed"),
        )
    )


METRICS.register("visits_on_time", Metric("重点人员按期走访率", RATE, visits_on_time))


# --- supervision orders -----------------------------------------------------------------------


def supervision_orders(ctx: Context) -> dict[int, Measure]:
    """督办单: the orders issued in the period to a unit the ranked unit owns."""
    rows = (
        SupervisionOrder.objects.filter(
            issued_at__gte=ctx.period.start, issued_at__lt=ctx.period.end
        )
        .values("unit_path")
        .annotate(n=Count("id"))
    )
    counts: dict[int, int] = {}
    for row in rows:
        owner = ctx.owners.owner(row["unit_path"])
        if owner is not None:
            counts[owner.pk] = counts.get(owner.pk, 0) + row["n"]
    issued = days(ctx.period.first, ctx.period.last, "issued")

    def link(pk: int, n: int) -> Link:
        url = list_url("supervision:list", state="all", within=_code_of(ctx, pk), **issued)
        return Link("被督办", n, url)

    return {
        unit.pk: _measured(n, n, 0, f"被督办 {n} 件", link(unit.pk, n))
        for unit in ctx.owners.by_path.values()
        for n in [counts.get(unit.pk, 0)]
    }


def every_unit(ctx: Context, counts: Mapping[int, Sequence[int]]) -> dict[int, Sequence[int]]:
    """Ranked unit id -> its (part, whole), (0, 0) for a unit with nothing counted: its entry
    links the empty lists, the proof that nothing was there."""
    return {unit.pk: counts.get(unit.pk, (0, 0)) for unit in ctx.owners.by_path.values()}


def _code_of(ctx: Context, pk: int) -> str:
    if "codes" not in ctx.cache:
        ctx.cache["codes"] = {u.pk: u.code for u in ctx.owners.by_path.values()}
    return ctx.cache["codes"][pk]  # type: ignore[no-any-return]


METRICS.register("supervision_orders", Metric("被督办件数", COUNT, supervision_orders))


# --- rectification: the findings of 督 -------------------------------------------------------


def rectification_on_time(ctx: Context) -> dict[int, Measure]:
    """整改按期完成率: of the findings whose deadline fell in the period (up to now), those
    reported by it and passed at the first re-check (`inspections.selectors.
    rectification_figures`), summed over the units a ranked unit owns."""
    last = last_day(ctx.period, ctx.now)
    if last < ctx.period.first:
        return {}
    rows = rectification_figures(start=ctx.period.first, end=last)
    paths = dict(Organization.objects.filter(code__in=list(rows)).values_list("code", "path"))
    counts: dict[int, list[int]] = {}
    for code, row in rows.items():
        owner = ctx.owners.owner(paths.get(code, ""))
        if owner is not None:
            total = counts.setdefault(owner.pk, [0, 0])
            total[0] += row["on_time"]
            total[1] += row["due"]
    due = days(ctx.period.first, last, "due")

    def link(label: str, n: int, pk: int, on_time: str = "") -> Link:
        code = _code_of(ctx, pk)
        url = list_url("inspections:findings", state="all", within=code, on_time=on_time, **due)
        return Link(label, n, url)

    return {
        pk: _measured(
            UnitFigures._rate(p, w),
            p,
            w,
            _rate_text("按期整改", p, w),
            link("整改期限在本期的问题", w, pk),
            link("按期整改", p, pk, "yes"),
            link("未按期整改", w - p, pk, "no"),
        )
        for pk, (p, w) in every_unit(ctx, counts).items()
    }


METRICS.register("rectification_on_time", Metric("整改按期完成率", RATE, rectification_on_time))


# --- plans: the monthly progress reports --------------------------------------------------------


def report_on_time(ctx: Context) -> dict[int, Measure]:
    """月度进展按时报送率: of the plan tasks' monthly reports due in the period's months (in,
    or past their deadline), those in by the 5th (`plans.selectors.report_counts`)."""
    counts: dict[int, list[int]] = {}
    # Judged as of now: a month's reports fall due on the 5th after it, past the period's end.
    for row in report_counts(first=ctx.period.first, last=ctx.period.last, now=ctx.now):
        owner = ctx.owners.owner(row.unit.path)
        if owner is not None:
            total = counts.setdefault(owner.pk, [0, 0])
            total[0] += row.on_time
            total[1] += row.due
    return {
        pk: _measured(
            UnitFigures._rate(p, w),
            p,
            w,
            _rate_text("按时报送", p, w),
            *record_links(ctx, "report_on_time", pk, p, w),
        )
        for pk, (p, w) in every_unit(ctx, counts).items()
    }


METRICS.register("report_on_time", Metric("月度进展按时报送率", RATE, report_on_time))


# --- training: the courses' completion ---------------------------------------------------------


def training_completion(ctx: Context) -> dict[int, Measure]:
    """网上培训完成率: of the learners of the courses due in the period (by now), those who
    completed every lesson by the course's deadline (`training.selectors.courses_due`), by
    the ranked unit that owns each learner's organization."""
    last = last_day(ctx.period, ctx.now)
    if last < ctx.period.first:
        return {}
    counts: dict[int, list[int]] = {}
    for course, table in courses_due(first=ctx.period.first, last=last):
        for person in table.people:
            owner = ctx.owners.owner(person.org_path)
            if owner is not None:
                total = counts.setdefault(owner.pk, [0, 0])
                total[0] += completed_by_due(course, person)
                total[1] += 1
    return {
        pk: _measured(
            UnitFigures._rate(p, w),
            p,
            w,
            _rate_text("按期完成培训", p, w),
            *record_links(ctx, "training_completion", pk, p, w),
        )
        for pk, (p, w) in every_unit(ctx, counts).items()
    }


METRICS.register("training_completion", Metric("网上培训完成率", RATE, training_completion))


# --- data quality: the township's own records ----------------------------------------------------


def data_quality(ctx: Context) -> dict[int, Measure]:
    """数据质量: of the records a unit entered or keeps in the period (cases its people
    registered, register records made in its grids, visits to its people), those with no
    defect (`zhili.assessment.data_quality`: the checks and the records, in one place); the
    entry links the defective ones."""
    base = reverse("assessment:data_quality", args=[ctx.period.year, ctx.period.slug])

    def link(pk: int, n: int) -> Link:
        return Link("存在缺陷的记录", n, f"{base}?{urlencode({'unit': _code_of(ctx, pk)})}")

    return {
        pk: _measured(
            UnitFigures._rate(p, w), p, w, _rate_text("数据完整有效", p, w), link(pk, w - p)
        )
        for pk, (p, w) in every_unit(ctx, quality_counts(ctx.period, ctx.owners)).items()
    }


METRICS.register("data_quality", Metric("数据质量", RATE, data_quality))
