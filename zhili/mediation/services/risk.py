"""Risk alerts (风险预警): a dispute that may turn criminal goes to the police station of its
township (or the county public security bureau), one that may bring a group petition to the
county petition reception center (or the township center). The alert is created by the
handler of `mediation.risk_flagged` (zhili.mediation.handlers), once per unit.

Only the addressee signs it (签收): a user of the unit it went to, or of a unit above it in
its own line (the 公安局 for its 派出所), never a county-wide unit that merely sees every
alert (the mediation center, the county center) unless the alert went to it. It is to be
signed within `deadlines.ALERT_SIGN_HOURS`; left unsigned, the card sweep gives it a yellow
then a red card (zhili.mediation.sweep)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, Forbidden, NotFound
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.mediation import deadlines
from zhili.mediation.models import Dispute, RiskAlert, RiskKind
from zhili.orgs.models import Organization


def _county_code(dispute: Dispute) -> str:
    return dispute.path.strip("/").split("/")[0]


def risk_unit(dispute: Dispute, kind: str) -> Organization | None:
    """The unit that receives the alert: the first of the candidates that exists."""
    county = _county_code(dispute)
    township = dispute.township
    if kind == RiskKind.CRIMINAL:
        codes = [f"{county}-GAJ-{township.code}"] if township else []
        codes.append(f"{county}-GAJ")
    else:
        codes = [f"{county}-XFJD"] + ([township.code] if township else [])
    codes.append(county)
    units = {o.code: o for o in Organization.objects.filter(code__in=codes, is_active=True)}
    return next((units[c] for c in codes if c in units), None)


@transaction.atomic
def risk_alert_open(
    *, dispute_id: int, kind: str, note: str = "", opened_at: datetime | None = None
) -> RiskAlert | None:
    """The alert for the dispute's risk, created once (a second delivery returns it), with its
    signing deadline; `opened_at` (default now) for alerts written after the fact (the demo)."""
    dispute = Dispute.objects.select_related("township").filter(pk=dispute_id).first()
    if dispute is None:
        return None
    unit = risk_unit(dispute, kind)
    if unit is None:
        return None
    existing = RiskAlert.objects.filter(dispute=dispute, kind=kind, unit=unit).first()
    if existing is not None:
        return existing
    alert = _create(dispute, kind, unit, note, opened_at or timezone.now())
    if alert is None:  # another delivery created it meanwhile
        return RiskAlert.objects.get(dispute=dispute, kind=kind, unit=unit)
    audit(None, "mediation.risk_alert.open", alert, unit=unit.code, kind=kind)
    return alert


def _create(
    dispute: Dispute, kind: str, unit: Organization, note: str, opened: datetime
) -> RiskAlert | None:
    """The alert with its signing clock, or None when it exists already (the unique key)."""
    due, warn = deadlines.alert_sign_clock(opened)
    try:
        with transaction.atomic():
            return RiskAlert.objects.create(
                dispute=dispute,
                kind=kind,
                unit=unit,
                unit_path=unit.path,
                note=note,
                created_at=opened,
                due_at=due,
                warn_at=warn,
            )
    except IntegrityError:
        return None


def may_sign(user: Actor, alert: RiskAlert) -> bool:
    """Whether `user` signs for `alert`: their unit is its addressee, or above it in its own
    line (not a county-wide unit, which sees every alert without being addressed)."""
    org = getattr(user, "organization", None)
    if org is None or not getattr(user, "is_active", False):
        return False
    if org.pk == alert.unit_id:
        return True
    scope = scope_for(user)
    return not scope.everything and scope.covers_path(alert.unit_path)


@transaction.atomic
def risk_alert_acknowledge(*, actor: Actor, alert_id: int) -> RiskAlert:
    """The addressed unit signs for the alert (签收); its card, if any, stays on record."""
    alert = RiskAlert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None or not scope_for(actor).covers_path(alert.unit_path):
        raise NotFound("预警不存在")
    if not may_sign(actor, alert):
        raise Forbidden(f"该预警推送给{alert.unit.name}，只能由该单位签收")
    if alert.acknowledged_at is not None:
        raise Conflict("该预警已签收", code="already_acknowledged")
    alert.acknowledged_by, alert.acknowledged_at = actor, timezone.now()
    alert.warn_at = None
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "warn_at"])
    late = alert.due_at is not None and alert.acknowledged_at > alert.due_at
    audit(actor, "mediation.risk_alert.acknowledge", alert, card=alert.card, late=late)
    return alert
