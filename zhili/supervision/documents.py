"""The supervision notice (督办通知单), in the layout of official papers: a red title and a red
rule, the number, the addressee, the body, the table of the case's facts, the request and the
reply deadline, the issuing center and date, and the copy-to line at the foot.

`order_paper` holds the wording; the Word file (`render_order_docx`) and the print view
(`order_print`) both render it (zhili.core.paper)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from zhili.core.paper import Block, Line, Paper, Table, docx_bytes
from zhili.core.personal import personal_data_print
from zhili.core.types import Actor
from zhili.supervision.models import SupervisionOrder
from zhili.supervision.services import late_text

TITLE = "督办通知单"


def _moment(value: object) -> str:
    if value is None:
        return "—"
    return f"{timezone.localtime(value):%Y年%m月%d日 %H:%M}"  # type: ignore[arg-type]


# The labels of the supervised case's or petition's number, title, start and time limit.
CASE_LABELS = ("工单编号", "事项标题", "受理时间", "办结时限")
PETITION_LABELS = ("信访件编号", "信访事项", "收到时间", "当前环节时限")


def _target_facts(
    order: SupervisionOrder,
    labels: tuple[str, str, str, str],
    values: tuple[str, str, datetime | None],
    due: datetime | None,
) -> tuple[tuple[str, str], ...]:
    """The target's number, title, start and time limit (`values`, then `due`), how late it
    was when the order was issued, and the order's level."""
    number, title, start = values
    late = late_text(order.issued_at - due) if due else "—"
    shown = (number, title, _moment(start), _moment(due))
    return (
        *zip(labels, shown, strict=True),
        ("超期时长", late),
        ("督办等级", order.get_level_display()),
    )


def _facts(order: SupervisionOrder) -> tuple[tuple[str, str], ...]:
    case, petition = order.case, order.petition
    if case is not None:
        values = (case.case_no, case.title, case.registered_at)
        return _target_facts(order, CASE_LABELS, values, case.due_at)
    if petition is not None:
        values = (petition.number, petition.title, petition.received_at)
        return _target_facts(order, PETITION_LABELS, values, petition.due_at)
    return ()


def order_paper(order: SupervisionOrder) -> Paper:
    facts = _facts(order)
    blocks: list[Block] = [
        Line("督 办 通 知 单", align="center", size=36, title=True, bold=True, red=True),
        Line(
            f"{order.center.name}  {order.number}号  [{order.get_level_display()}]",
            align="center",
            rule="red",
        ),
        Line(f"{order.unit.name}："),
        Line(order.reason, indent=True),
        *([Table(facts)] if facts else []),
        Line(order.request, indent=True),
        Line(f"答复时限：{_moment(order.due_at)}", indent=True),
        Line(keep=True),
        Line(order.center.name, align="right", keep=True),
        Line(f"{timezone.localtime(order.issued_at):%Y年%m月%d日}", align="right"),
        Line(rule="black"),
        Line(f"抄送：{order.copy_to.name if order.copy_to else '—'}。", size=14, rule="black"),
    ]
    return Paper(title=f"{TITLE} {order.number}", blocks=tuple(blocks))


def render_order_docx(order: SupervisionOrder) -> bytes:
    return docx_bytes(order_paper(order))


@transaction.atomic
def order_print(*, actor: Actor, order: SupervisionOrder) -> Paper:
    """The notice for the print view, of an order from a scoped selector; audited like
    every printed document (it names the matter it supervises)."""
    personal_data_print(actor=actor, target=order, document="supervision.order")
    return order_paper(order)


def document_filename(order: SupervisionOrder) -> str:
    return f"{TITLE}-{order.number}.docx"
