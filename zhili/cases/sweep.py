"""The card sweep: yellow and red cards fall when the scheduler finds their moment passed.

`Case.warn_at` is the next moment a running case must be looked at again (the 80 % point,
then the deadline), and NULL when nothing is pending. The sweep reads the due rows through
the partial index ``case_warn_open`` (``warn_at IS NOT NULL``), so its cost follows the
number of cases due, not the number open: a million open cases with a handful due cost a
handful of rows.

Each batch is one transaction: two conditional updates (red where the deadline passed,
yellow where it has not), conditioned on the old `warn_at` and the running states, so a case
that a person changed meanwhile is left alone; then the rows this sweep carded are read back
by their exact `card_at` and get their timeline rows, audit rows and outbox events in bulk.
Live pushes go out after commit. `updated_at` is not touched: a card is not a person's
action, and bumping it would make a dispatcher's concurrent action fail as a conflict.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhili.cases import live, workflow
from zhili.cases.events import CaseCarded
from zhili.cases.models import Card, Case, CaseAssist, CaseEvent
from zhili.core.models import AuditLog, OutboxEvent

BATCH = 1000


@dataclass(frozen=True)
class SweepResult:
    yellow: int = 0
    red: int = 0
    cleared: int = 0  # stale warn_at on cases whose clock no longer runs

    @property
    def carded(self) -> int:
        return self.yellow + self.red


def due_ids(now: datetime, limit: int = BATCH) -> list[int]:
    """Ids of cases whose warn_at has passed, oldest first, from the partial index."""
    return list(
        Case.objects.filter(warn_at__isnull=False, warn_at__lte=now)
        .order_by("warn_at")
        .values_list("id", flat=True)[:limit]
    )


def sweep_cards(now: datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    now = now or timezone.now()
    yellow = red = cleared = 0
    while True:
        ids = due_ids(now, batch)
        if not ids:
            break
        y, r, c = _sweep_batch(ids, now)
        yellow, red, cleared = yellow + y, red + r, cleared + c
        if y + r + c == 0:
            break  # every due row changed under us; the next tick looks again
    return SweepResult(yellow=yellow, red=red, cleared=cleared)


@transaction.atomic
def _sweep_batch(ids: list[int], now: datetime) -> tuple[int, int, int]:
    due = Case.objects.filter(pk__in=ids, warn_at__isnull=False, warn_at__lte=now)
    running = due.filter(state__in=workflow.CLOCK_RUNNING, due_at__isnull=False)
    red = running.filter(due_at__lte=now).update(card=Card.RED, card_at=now, warn_at=None)
    yellow = running.filter(due_at__gt=now).update(
        card=Card.YELLOW, card_at=now, warn_at=F("due_at")
    )
    # A clock that stopped (replied, suspended, returned ...) has nothing more to warn about.
    cleared = due.exclude(state__in=workflow.CLOCK_RUNNING).update(warn_at=None)
    cleared += due.filter(due_at__isnull=True).update(warn_at=None)
    if red or yellow:
        _record(ids, now)
    return yellow, red, cleared


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
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor=None,
                action="cases.case.card",
                target_type="cases.case",
                target_id=str(case.pk),
                extra={"card": case.card, "case_no": case.case_no},
                created_at=now,
            )
            for case in cases
        ],
        batch_size=BATCH,
    )
    OutboxEvent.objects.bulk_create(
        [OutboxEvent(name=CaseCarded.name, payload=_event(case).payload()) for case in cases],
        batch_size=BATCH,
    )
    assisting: dict[int, list[tuple[str, str]]] = defaultdict(list)
    links = CaseAssist.objects.filter(case_id__in=[case.pk for case in cases])
    for case_id, code, path in links.values_list(
        "case_id", "organization__code", "organization__path"
    ):
        assisting[case_id].append((code, path))
    pushes = [
        (
            live.groups_for(
                case.dispatch_path, case.unit_path, *(path for _, path in assisting[case.pk])
            ),
            live.message(case, "card", [code for code, _ in assisting[case.pk]]),
        )
        for case in cases
    ]
    transaction.on_commit(lambda: _push_all(pushes))


def _event(case: Case) -> CaseCarded:
    return CaseCarded(
        case_id=case.pk,
        case_no=case.case_no,
        card=case.card,
        lead_unit=case.lead_unit.code if case.lead_unit else "",
        dispatch_center=case.dispatch_center.code,
    )


def _push_all(pushes: list[tuple[list[str], dict[str, Any]]]) -> None:
    for groups, payload in pushes:
        live.push(groups, payload)
