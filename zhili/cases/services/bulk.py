"""Bulk intake of historical work orders (历史工单导入): many cases in few statements.

`case_bulk_register` writes a batch of already-checked orders the way `case_register` writes
one, but by the batch: it routes each case (zhili.cases.routing.route_many, in-process indexes),
takes the case numbers of a day in one block (zhili.core.counters.take_blocks, still gap-free),
inserts the cases and one timeline row each ("import") with insert_rows, and skips the orders
whose (channel, external_id) is already a case, so that importing a file twice adds nothing.

It writes no audit row, outbox event or live push per case: the caller (zhili.imports) audits
the whole job once, and a historical order needs no one's attention the moment it lands.
Orders with a close time arrive closed, keeping their reply; the others arrive registered
and wait for dispatch like any new intake.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Case, CaseEvent, State
from zhili.cases.routing import Route, route_many
from zhili.cases.services.intake import Intake, new_case, validate_intake
from zhili.cases.text import index_cases
from zhili.core.counters import take_blocks
from zhili.core.models import Series
from zhili.core.personal import validate_phone
from zhili.core.rows import insert_rows, reserve_ids
from zhili.core.types import Actor
from zhili.orgs.models import Organization

IMPORT_ACTION = "import"
BATCH = 1000  # rows per INSERT statement


@dataclass(frozen=True)
class HistoricalCase:
    """One order from another system: what the citizen asked, when, and how it ended."""

    intake: Intake  # external_id is required here: it is the key that makes re-imports no-ops
    registered_at: datetime
    reply: str = ""
    closed_at: datetime | None = None


@dataclass(frozen=True)
class BulkResult:
    created: list[Case]
    skipped: int


def existing_keys(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (channel, external_id) pairs are already cases."""
    by_channel: dict[str, list[str]] = {}
    for channel, external_id in keys:
        by_channel.setdefault(channel, []).append(external_id)
    found: set[tuple[str, str]] = set()
    for channel, ids in by_channel.items():
        for start in range(0, len(ids), 500):
            rows = Case.objects.filter(channel=channel, external_id__in=ids[start : start + 500])
            found |= {(channel, e) for e in rows.values_list("external_id", flat=True)}
    return found


def _check(item: HistoricalCase) -> None:
    validate_intake(item.intake)
    if not item.intake.external_id:
        raise ValueError("a historical case needs its original number (external_id)")
    if item.intake.reporter_phone:
        validate_phone(item.intake.reporter_phone, field="reporter_phone")


def _build(item: HistoricalCase, decision: Route, now: datetime) -> Case:
    intake = item.intake
    case = new_case(
        intake,
        decision,
        reporter_phone=intake.reporter_phone,
        registered_at=item.registered_at,
        now=now,
    )
    case.imported_at = now
    if item.closed_at is not None:
        _closed(case, item, decision.unit)
    return case


def _closed(case: Case, item: HistoricalCase, unit: Organization | None) -> None:
    """An order that arrives closed keeps its reply; it was handled by someone, and the unit
    the rules name is the best record of it."""
    case.state = State.CLOSED
    case.lead_unit = unit
    case.unit_path = unit.path if unit else ""
    case.replied_at = case.closed_at = item.closed_at
    case.reply = item.reply.strip()


def _number(cases: list[Case]) -> None:
    """Case numbers by the day each order was registered, a block per day, in input order."""
    by_day: dict[date, list[Case]] = {}
    for case in cases:
        by_day.setdefault(timezone.localdate(case.registered_at), []).append(case)
    prefix = settings.ZHILI_CASE_PREFIX
    firsts = take_blocks(Series.CASE, {d.isoformat(): len(c) for d, c in by_day.items()})
    for day, day_cases in by_day.items():
        first = firsts[day.isoformat()]
        for offset, case in enumerate(day_cases):
            case.case_no = f"{prefix}{day:%Y%m%d}-{first + offset:05d}"


def _timeline(
    cases: list[Case], actor: Actor, note: str, data: Mapping[str, object], now: datetime
) -> None:
    user = actor if getattr(actor, "pk", None) else None
    unit = getattr(user, "organization", None)
    events = [
        CaseEvent(
            case=case,
            action=IMPORT_ACTION,
            from_state="",
            to_state=case.state,
            actor=user,
            actor_unit=unit,
            note=f"{note}原工单编号 {case.external_id}；{case.routing_note}",
            data={**data, "external_id": case.external_id},
            created_at=now,
        )
        for case in cases
    ]
    insert_rows(CaseEvent, events)


def _index_text(cases: list[Case]) -> None:
    """The one call site that puts imported cases into the duplicate and search index."""
    index_cases(cases)


def _not_registered(items: Sequence[HistoricalCase]) -> list[HistoricalCase]:
    """The items whose (channel, external id) is not a case yet, each key once."""
    have = existing_keys({(i.intake.channel, i.intake.external_id) for i in items})
    fresh = []
    for item in items:
        key = (item.intake.channel, item.intake.external_id)
        if key not in have:
            have.add(key)  # a second copy in the same batch is skipped too
            fresh.append(item)
    return fresh


@transaction.atomic
def case_bulk_register(
    *,
    actor: Actor,
    items: Sequence[HistoricalCase],
    note: str = "",
    data: Mapping[str, object] | None = None,
) -> BulkResult:
    """Register `items` as cases in one transaction; the ones already registered (same channel
    and external id) are skipped. `note` and `data` go on each timeline row."""
    for item in items:
        _check(item)
    fresh = _not_registered(items)
    now = timezone.now()
    routes = route_many(
        [(i.intake.category, i.intake.lat, i.intake.lng) for i in fresh],
        [i.intake.address for i in fresh],
    )
    cases = [_build(item, decision, now) for item, decision in zip(fresh, routes, strict=True)]
    # The counter rows stay locked until commit: take the numbers after the routing work.
    _number(cases)
    # The numbers' UPDATE above is this transaction's first write: on SQLite the database is
    # ours until commit, as reserve_ids requires.
    for case, pk in zip(cases, reserve_ids(Case, len(cases)), strict=True):
        case.pk = pk
    insert_rows(Case, cases)
    _timeline(cases, actor, note, data or {}, now)
    _index_text(cases)
    return BulkResult(created=cases, skipped=len(items) - len(fresh))
