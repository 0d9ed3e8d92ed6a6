"""The card sweep of risk alerts (风险预警): an alert left unsigned gets a yellow card at 80 %
of its signing time and a red card past it (`deadlines.ALERT_SIGN_HOURS`), by the one
mechanism every carded record shares (zhili.core.cards), reading `RiskAlert.warn_at` through
the partial index ``mediation_risk_warn_open``. What is the alerts' own: an alert's clock runs
until it is signed, and a card writes a line on the dispute's timeline (the mediator sees
that the station has not signed), an audit row and a `mediation.risk_alert_carded` event.
"""

from datetime import datetime

from django.db.models import Q

from zhili.cases.models import Card
from zhili.core import cards
from zhili.core.bulk import outbox_rows, system_audit
from zhili.core.cards import SweepResult
from zhili.core.models import AuditLog, OutboxEvent
from zhili.mediation.events import RiskAlertCarded
from zhili.mediation.models import DisputeEvent, RiskAlert

BATCH = 500
ACTION = "alert_card"


def sweep_alert_cards(now: datetime | None = None, *, batch: int = BATCH) -> SweepResult:
    return cards.sweep(ALERTS, now, batch=batch)


def _note(alert: RiskAlert) -> str:
    late = "超过签收时限仍未签收" if alert.card == Card.RED else "临近签收时限仍未签收"
    return f"推送给{alert.unit.name}的风险预警{late}（{Card(alert.card).label}）"


def _record(ids: list[int], now: datetime) -> None:
    """For the alerts carded at `now`: a timeline line, an audit row and an event each."""
    carded = list(
        RiskAlert.objects.filter(pk__in=ids, card_at=now).select_related("unit", "dispute")
    )
    DisputeEvent.objects.bulk_create([_history_row(alert, now) for alert in carded])
    AuditLog.objects.bulk_create([_audit_row(alert, now) for alert in carded])
    OutboxEvent.objects.bulk_create(outbox_rows(_event(alert) for alert in carded))


def _history_row(alert: RiskAlert, now: datetime) -> DisputeEvent:
    state = alert.dispute.state
    return DisputeEvent(
        dispute_id=alert.dispute_id,
        action=ACTION,
        from_state=state,
        to_state=state,
        note=_note(alert),
        data={"alert": alert.pk, "card": alert.card, "unit": alert.unit.code},
        created_at=now,
    )


def _audit_row(alert: RiskAlert, now: datetime) -> AuditLog:
    return system_audit(
        "mediation.risk_alert.card", alert, now, card=alert.card, unit=alert.unit.code
    )


def _event(alert: RiskAlert) -> RiskAlertCarded:
    return RiskAlertCarded(
        alert_id=alert.pk,
        dispute_id=alert.dispute_id,
        number=alert.dispute.number,
        card=alert.card,
        unit=alert.unit.code,
    )


ALERTS = cards.CardKind(RiskAlert, Q(acknowledged_at__isnull=True), _record)
