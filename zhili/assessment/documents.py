"""The ranking circular (排名通报) of a period and rank group, as a `Paper` (Word through
zhili.core.paper): the ranked table, the units at the foot named, the vetoes."""

from django.utils import timezone

from zhili.assessment.models import Group
from zhili.assessment.periods import Period
from zhili.assessment.selectors import UnitScore
from zhili.core.paper import Block, Grid, Line, Paper, docx_bytes


def _row(row: UnitScore) -> tuple[str, ...]:
    flags = []
    if row.vetoed:
        flags.append("一票否决")
    if row.flagged:
        flags.append("末位")
    return (str(row.rank), row.org.name, f"{row.score}", row.grade_label, "、".join(flags) or "—")


def bulletin_paper(period: Period, group: str, rows: list[UnitScore]) -> Paper:
    label = Group(group).label
    title = f"关于{period.label}{label}综治工作考核排名情况的通报"
    bottom = [r.org.name for r in rows if r.flagged]
    vetoed = [r.org.name for r in rows if r.vetoed]
    blocks: list[Block] = [
        Line(title, align="center", title=True, size=22, rule="red", space_before=8),
        Line("各乡镇（街道、场区）综治中心，县直各有关部门：", space_before=8),
        Line(
            f"根据年度考核指标体系，现将{period.label}{label}考核得分与排名通报如下。"
            "各项得分均由平台台账自动汇总，可在考核评价页面逐项查看来源记录。",
            indent=True,
        ),
        Grid(("名次", "单位", "得分", "等次", "备注"), tuple(_row(r) for r in rows)),
    ]
    if bottom:
        blocks.append(
            Line(
                f"{'、'.join(bottom)}排名末位，请于十个工作日内向县综治中心书面报告原因与整改措施。",
                indent=True,
            )
        )
    if vetoed:
        blocks.append(Line(f"{'、'.join(vetoed)}被一票否决，取消年度评先评优资格。", indent=True))
    blocks += [
        Line("东海县综治中心", align="right", space_before=24),
        Line(f"{timezone.localdate():%Y年%m月%d日}", align="right"),
    ]
    return Paper(title=title, blocks=tuple(blocks))


def bulletin_docx(period: Period, group: str, rows: list[UnitScore]) -> bytes:
    return docx_bytes(bulletin_paper(period, group, rows))
