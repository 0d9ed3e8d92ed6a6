"""A report in Word and on its print page, both from the content snapshot (zhili.core.paper):
an archived version prints the words it was generated with."""

import base64
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhili.core.paper import Block, Grid, Line, Paper, Picture, docx_bytes
from zhili.reports.models import Kind, Report
from zhili.reports.sections import numbered

# On paper a figure cannot be clicked: the document says once where its records are (each
# section's `screen_notes`, which say what a click opens, are for the page only).
PAPER_LINKS = (
    "注：本报告的数字均可追溯到所统计的记录：在平台“分析报告”中打开本报告第{version}版，"
    "点击数字或得分即列出其记录。"
)


def cell_text(cell: Any) -> str:
    if isinstance(cell, dict):
        return str(cell.get("n", cell.get("text", "")))
    return str(cell)


def _generated(content: dict[str, Any]) -> str:
    moment = parse_datetime(content.get("generated_at") or "")
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M}" if moment else "—"


def _section(section: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Line(section["title"], bold=True, size=16, space_before=8)]
    for table in section.get("tables", []):
        blocks.append(Line(table["title"], bold=True, size=14))
        rows = tuple(tuple(cell_text(c) for c in row) for row in table["rows"])
        blocks.append(
            Grid(columns=tuple(table["columns"]), rows=rows or (("无",) * len(table["columns"]),))
        )
        if table.get("note"):
            blocks.append(Line(f"注：{table['note']}", size=12))
    blocks.extend(Line(note, indent=True, size=14) for note in section.get("notes", []))
    blocks.extend(
        Picture(png=base64.b64decode(chart["png"]), caption=f"图：{chart['title']}")
        for chart in section.get("charts", [])
    )
    return blocks


def _comment(report: Report, index: int) -> list[Block]:
    """The leader's comments after the sections (a blank to fill in when there are none)."""
    blocks: list[Block] = [Line(numbered("领导点评", index), bold=True, size=16, space_before=8)]
    if not report.comment:
        return [*blocks, Line("（待领导点评）", indent=True, size=14)]
    blocks.extend(Line(p, indent=True, size=14) for p in report.comment.splitlines() if p.strip())
    who = report.commented_by.display_name if report.commented_by else ""
    when = f"{timezone.localtime(report.commented_at):%Y年%m月%d日}" if report.commented_at else ""
    return [*blocks, Line(f"{who}  {when}", align="right", size=14)]


def report_paper(report: Report) -> Paper:
    content = report.content or {}
    blocks: list[Block] = [
        Line(
            content.get("title", str(report)),
            align="center",
            size=26,
            title=True,
            bold=True,
            red=True,
        ),
        Line(
            f"{content.get('period_label', report.period)}  第{report.version}版",
            align="center",
            rule="red",
        ),
        Line(
            f"{content.get('center', '')}  生成时间：{_generated(content)}", align="right", size=12
        ),
        Line(PAPER_LINKS.format(version=report.version), size=12),
    ]
    for section in content.get("sections", []):
        blocks.extend(_section(section))
    if report.kind == Kind.QUARTERLY:
        blocks.extend(_comment(report, len(content.get("sections", []))))
    return Paper(
        title=f"{content.get('title', report)} {report.period}",
        blocks=tuple(blocks),
        size=14,
        indent=28,
    )


def render_report_docx(report: Report) -> bytes:
    return docx_bytes(report_paper(report))


def document_filename(report: Report) -> str:
    return f"{report.get_kind_display()}-{report.period}-第{report.version}版.docx"
