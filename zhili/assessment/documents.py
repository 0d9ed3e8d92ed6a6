"""The text of the ranking circular (排名通报) of a period and rank group: its title, its
paragraphs (the units at the foot named, the vetoes) and the ranked table. It is issued as a
circular of 督 (zhili.assessment.bulletins), whose paper (zhili.inspections.documents) sets
the table after the first paragraph and signs with the issuing center's name."""

from dataclasses import dataclass

from zhili.assessment.models import Group
from zhili.assessment.periods import Period
from zhili.assessment.selectors import UnitScore

COLUMNS = ("名次", "单位", "得分", "等次", "备注")


@dataclass(frozen=True)
class RankingText:
    title: str
    body: str  # one paragraph a line; the table follows the first
    rows: list[tuple[str, ...]]


def _row(row: UnitScore) -> tuple[str, ...]:
    flags = []
    if row.vetoed:
        flags.append("一票否决")
    if row.flagged:
        flags.append("末位")
    return (str(row.rank), row.org.name, f"{row.score}", row.grade_label, "、".join(flags) or "—")


def ranking_text(period: Period, group: str, rows: list[UnitScore], center: str) -> RankingText:
    """`rows` ranked best first; `center` the issuing center's name (the units at the foot
    report to it)."""
    label = Group(group).label
    paragraphs = [
        f"根据年度考核指标体系，现将{period.label}{label}考核得分与排名通报如下。"
        "各项得分均由平台台账自动汇总，可在考核评价页面逐项查看来源记录。"
    ]
    bottom = [r.org.name for r in rows if r.flagged]
    if bottom:
        paragraphs.append(
            f"{'、'.join(bottom)}排名末位，请于十个工作日内向{center}书面报告原因与整改措施。"
        )
    vetoed = [r.org.name for r in rows if r.vetoed]
    if vetoed:
        paragraphs.append(f"{'、'.join(vetoed)}被一票否决，取消年度评先评优资格。")
    return RankingText(
        title=f"关于{period.label}{label}综治工作考核排名情况的通报",
        body="\n".join(paragraphs),
        rows=[_row(r) for r in rows],
    )
