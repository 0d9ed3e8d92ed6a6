"""The papers of 督, in the layout of official papers (zhili.core.paper): the 整改通知书 of a
finding (a second notice after a failed re-check says so, and 重点督查) and a circular (通报)
with its table, if it has one, and its distribution list. The Word file and the page render
the same parts (`body_parts`)."""

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone

from zhili.core.pages import DOCX, attachment
from zhili.core.paper import Block, Grid, Line, Paper, Table, docx_bytes
from zhili.inspections.models import Circular, Evidence, Finding


def word_response(paper: Paper, ascii_name: str) -> HttpResponse:
    """The paper as a Word download (the pages' and the API's)."""
    return attachment(docx_bytes(paper), DOCX, f"{ascii_name}.docx", f"{paper.title}.docx")


def evidence_response(item: Evidence) -> HttpResponse:
    """A piece of evidence as a download, under its own name."""
    with item.file.open("rb") as handle:
        return attachment(handle.read(), item.content_type, f"evidence-{item.pk}", item.name)


def _day(value: object) -> str:
    return f"{timezone.localtime(value):%Y年%m月%d日}"  # type: ignore[arg-type]


def notice_paper(finding: Finding) -> Paper:
    """整改通知书: the problem, the requirement, the owner unit, its leader and the deadline."""
    again = f"（第{finding.failures + 1}次）" if finding.failures else ""
    inspection = finding.inspection
    facts: tuple[tuple[str, str], ...] = (
        ("整改通知书编号", finding.number),
        ("督查名称", inspection.title if inspection else "—"),
        ("整改单位", finding.unit.name),
        ("单位负责人", finding.unit_leader),
        ("整改期限", _day(finding.due_at)),
        ("督查等级", "重点督查" if finding.key_supervision else "一般"),
    )
    blocks: list[Block] = [
        Line(f"整 改 通 知 书{again}", align="center", size=32, title=True, bold=True, red=True),
        Line(f"{finding.center.name}  {finding.number}", align="center", rule="red"),
        Line(f"{finding.unit.name}："),
        Line(f"经督查，你单位存在以下问题：{finding.problem}", indent=True),
        Table(facts),
        Line(f"整改要求：{finding.requirement}", indent=True),
        Line(
            f"请于{_day(finding.due_at)}前整改到位，并通过平台报送整改报告及佐证材料。"
            "整改情况将由整改单位以外的人员复查，复查通过后予以销号；"
            "逾期未整改或复查不合格的，将予以通报、列为重点督查直至对单位负责人诫勉谈话，"
            "并按考核办法扣分。",
            indent=True,
        ),
        Line(keep=True),
        Line(finding.center.name, align="right", keep=True),
        Line(_day(finding.issued_at), align="right"),
    ]
    return Paper(title=f"整改通知书 {finding.number}", blocks=tuple(blocks))


@dataclass(frozen=True)
class BodyParts:
    """A circular's paragraphs with its table, if any, after the first (which introduces it)."""

    before: list[str]
    columns: list[str]
    rows: list[list[str]]
    after: list[str]


def body_parts(circular: Circular) -> BodyParts:
    paragraphs = [p.strip() for p in circular.body.splitlines() if p.strip()]
    table = circular.table or {}
    columns, rows = list(table.get("columns", [])), list(table.get("rows", []))
    if not columns:
        return BodyParts(paragraphs, [], [], [])
    return BodyParts(paragraphs[:1], columns, rows, paragraphs[1:])


def _body(circular: Circular) -> list[Block]:
    parts = body_parts(circular)
    blocks: list[Block] = [Line(p, indent=True) for p in parts.before]
    if parts.columns:
        blocks.append(Grid(tuple(parts.columns), tuple(tuple(r) for r in parts.rows)))
    return blocks + [Line(p, indent=True) for p in parts.after]


def circular_paper(circular: Circular) -> Paper:
    units = "、".join(r.unit.name for r in circular.receipts.select_related("unit"))
    blocks: list[Block] = [
        Line(circular.center.name, align="center", size=30, title=True, bold=True, red=True),
        Line(circular.number, align="center", rule="red"),
        Line(circular.title, align="center", size=22, title=True, bold=True),
        Line(f"{units}：" if units else ""),
        *_body(circular),
        Line(keep=True),
        Line(circular.center.name, align="right", keep=True),
        Line(_day(circular.issued_at), align="right"),
        Line(rule="black"),
        Line(f"主送：{units}。", size=14, rule="black"),
    ]
    return Paper(title=f"{circular.get_kind_display()} {circular.number}", blocks=tuple(blocks))
