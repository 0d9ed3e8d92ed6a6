"""Circulars (通报): issued by a center to units, each of which confirms it read them (阅知).

A criticism names a unit whose rectification failed its re-check (the ladder's first rung);
a work or ranking circular is written by the inspectors."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.errors import Forbidden, InvalidInput, NotFound, required_text
from zhili.core.events import emit
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor, SystemActor
from zhili.inspections.events import CircularIssued
from zhili.inspections.models import Circular, CircularKind, Finding, Receipt
from zhili.orgs.models import Organization
from zhili.orgs.selectors import units_named


def next_circular_no() -> str:
    """东综治通〔2026〕7号: the county center's circulars, numbered per year."""
    year = timezone.localdate().year
    return f"东综治通〔{year}〕{take_next(Series.CIRCULAR, str(year))}号"


@transaction.atomic
def circular_issue(
    *,
    actor: SystemActor,
    kind: str,
    title: str,
    body: str,
    unit_codes: Iterable[str],
    finding: Finding | None = None,
) -> Circular:
    """Issue a circular to units; each gets a receipt to sign when it has read it."""
    if actor is not None and not can(actor, Action.INSPECTIONS_MANAGE):
        raise Forbidden("您的角色不能印发通报")
    if kind not in CircularKind.values:
        raise InvalidInput("请选择通报类型", field="kind")
    title = required_text(title, field="title", label="标题", limit=200)
    body = required_text(body, field="body", label="正文", limit=20000)
    units = units_named(unit_codes, field="units", label="主送单位")
    center = _issuer(actor, finding)
    circular = Circular.objects.create(
        number=next_circular_no(),
        kind=kind,
        title=title,
        body=body,
        finding=finding,
        center=center,
        center_path=center.path,
        issued_by=actor,
    )
    Receipt.objects.bulk_create(
        [Receipt(circular=circular, unit=u, unit_path=u.path) for u in units]
    )
    audit(actor, "inspections.circular.issue", circular, number=circular.number)
    emit(
        CircularIssued(
            circular_id=circular.pk, number=circular.number, units=tuple(u.code for u in units)
        )
    )
    return circular


def _issuer(actor: SystemActor, finding: Finding | None) -> Organization:
    if finding is not None:
        return finding.center
    org = actor.organization if actor is not None else None
    if org is None:
        raise Forbidden("您的账号未归属任何单位")
    return org


@transaction.atomic
def circular_read(*, actor: Actor, circular: Circular) -> Receipt:
    """The reader's unit confirms it read the circular (the first reader signs for it)."""
    org = actor.organization
    receipts = Receipt.objects.select_for_update().filter(circular=circular)
    mine = [r for r in receipts if org is not None and org.path.startswith(r.unit_path)]
    if not mine:
        raise NotFound("该通报未发送到您所在单位", field="number")
    receipt = max(mine, key=lambda r: len(r.unit_path))  # the nearest unit above the reader
    if receipt.read_at is None:
        receipt.read_by, receipt.read_at = actor, timezone.now()
        receipt.save(update_fields=["read_by", "read_at"])
        audit(actor, "inspections.circular.read", circular, unit=receipt.unit.code)
    return receipt
