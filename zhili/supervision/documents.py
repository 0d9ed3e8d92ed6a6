"""The supervision notice (督办通知单), in the layout of official papers: a red title and a red
rule, the number, the addressee, the body, the table of the case's facts, the request and the
reply deadline, the issuing center and date, and the copy-to line at the foot.

`order_paper` holds the wording; the Word file (`render_order_docx`) and the print view
(`order_print`) both render it (zhili.core.paper)."""

from django.db import transaction
from django.utils import timezone

from zhili.core.paper import Block, Line, Paper, Table, docx_bytes
from zhili.core.personal import personal_data_print
from zhili.core.types import Actor
from zhili.supervision import targets
from zhili.supervision.models import SupervisionOrder
from zhili.supervision.services import late_text

TITLE = "督办通知单"


def _moment(value: object) -> str:
    if value is None:
        return "—"
    return f"{timezone.localtime(value):%Y年%m月%d日 %H:%M}"  # type: ignore[arg-type]


def _facts(order: SupervisionOrder) -> tuple[tuple[str, str], ...]:
    """The target's number, title, start and time limit (zhili.supervision.targets), how late
    it was when the order was issued, and the order's level."""
    target = targets.shown_one(None, order)
    if target is None:
        return ()
    late = late_text(order.issued_at - target.due) if target.due else "—"
    shown = (target.number, target.title, _moment(target.start), _moment(target.due))
    return (
        *zip(target.labels, shown, strict=True),
        ("超期时长", late),
        ("督办等级", order.get_level_display()),
    )


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
