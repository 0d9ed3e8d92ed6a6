"""The petition card sweep: a yellow card at 80 % of the current step's limit, a red card
past it (limits in zhili.petitions.deadlines), by the one mechanism of `zhili.core.cards`.

`Petition.warn_at` is the next moment to look at a petition (the 80 % point, then the due
moment), NULL when nothing is pending; the sweep reads it through the partial index
``petition_warn_open``. What is the petitions' own: which states run the clock, and what a
card writes (history, audit and `petitions.carded` events). A red card opens a supervision
order (zhili.supervision.handlers.open_order_on_petition_red_card).
"""

from datetime import datetime

from django.db.models import Q

from zhili.core import cards
from zhili.core.bulk import outbox_rows, system_audit
from zhili.core.cards import SweepResult as SweepResult  # re-exported
from zhili.core.models import AuditLog, OutboxEvent
from zhili.petitions import workflow
from zhili.petitions.events import PetitionCarded
from zhili.petitions.models import Card, Petition, PetitionEvent

BATCH = 500


def sweep_cards(now: datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    return cards.sweep(PETITIONS, now, batch=batch)


def _record(ids: list[int], now: datetime) -> None:
    carded = list(
        Petition.objects.filter(pk__in=ids, card_at=now).select_related(
            "handling_unit", "registering_unit"
        )
    )
    PetitionEvent.objects.bulk_create([_history_line(p, now) for p in carded])
    AuditLog.objects.bulk_create([_audit_row(p, now) for p in carded])
    OutboxEvent.objects.bulk_create(outbox_rows(_event(p) for p in carded))


def _history_line(p: Petition, now: datetime) -> PetitionEvent:
    return PetitionEvent(
        petition=p,
        action="card",
        from_state=p.state,
        to_state=p.state,
        note=f"超期{Card(p.card).label}" if p.card == Card.RED else "临期黄牌预警",
        data={"card": p.card},
        created_at=now,
    )


def _audit_row(p: Petition, now: datetime) -> AuditLog:
    return system_audit("petitions.petition.card", p, now, card=p.card, number=p.number)


def _event(p: Petition) -> PetitionCarded:
    return PetitionCarded(
        petition_id=p.pk,
        number=p.number,
        card=p.card,
        state=p.state,
        handling_unit=p.handling_unit.code if p.handling_unit else "",
        registering_unit=p.registering_unit.code,
    )


PETITIONS = cards.CardKind(Petition, Q(state__in=workflow.OPEN), _record)
