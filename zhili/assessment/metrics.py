"""The measures the platform gives the automatic items (自动计算的考核指标), per ranked unit.

Nothing here defines a figure anew: the case figures are `zhili.cases.figures.unit_figures`
(its rows summed over the units a ranked unit owns, then read through `UnitFigures`' own
rates), the dispute figures those of the monthly mediation report (its `period_facts`, read
for every township in one query by `units_facts`, counted by its `Line`), the visits the
visit scheduler's cycle (`zhili.registers.visits`), the data quality the checks of
`zhili.assessment.data_quality`. Each measure keeps the parts it was
counted from and the records' address, and the ledger entry keeps both.

A metric is an entry of `METRICS` (a `zhili.core.registry.Registry`): its label, whether it
gives a rate (0..1) or a count, and the function. The rectification figures are the
inspections app's (`rectification_figures`), the training's completion the training app's
(`courses_due`), read here like the others.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from zhili.assessment.data_quality import counts as quality_counts
from zhili.assessment.periods import Period
from zhili.assessment.units import Owners
from zhili.cases.figures import UnitFigures, unit_figures
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
class Measure:
    value: float | int | None  # a rate 0..1 (None: nothing to judge) or a count
    part: int = 0
    whole: int = 0
    text: str = ""  # how it was counted, for the ledger's reason
    url: str = ""  # the records it was counted from
    units: tuple[str, ...] = ()  # the organizations counted


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
        return min(self.period.end, self.now)


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


def figures_url(ctx: Context) -> str:
    query = urlencode(
        {"start": f"{ctx.period.first:%Y-%m-%d}", "end": f"{ctx.period.last:%Y-%m-%d}"}
    )
    return f"{reverse('cases:figures')}?{query}"


def _figure_metric(label: str, part: str, whole: str) -> MetricFn:
    def compute(ctx: Context) -> dict[int, Measure]:
        out = {}
        url = figures_url(ctx)
        for pk, fig in owned_figures(ctx).items():
            p, w = getattr(fig, part), getattr(fig, whole)
            out[pk] = Measure(
                value=UnitFigures._rate(p, w),
                part=p,
                whole=w,
                text=_rate_text(label, p, w),
                url=url,
                units=tuple(fig.unit_code.split(",")),
            )
        return out

    return compute


for _code, _label, _part, _whole in [
    ("ack_rate", "及时签收率", "acknowledged_on_time", "acknowledge_judged"),
    ("close_rate", "按时办结率", "closed_on_time", "close_judged"),
    ("satisfaction", "满意率", "satisfied", "rated"),
    ("return_rate", "退单（重复派单）率", "returned", "received"),
    ("sent_back_rate", "审核退回率", "sent_back", "received"),
    ("assist_rate", "协办按时率", "assisted_on_time", "assisted"),
]:
    METRICS.register(_code, Metric(_label, RATE, _figure_metric(_label, _part, _whole)))


# --- disputes: the mediation report's success rate --------------------------------------------


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
        query = urlencode(
            {"unit": unit.code, "year": ctx.period.year, "month": ctx.period.last.month}
        )
        out[unit.pk] = Measure(
            value=UnitFigures._rate(line.succeeded, line.mediated),
            part=line.succeeded,
            whole=line.mediated,
            text=_rate_text("调解成功率", line.succeeded, line.mediated),
            url=f"{reverse('mediation:monthly')}?{query}",
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
    url = reverse("registers:people")
    return {
        pk: Measure(UnitFigures._rate(p, w), p, w, _rate_text("按期走访", p, w), url)
        for pk, (p, w) in counts.items()
    }


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
    base = reverse("supervision:list")
    return {
        pk: Measure(n, n, 0, f"被督办 {n} 件", f"{base}?{urlencode({'unit': _code_of(ctx, pk)})}")
        for pk, n in counts.items()
    }


def _code_of(ctx: Context, pk: int) -> str:
    return next(u.code for u in ctx.owners.by_path.values() if u.pk == pk)


METRICS.register("supervision_orders", Metric("被督办件数", COUNT, supervision_orders))


# --- rectification: the findings of 督 -------------------------------------------------------


def rectification_on_time(ctx: Context) -> dict[int, Measure]:
    """整改按期完成率: of the findings whose deadline fell in the period (up to now), those
    reported by it and passed at the first re-check (`inspections.selectors.
    rectification_figures`), summed over the units a ranked unit owns."""
    last = min(ctx.period.last, timezone.localdate(ctx.now))
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
    base = reverse("inspections:findings")
    return {
        pk: Measure(
            UnitFigures._rate(p, w),
            p,
            w,
            _rate_text("按期整改", p, w),
            f"{base}?{urlencode({'state': 'all', 'unit': _code_of(ctx, pk)})}",
        )
        for pk, (p, w) in counts.items()
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
    url = reverse("plans:progress")
    return {
        pk: Measure(UnitFigures._rate(p, w), p, w, _rate_text("按时报送", p, w), url)
        for pk, (p, w) in counts.items()
    }


METRICS.register("report_on_time", Metric("月度进展按时报送率", RATE, report_on_time))


# --- training: the courses' completion ---------------------------------------------------------


def training_completion(ctx: Context) -> dict[int, Measure]:
    """网上培训完成率: of the learners of the courses due in the period (by now), those who
    completed every lesson by the course's deadline (`training.selectors.courses_due`), by
    the ranked unit that owns each learner's organization."""
    last = min(ctx.period.last, timezone.localdate(ctx.now))
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
    url = reverse("training:list")
    return {
        pk: Measure(UnitFigures._rate(p, w), p, w, _rate_text("按期完成培训", p, w), url)
        for pk, (p, w) in counts.items()
    }


METRICS.register("training_completion", Metric("网上培训完成率", RATE, training_completion))


# --- data quality: the township's own records ----------------------------------------------------


def data_quality(ctx: Context) -> dict[int, Measure]:
    """数据质量: of the records a unit entered or keeps in the period (cases its people
    registered, register records made in its grids, visits to its people), those with no
    defect (`zhili.assessment.data_quality`: the checks and the records, in one place); the
    entry links the defective ones."""
    base = reverse("assessment:data_quality", args=[ctx.period.year, ctx.period.slug])
    return {
        pk: Measure(
            UnitFigures._rate(p, w),
            p,
            w,
            _rate_text("数据完整有效", p, w),
            f"{base}?{urlencode({'unit': _code_of(ctx, pk)})}",
        )
        for pk, (p, w) in quality_counts(ctx.period, ctx.owners).items()
    }


METRICS.register("data_quality", Metric("数据质量", RATE, data_quality))
