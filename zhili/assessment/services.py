"""Every write of the assessment: the scheme, the ledger (posted and computed), manual
scores, vetoes and grades. Each is a service in one transaction, audited.

`ledger_post` is the door other apps use (the inspections app posts one deduction per
finding, key ``inspection-finding:<id>:<n>``): it checks no role (the calling service has
checked its own), and a second post with the same key is a no-op that returns the first
entry.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.assessment import defaults, formulas
from zhili.assessment.metrics import METRICS, Context
from zhili.assessment.models import Catalog, Item, LedgerEntry, Scheme, VetoEvent
from zhili.assessment.periods import Period, check_year, parse_period
from zhili.assessment.units import Owners, group_of, ranked_owner, ranked_units
from zhili.core.audit import audit
from zhili.core.errors import InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor, SystemActor
from zhili.orgs.models import Organization


def scheme_for(year: int) -> Scheme:
    scheme = Scheme.objects.filter(year=check_year(year)).first()
    if scheme is None:
        raise NotFound(f"{year} 年度尚无考核指标体系", field="year")
    return scheme


@transaction.atomic
def scheme_create_default(*, actor: SystemActor, year: int) -> Scheme:
    """The year's scheme from the defaults (zhili/assessment/defaults.py); the existing one
    when the year has one."""
    check_year(year)
    scheme, created = Scheme.objects.get_or_create(
        year=year, defaults={"name": f"{year}年度综治中心工作考核指标体系"}
    )
    if not created:
        return scheme
    for order, (code, name, kind, weight, items) in enumerate(defaults.CATALOGS):
        catalog = Catalog.objects.create(
            scheme=scheme, code=code, name=name, kind=kind, weight=weight, order=order
        )
        for n, (icode, iname, top, formula, params, source, metric, groups) in enumerate(items):
            formulas.check_params(formula, params)
            Item.objects.create(
                scheme=scheme,
                catalog=catalog,
                code=icode,
                name=iname,
                max_points=top,
                formula=formula,
                params=params,
                source=source,
                automatic=bool(metric),
                metric=metric,
                groups=groups,
                order=order * 100 + n,
            )
    VetoEvent.objects.bulk_create(
        VetoEvent(scheme=scheme, code=code, name=name, fails=fails)
        for code, name, fails in defaults.VETO_EVENTS
    )
    audit(actor, "assessment.scheme.create", scheme, year=year)
    return scheme


def _item(year: int, code: str) -> Item:
    item = Item.objects.filter(scheme__year=year, code=code).select_related("catalog").first()
    if item is None:
        raise InvalidInput(f"{year} 年度考核指标体系中没有考核项 {code}", field="item_code")
    return item


def _ranked(unit: Organization) -> Organization:
    owner = ranked_owner(unit)
    if owner is None:
        raise InvalidInput(f"{unit.name} 不属于任何考核分组", field="unit")
    return owner


@transaction.atomic
def ledger_post(
    *,
    actor: SystemActor,
    unit: Organization,
    on: date,
    item_code: str,
    points: Decimal,
    reason: str,
    source_label: str,
    source_url: str,
    key: str,
) -> LedgerEntry:
    """Post `points` for `unit` (or the ranked unit above it: a village's finding is its
    township's) on the item `item_code` of `on`'s year. Idempotent on `key`."""
    known = LedgerEntry.objects.filter(key=key).first()
    if known is not None:
        return known
    item = _item(on.year, item_code)
    value = _points(item, points)
    _check_text(reason=reason, key=key, source_label=source_label, source_url=source_url)
    entry = LedgerEntry(
        unit=_ranked(unit),
        year=on.year,
        period="",
        on=on,
        item=item,
        points=value,
        reason=reason.strip(),
        source_label=source_label.strip(),
        source_url=source_url.strip(),
        key=key,
        posted_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # posted at the same moment by another process
        return LedgerEntry.objects.get(key=key)
    audit(actor, "assessment.ledger.post", entry, key=key, points=str(value))
    return entry


def _points(item: Item, points: Decimal | float | str) -> Decimal:
    try:
        value = formulas.money(points)
    except ArithmeticError as exc:
        raise InvalidInput("分值应为数字", field="points") from exc
    if not value.is_finite() or abs(value) > item.max_points:
        raise InvalidInput(f"分值应在 -{item.max_points} 至 {item.max_points} 之间", field="points")
    return value


def _check_text(**values: str) -> None:
    limits = {"reason": 500, "key": 200, "source_label": 100, "source_url": 500}
    for name, value in values.items():
        if name in ("reason", "key", "source_label") and not value.strip():
            raise InvalidInput("不能为空", field=name)
        if len(value) > limits[name]:
            raise InvalidInput(f"不能超过 {limits[name]} 个字", field=name)


@transaction.atomic
def manual_score(
    *,
    actor: Actor,
    unit: Organization,
    on: date,
    item_code: str,
    points: Decimal,
    reason: str,
    evidence_url: str = "",
) -> LedgerEntry:
    """A score entered by the assessors (实地考核, 加分) with its evidence; one per unit, item
    and day: entering it again on the same day replaces nothing (the first stands)."""
    require(actor, Action.ASSESSMENT_MANAGE)
    item = _item(on.year, item_code)
    if item.automatic:
        raise InvalidInput(f"{item.name} 由平台自动计算，不能人工评分", field="item_code")
    if item.formula == "manual":
        formulas.manual(points, item.max_points, item.params)
    owner = _ranked(unit)
    return ledger_post(
        actor=actor,
        unit=owner,
        on=on,
        item_code=item_code,
        points=points,
        reason=reason,
        source_label="人工评分",
        source_url=evidence_url,
        key=f"manual:{item_code}:{owner.code}:{on:%Y-%m-%d}",
    )


@dataclass(frozen=True)
class Computed:
    period: Period
    entries: int
    removed: int
    skipped: list[str]  # items whose metric gives no rows yet


def _computed_entry(
    item: Item, unit: Organization, period: Period, measure: object, key: str, ctx: Context
) -> LedgerEntry:
    from zhili.assessment.metrics import Measure

    m = measure if isinstance(measure, Measure) else Measure(None)
    value = formulas.points(item.formula, m.value, item.max_points, item.params)
    return LedgerEntry(
        unit=unit,
        year=period.year,
        period=period.code,
        on=min(period.last, ctx.now.date()),
        item=item,
        points=value,
        reason=f"{m.text or item.name + '：无应考核数据'}，记 {value} 分"[:500],
        source_label=item.source[:100],
        source_url=m.url[:500],
        detail={
            "value": m.value,
            "part": m.part,
            "whole": m.whole,
            "units": list(m.units),
            # The records counted: each list's label, how many it holds, its address.
            "links": [{"label": k.label, "n": k.n, "url": k.url} for k in m.links],
            "unit_links": [list(pair) for pair in m.unit_links],
        },
        automatic=True,
        key=key,
        posted_by=ctx.actor,
    )


@transaction.atomic
def scores_compute(*, actor: SystemActor, year: int, period: str) -> Computed:
    """Compute every automatic item of `year`'s scheme for `period` into the ledger: one
    entry per item and ranked unit, keyed ``auto:<year>:<period>:<item>:<unit>``, so the
    same data computed again gives the same ledger (changed figures update their entry; an
    entry no longer computed is removed: computed entries are derived, never typed).
    `actor` None is the platform itself (the scheduler, a 季点评), reading the whole county."""
    if actor is not None:
        require(actor, Action.ASSESSMENT_MANAGE)
    # One computation of a year at a time: the hourly job and an assessor's 计算 at once would
    # both insert the same keys. The second waits for the first (the scheme's row lock on
    # PostgreSQL; SQLite's transactions begin IMMEDIATE), then finds and updates its rows.
    scheme = Scheme.objects.select_for_update().get(pk=scheme_for(year).pk)
    p = parse_period(year, period)
    units = list(ranked_units())
    ctx = Context(actor=actor, period=p, owners=Owners.load(units))
    wanted: dict[str, LedgerEntry] = {}
    skipped = []
    for item in scheme.items.filter(automatic=True).order_by("order", "id"):
        metric = METRICS.get(item.metric)
        if metric is None or metric.pending():
            skipped.append(item.code)
            continue
        measures = metric.compute(ctx)
        for unit in units:
            if group_of(unit) in item.groups:
                key = f"auto:{year}:{p.code}:{item.code}:{unit.code}"
                wanted[key] = _computed_entry(item, unit, p, measures.get(unit.pk), key, ctx)
    removed = _store(year, p, wanted)
    audit(actor, "assessment.scores.compute", scheme, period=p.code, entries=len(wanted))
    return Computed(period=p, entries=len(wanted), removed=removed, skipped=skipped)


FIELDS = [
    "unit",
    "on",
    "item",
    "points",
    "reason",
    "source_label",
    "source_url",
    "detail",
    "posted_by",
    "posted_at",
]


def _store(year: int, period: Period, wanted: dict[str, LedgerEntry]) -> int:
    """Write `wanted` over the period's computed entries: new ones created, changed ones
    updated, the others removed; read as plain rows (no model per entry)."""
    existing = LedgerEntry.objects.filter(year=year, period=period.code, automatic=True)
    known = {
        key: (pk, values)
        for key, pk, *values in existing.values_list(
            "key", "pk", "points", "reason", "source_url", "detail"
        )
    }
    stale = [pk for key, (pk, _v) in known.items() if key not in wanted]
    LedgerEntry.objects.filter(pk__in=stale).delete()
    now = timezone.now()
    changed, new = [], []
    for key, entry in wanted.items():
        entry.posted_at = now
        old = known.get(key)
        if old is None:
            new.append(entry)
        elif old[1] != [entry.points, entry.reason, entry.source_url, entry.detail]:
            entry.pk = old[0]
            changed.append(entry)
    LedgerEntry.objects.bulk_create(new, batch_size=500)
    LedgerEntry.objects.bulk_update(changed, FIELDS, batch_size=500)
    return len(stale)
