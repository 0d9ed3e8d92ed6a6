"""The petition card sweep: a yellow card at 80 % of the current step's limit, a red card
past it (limits in zhili.petitions.deadlines), as the case sweep does (zhili.cases.sweep).

`Petition.warn_at` is the next moment to look at a petition (the 80 % point, then the due
moment), NULL when nothing is pending; the sweep reads it through the partial index
``petition_warn_open``. Each batch is one transaction of conditional updates, then history,
audit and `petitions.carded` events for the rows this sweep carded. A red card opens a
supervision order (zhili.supervision.handlers.open_order_on_petition_red_card).
`updated_at` is not touched: a card is not a person's action.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhili.core.models import AuditLog, OutboxEvent
from zhili.petitions import workflow
from zhili.petitions.events import PetitionCarded
from zhili.petitions.models import Card, Petition, PetitionEvent

BATCH = 500


@dataclass(frozen=True)
class SweepResult:
    yellow: int = 0
    red: int = 0
    cleared: int = 0


def sweep_cards(now: datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    now = now or timezone.now()
    yellow = red = cleared = 0
    while True:
        ids = list(
            Petition.objects.filter(warn_at__isnull=False, warn_at__lte=now)
            .order_by("warn_at")
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            break
        y, r, c = _sweep_batch(ids, now)
        yellow, red, cleared = yellow + y, red + r, cleared + c
        if y + r + c == 0:
            break
    return SweepResult(yellow=yellow, red=red, cleared=cleared)


@transaction.atomic
def _sweep_batch(ids: list[int], now: datetime) -> tuple[int, int, int]:
    due = Petition.objects.filter(pk__in=ids, warn_at__isnull=False, warn_at__lte=now)
    running = due.filter(state__in=workflow.OPEN, due_at__isnull=False)
    red = running.filter(due_at__lte=now).update(card=Card.RED, card_at=now, warn_at=None)
    yellow = running.filter(due_at__gt=now).update(
        card=Card.YELLOW, card_at=now, warn_at=F("due_at")
    )
    cleared = due.exclude(state__in=workflow.OPEN).update(warn_at=None)
    cleared += due.filter(due_at__isnull=True).update(warn_at=None)
    if red or yellow:
        _record(ids, now)
    return yellow, red, cleared


def _record(ids: list[int], now: datetime) -> None:
    carded = list(
        Petition.objects.filter(pk__in=ids, card_at=now).select_related(
            "handling_unit", "registering_unit"
        )
    )
    PetitionEvent.objects.bulk_create(
        [
            PetitionEvent(
                petition=p,
                action="card",
                from_state=p.state,
                to_state=p.state,
                note=f"超期{Card(p.card).label}" if p.card == Card.RED else "临期黄牌预警",
                data={"card": p.card},
                created_at=now,
            )
            for p in carded
        ]
    )
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor=None,
                action="petitions.petition.card",
                target_type="petitions.petition",
                target_id=str(p.pk),
                extra={"card": p.card, "number": p.number},
                created_at=now,
            )
            for p in carded
        ]
    )
    OutboxEvent.objects.bulk_create(
        [OutboxEvent(name=PetitionCarded.name, payload=_event(p).payload()) for p in carded]
    )


def _event(p: Petition) -> PetitionCarded:
    return PetitionCarded(
        petition_id=p.pk,
        number=p.number,
        card=p.card,
        state=p.state,
        handling_unit=p.handling_unit.code if p.handling_unit else "",
        registering_unit=p.registering_unit.code,
    )
