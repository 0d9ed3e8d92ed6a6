"""The sections of a report, as a registry (zhili.core.registry): the reports app registers
the 日报's own sections (zhili/reports/daily.py), and a higher app adds its own from its
`AppConfig.ready()`, the reports app never naming it:

    from zhili.reports.sections import SECTIONS, Builder, Section

    def new_warnings(builder: Builder) -> Content:
        rows = [[warning.rule_label, builder.figure(n, url)] for ...]
        return builder.content(tables=[builder.table("按预警规则", ["规则", "件数"], rows)])

    SECTIONS.register("warnings", Section(title="新增预警", order=20, build=new_warnings))

A section is built once, when the report is generated, into JSON (`Content`): notes and
tables whose cells are text, a figure (`{"n": 3, "url": "/cases/?..."}`: every number links
to the list of its records) or a link. What a reader can only do on the page (click a figure)
is said in `screen_note(s)`, which the page shows and the Word file leaves out: on paper the
document says once where its figures' records are (zhili.reports.documents). A figure whose records have no list elsewhere keeps
them in the report (`Builder.records`), shown at /reports/<id>/records/<key>/, so an archived
version's numbers still open exactly the records they counted. The sections come in the
order of `order` (the 日报: 10 totals, 20 new warnings, 30 cards, 40 overdue, 50 visits,
60 open 督办); the page and the Word file number them 一、二、… in that order.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from zhili.core.registry import Registry
from zhili.reports.models import Kind
from zhili.reports.periods import Period

Cell = str | int | dict[str, Any]
Content = dict[str, Any]
# At most this many records are kept behind one figure (the count stays exact; the page says
# that only the first ones are listed).
KEPT_RECORDS = 2000


@dataclass
class Builder:
    """What a section's `build` is given: the period, the moment of generation, and the
    helpers that write figures, tables and the records behind a figure."""

    report_id: int
    period: Period
    now: datetime
    records: dict[str, Content] = field(default_factory=dict)
    # What several sections of one report read (the month's grouped counts): computed by the
    # first that asks, under a key of its own.
    shared: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def figure(n: int, url: str) -> dict[str, Any]:
        return {"n": int(n), "url": url}

    @staticmethod
    def link(text: str, url: str) -> dict[str, Any]:
        return {"text": text, "url": url}

    @staticmethod
    def list_url(name: str, **params: object) -> str:
        """The URL of the list page `name` with its filters (empty values left out)."""
        query = [
            (key, value)
            for key, values in params.items()
            for value in (values if isinstance(values, list | tuple) else [values])
            if value not in ("", None, False)
        ]
        return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)

    def kept(
        self, key: str, title: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]], n: int
    ) -> dict[str, Any]:
        """A figure of `n` records kept in the report under `key` (the first KEPT_RECORDS of
        `rows`, one a record), linking to their page."""
        self.records[key] = {
            "title": title,
            "columns": list(columns),
            "rows": [list(row) for row in rows[:KEPT_RECORDS]],
            "n": int(n),
        }
        return self.figure(n, reverse("reports:records", args=[self.report_id, key]))

    @staticmethod
    def table(
        title: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        *,
        note: str = "",
        screen_note: str = "",
    ) -> Content:
        return {
            "title": title,
            "columns": list(columns),
            "rows": [list(r) for r in rows],
            "note": note,
            "screen_note": screen_note,
        }

    @staticmethod
    def content(
        *,
        tables: Sequence[Content] = (),
        notes: Sequence[str] = (),
        screen_notes: Sequence[str] = (),
        charts: Sequence[Content] = (),
    ) -> Content:
        """A section's content; `charts` (zhili.reports.charts.chart_content) come after its
        tables."""
        return {
            "tables": list(tables),
            "notes": list(notes),
            "screen_notes": list(screen_notes),
            "charts": list(charts),
        }


@dataclass(frozen=True)
class Section:
    title: str
    order: int
    build: Callable[[Builder], Content]
    kinds: frozenset[str] = frozenset({Kind.DAILY})


SECTIONS: Registry[Section] = Registry("report section")


def sections_for(kind: str) -> list[tuple[str, Section]]:
    """The sections of a report of `kind`, in their order."""
    chosen = [(key, s) for key, s in SECTIONS.items() if kind in s.kinds]
    return sorted(chosen, key=lambda item: item[1].order)


NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1..99 in Chinese numerals as headings count them: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    if not 1 <= n <= 99:
        return str(n)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{NUMERALS[tens - 1]}十")
    return head + (NUMERALS[ones - 1] if ones else "")


def numbered(title: str, index: int) -> str:
    """The `index`-th (from 0) section's heading: 一、…, 十一、…"""
    return f"{numeral(index + 1)}、{title}"
