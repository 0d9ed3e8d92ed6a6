"""Circulars (通报): issued by a center to units, each of which confirms it read them (阅知).

A criticism names a unit whose rectification failed its re-check (the ladder's first rung,
`ladder_circular`); a work circular is written by the inspectors; a ranking circular is the
assessment's monthly leaderboard, issued from its page (zhili.assessment.bulletins) with the
ranking as its table. Every circular goes out in the name of a center (`issuing_center`)."""

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound, required_text
from zhili.core.events import emit
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor, SystemActor
from zhili.inspections.events import CircularIssued
from zhili.inspections.models import Circular, CircularKind, Finding, Receipt
from zhili.orgs.models import Kind, Organization
from zhili.orgs.selectors import units_named


def next_circular_no() -> str:
    """东综治通〔2026〕7号: the county center's circulars, numbered per year."""
    year = timezone.localdate().year
    return f"东综治通〔{year}〕{take_next(Series.CIRCULAR, str(year))}号"


def issuing_center(org: Organization) -> Organization:
    """The center whose name a unit's circulars bear: the unit itself when it is a center,
    else the nearest center above it (the staff of a sub-center or an office of the county
    center issue the county center's)."""
    if org.kind == Kind.CENTER:
        return org
    codes = [code for code in org.path.split("/") if code]
    above = Organization.objects.filter(code__in=codes, kind=Kind.CENTER).order_by("-depth")
    return above.first() or org


def _table(table: tuple[Sequence[str], Sequence[Sequence[str]]] | None) -> dict[str, object]:
    if table is None:
        return {}
    columns, rows = [str(c) for c in table[0]], [[str(v) for v in row] for row in table[1]]
    if not columns or any(len(row) != len(columns) for row in rows):
        raise InvalidInput("附表的每一行须与表头列数相同", field="table")
    return {"columns": columns, "rows": rows}


@transaction.atomic
def circular_issue(
    *,
    actor: SystemActor,
    kind: str,
    title: str,
    body: str,
    unit_codes: Iterable[str],
    table: tuple[Sequence[str], Sequence[Sequence[str]]] | None = None,
    subject: str = "",
) -> Circular:
    """Issue a circular to units; each gets a receipt to sign when it has read it. `table`
    (columns, rows) is kept with it; a `subject` names what it is the one circular of (a
    second one is refused, naming the first)."""
    if actor is not None and not can(actor, Action.INSPECTIONS_MANAGE):
        raise Forbidden("您的角色不能印发通报")
    org = actor.organization if actor is not None else None
    if org is None:
        raise Forbidden("您的账号未归属任何单位")
    return _issue(
        actor,
        kind=kind,
        title=title,
        body=body,
        unit_codes=unit_codes,
        center=issuing_center(org),
        table=_table(table),
        subject=subject,
    )


@transaction.atomic
def ladder_circular(
    *, actor: SystemActor, finding: Finding, title: str, body: str, unit_codes: Iterable[str]
) -> Circular:
    """The ladder's first rung: a criticism naming the finding's unit, in the name of the
    center that issued the finding. It follows from a failed 复查, so whoever was entitled to
    that re-check issues it (an inspector, or a member of the inspection's team)."""
    return _issue(
        actor,
        kind=CircularKind.CRITICISM,
        title=title,
        body=body,
        unit_codes=unit_codes,
        center=finding.center,
        finding=finding,
    )


def _issue(
    actor: SystemActor,
    *,
    kind: str,
    title: str,
    body: str,
    unit_codes: Iterable[str],
    center: Organization,
    finding: Finding | None = None,
    table: dict[str, object] | None = None,
    subject: str = "",
) -> Circular:
    if kind not in CircularKind.values:
        raise InvalidInput("请选择通报类型", field="kind")
    title = required_text(title, field="title", label="标题", limit=200)
    body = required_text(body, field="body", label="正文", limit=20000)
    units = units_named(unit_codes, field="units", label="主送单位")
    _check_subject(subject)
    circular = Circular(
        number=next_circular_no(),
        kind=kind,
        title=title,
        body=body,
        table=table or {},
        subject=subject,
        finding=finding,
        center=center,
        center_path=center.path,
        issued_by=actor,
    )
    try:
        with transaction.atomic():
            circular.save()
    except IntegrityError:  # the same subject issued at the same moment by someone else
        _check_subject(subject)
        raise
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


def _check_subject(subject: str) -> None:
    if not subject:
        return
    if len(subject) > 80:
        raise InvalidInput("通报事项不能超过 80 个字符", field="subject")
    issued = Circular.objects.filter(subject=subject).first()
    if issued is not None:
        raise Conflict(f"已印发：{issued.number}", code="already_issued")


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
