"""The kinds of XLSX import the framework runs, registered once each.

The framework (upload, the two passes, progress, the all-or-nothing report, the job pages)
knows nothing of what a row means. An `ImportKind` says it: the sheet's columns, who may
upload it, how one row is checked (a `zhili.imports.validation.Checker`), how a batch of
checked rows is written, and the template's notes and example. The historical work orders
(`cases`, zhili/imports/cases.py) are one kind; an app adds its own from its
`AppConfig.ready()` with `register` (zhili/imports/people.py: the people register).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from openpyxl import Workbook

    from zhili.imports.models import ImportJob
    from zhili.imports.validation import Checker


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool | str  # True, False, or a condition in words
    note: str
    example: object
    width: int = 16


@dataclass(frozen=True)
class Batch:
    """What writing one batch did: rows written, rows already there (left as they were)."""

    created: int
    skipped: int


def _nothing(*_args: object) -> None:
    return None


Row = TypeVar("Row")  # the kind's checked row, from its checker to its `write`


@dataclass(frozen=True)
class ImportKind(Generic[Row]):
    code: str
    label: str  # the page's title: 工单导入, 实有人口导入
    noun: str  # what a row is: 工单, 人员
    unit: str  # its counter: 件, 人
    action: str  # the action that uploads it (zhili.core.roles)
    sheet_name: str
    columns: Sequence[Column]
    checker: "Callable[[ImportJob], Checker[Row]]"
    write: "Callable[[ImportJob, list[Row]], Batch]"
    template_name: str  # the template's file name, without .xlsx
    notes: Callable[[], list[str]]  # the notes sheet's numbered lines
    example: Callable[[], list[object]]  # the template's example row, in column order
    index_url: str  # the kind's upload page (a URL name)
    results_url: str  # where the imported rows are seen (a URL name)
    is_example: Callable[[Row], bool]  # a checked row that is the template's example
    # Columns whose cells the template formats as text (leading zeros, long numbers).
    text_keys: frozenset[str] = frozenset()
    # Called inside the job's last transaction with (job, created, skipped): its event.
    finished: "Callable[[ImportJob, int, int], None]" = _nothing
    # More sheets for the template (a code list, say).
    extra_sheets: "Callable[[Workbook], None]" = _nothing
    notes_sheet: str = field(default="填写说明")

    @cached_property
    def by_header(self) -> dict[str, Column]:
        return {column.header: column for column in self.columns}

    @cached_property
    def header_of(self) -> dict[str, str]:
        return {column.key: column.header for column in self.columns}

    @cached_property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required is True]


# Each kind has its own row type; the framework only passes a kind's rows back to that kind.
KINDS: dict[str, ImportKind[Any]] = {}


def register(kind: ImportKind[Row]) -> ImportKind[Row]:
    KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> ImportKind[Any]:
    return KINDS[code]
