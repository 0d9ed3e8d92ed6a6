"""The monthly mediation report (人民调解工作统计月报表) as plain data: the aggregation of
disputes into its table, without the database.

The layout follows the county justice bureau's monthly form: one block of rows per
breakdown (by dispute type, by source, by the level of the committee that mediated), each
row with the same columns and a total row, and the same total at the foot of every block.

Columns, for the month reported (local calendar month):
- 受理 registered: disputes registered in the month;
- 调解 mediated: disputes whose mediation ended in the month, with an agreement or without
  (outcome ``agreement`` or ``no_agreement``, dated ``outcome_at`` in the month);
- 调解成功 succeeded / 调解不成 failed: the two parts of "mediated";
- 调解成功率 success rate: succeeded / mediated (blank when nothing was mediated);
- 不予调解 refused: disputes closed in the month without mediation (a party refused);
- 当事人终止 terminated: mediations a party ended in the month (人民调解法 第二十三条): neither
  a success nor 调解不成, so counted apart and not in "mediated";
- 涉及人数 people: the people involved (``people_count``) in the disputes mediated;
- 防止民转刑 (件 / 人): disputes flagged as at risk of turning criminal and settled by an
  agreement in the month, and their people;
- 防止群体性上访 (件 / 人): the same for the group-petition risk flag.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

AGREEMENT = "agreement"
NO_AGREEMENT = "no_agreement"
REFUSED = "refused"
TERMINATED = "terminated"


@dataclass(frozen=True)
class Fact:
    """One dispute as the report reads it (the month is applied by the caller)."""

    kind: str
    source: str
    level: str
    registered: bool  # registered in the month
    outcome: str  # the outcome reached in the month, "" when none
    people: int
    risk_criminal: bool = False
    risk_group_petition: bool = False


@dataclass
class Line:
    code: str
    label: str
    registered: int = 0
    mediated: int = 0
    succeeded: int = 0
    failed: int = 0
    refused: int = 0
    terminated: int = 0
    people: int = 0
    criminal_cases: int = 0
    criminal_people: int = 0
    petition_cases: int = 0
    petition_people: int = 0

    @property
    def success_rate(self) -> float | None:
        """Succeeded / mediated, rounded to 0.1 %; None when nothing was mediated."""
        return round(self.succeeded * 100 / self.mediated, 1) if self.mediated else None

    def add(self, fact: Fact) -> None:
        self.registered += fact.registered
        if fact.outcome in (AGREEMENT, NO_AGREEMENT):
            self.mediated += 1
            self.people += fact.people
        if fact.outcome == AGREEMENT:
            self.succeeded += 1
            if fact.risk_criminal:
                self.criminal_cases += 1
                self.criminal_people += fact.people
            if fact.risk_group_petition:
                self.petition_cases += 1
                self.petition_people += fact.people
        elif fact.outcome == NO_AGREEMENT:
            self.failed += 1
        elif fact.outcome == REFUSED:
            self.refused += 1
        elif fact.outcome == TERMINATED:
            self.terminated += 1


# The columns of every block, in order: (attribute, header, unit). The page, the workbook and
# the tests read this one list.
COLUMNS: list[tuple[str, str, str]] = [
    ("registered", "受理纠纷", "件"),
    ("mediated", "调解纠纷", "件"),
    ("succeeded", "调解成功", "件"),
    ("failed", "调解不成", "件"),
    ("success_rate", "调解成功率", "%"),
    ("refused", "不予调解", "件"),
    ("terminated", "当事人终止", "件"),
    ("people", "涉及人数", "人"),
    ("criminal_cases", "防止民转刑", "件"),
    ("criminal_people", "防止民转刑", "人"),
    ("petition_cases", "防止群体性上访", "件"),
    ("petition_people", "防止群体性上访", "人"),
]


@dataclass
class Section:
    key: str  # "kind", "source" or "level": the Fact attribute the block groups by
    title: str
    lines: list[Line]
    total: Line = field(default_factory=lambda: Line("total", "合计"))


@dataclass
class MonthlyTable:
    unit_name: str
    year: int
    month: int
    sections: list[Section]
    unit_code: str = ""
    year_total: Line | None = None  # 本年累计: January to the end of the month

    @property
    def total(self) -> Line:
        return self.sections[0].total

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.month}月"


BLOCKS: list[tuple[str, str]] = [
    ("kind", "按纠纷类型"),
    ("source", "按纠纷来源"),
    ("level", "按调解组织层级"),
]


def build_table(
    facts: Iterable[Fact],
    *,
    unit_name: str,
    year: int,
    month: int,
    rows: Mapping[str, Sequence[tuple[str, str]]],
    unit_code: str = "",
) -> MonthlyTable:
    """Aggregate `facts` into the report. `rows` gives, for each block key ("kind",
    "source", "level"), its rows as (code, label) in the order of the form; every row is
    shown, zeros included. A fact whose code is not listed counts in the total only (it
    cannot happen with the model's choices, and a total must never lose a dispute)."""
    sections = [
        Section(key, title, [Line(code, label) for code, label in rows[key]])
        for key, title in BLOCKS
    ]
    index = {s.key: {line.code: line for line in s.lines} for s in sections}
    for fact in facts:
        for section in sections:
            line = index[section.key].get(getattr(fact, section.key))
            if line is not None:
                line.add(fact)
            section.total.add(fact)
    return MonthlyTable(
        unit_name=unit_name, year=year, month=month, sections=sections, unit_code=unit_code
    )


def cell(line: Line, attribute: str) -> int | float | None:
    return getattr(line, attribute)
