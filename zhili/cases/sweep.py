"""The card sweep of cases: yellow and red cards fall when the scheduler finds their moment
passed, through the one mechanism of `zhili.core.cards` (its docstring says how).

`Case.warn_at` is the next moment a running case must be looked at again (the 80 % point,
then the deadline), and NULL when nothing is pending; the sweep reads the due rows through
the partial index ``case_warn_open``, so a million open cases with a handful due cost a
handful of rows. What is the cases' own: which states run the clock, and what a card writes
(`_record`): timeline rows, audit rows and `cases.carded` events in bulk, and live pushes
after commit. A red card opens a supervision order (zhili.supervision.handlers).
"""

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from zhili.cases import live, workflow
from zhili.cases.events import CaseCarded
from zhili.cases.models import Card, Case, CaseAssist, CaseEvent
from zhili.core import cards
from zhili.core.bulk import outbox_rows, system_audit
from zhili.core.cards import SweepResult as SweepResult  # re-exported
from zhili.core.live import push
from zhili.core.models import AuditLog, OutboxEvent

BATCH = 1000


def due_ids(now: datetime, limit: int = BATCH) -> list[int]:
    """Ids of cases whose warn_at has passed, oldest first, from the partial index."""
    return cards.due_ids(Case, now, limit)


def sweep_cards(now: datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    return cards.sweep(CASES, now, batch=batch)


_FIELDS = (
    "id",
    "case_no",
    "title",
    "state",
    "card",
    "dispatch_path",
    "unit_path",
    "lead_unit__code",
    "dispatch_center__code",
)


def _record(ids: list[int], now: datetime) -> None:
    cases = list(
        Case.objects.filter(pk__in=ids, card_at=now)
        .exclude(card="")
        .select_related("lead_unit", "dispatch_center")
        .only(*_FIELDS)
    )
    _write_timeline(cases, now)
    _write_audit(cases, now)
    OutboxEvent.objects.bulk_create(outbox_rows(_event(case) for case in cases), batch_size=BATCH)
    pushes = _pushes(cases)
    transaction.on_commit(lambda: _push_all(pushes))


def _write_timeline(cases: list[Case], now: datetime) -> None:
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=case.pk,
                action="card",
                from_state=case.state,
                to_state=case.state,
                note=Card(case.card).label,
                data={"card": case.card},
                created_at=now,
            )
            for case in cases
        ],
        batch_size=BATCH,
    )


def _write_audit(cases: list[Case], now: datetime) -> None:
    AuditLog.objects.bulk_create(
        [
            system_audit("cases.case.card", case, now, card=case.card, case_no=case.case_no)
            for case in cases
        ],
        batch_size=BATCH,
    )


def _pushes(cases: list[Case]) -> list[tuple[list[str], live.Message]]:
    """The live messages of the carded cases, each to its center, its unit and its assisting
    units."""
    assisting: dict[int, list[tuple[str, str]]] = defaultdict(list)
    links = CaseAssist.objects.filter(case_id__in=[case.pk for case in cases])
    for case_id, code, path in links.values_list(
        "case_id", "organization__code", "organization__path"
    ):
        assisting[case_id].append((code, path))
    return [
        (
            live.groups_for(
                case.dispatch_path, case.unit_path, *(path for _, path in assisting[case.pk])
            ),
            live.message(case, "card", [code for code, _ in assisting[case.pk]]),
        )
        for case in cases
    ]


def _event(case: Case) -> CaseCarded:
    return CaseCarded(
        case_id=case.pk,
        case_no=case.case_no,
        card=case.card,
        lead_unit=case.lead_unit.code if case.lead_unit else "",
        dispatch_center=case.dispatch_center.code,
    )


def _push_all(pushes: list[tuple[list[str], live.Message]]) -> None:
    for groups, payload in pushes:
        push(groups, payload)


CASES = cards.CardKind(Case, Q(state__in=workflow.CLOCK_RUNNING), _record)
