"""The incident report (指挥事件处置报告), in Word, once the incident is closed: its facts,
the plan's tasks with their teams and deadlines, each force dispatched with its answers, and
the whole timeline. The wording is `incident_paper`; zhili.core.paper renders it."""

from datetime import datetime

from django.utils import timezone

from zhili.core.errors import Conflict
from zhili.core.paper import Block, Line, Paper, Table, docx_bytes
from zhili.incidents import selectors
from zhili.incidents.models import Incident, IncidentState

TITLE = "指挥事件处置报告"


def _moment(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%Y年%m月%d日 %H:%M:%S}" if value else "—"


def _clock(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%H:%M:%S}" if value else "—"


def incident_paper(incident: Incident) -> Paper:
    tasks = _tasks(incident)
    dispatches = _dispatches(incident)
    blocks: list[Block] = [
        Line(TITLE, align="center", size=26, title=True, bold=True),
        Line(f"{incident.organization.name}  {incident.number}", align="center", rule="black"),
        Line("一、基本情况", bold=True),
        Table(_facts(incident)),
        Line("二、处置任务", bold=True),
        *([Table(tasks)] if tasks else [Line("未匹配到预案，没有预设任务。", indent=True)]),
        Line("三、力量派遣", bold=True),
        *([Table(dispatches)] if dispatches else [Line("未派遣处置力量。", indent=True)]),
        Line("四、处置经过", bold=True),
        *_course(incident),
    ]
    return Paper(title=f"{TITLE} {incident.number}", blocks=tuple(blocks))


def _facts(incident: Incident) -> tuple[tuple[str, str], ...]:
    return (
        ("事件编号", incident.number),
        ("事件标题", incident.title),
        ("事项分类", incident.category.name),
        ("事件等级", incident.get_level_display()),
        ("指挥单位", incident.organization.name),
        ("事发地点", f"北纬 {incident.lat:.5f}，东经 {incident.lng:.5f}"),
        ("关联工单", incident.case.case_no if incident.case else "—"),
        ("适用预案", incident.plan.name if incident.plan else "—"),
        ("开启时间", _moment(incident.opened_at)),
        ("结束时间", _moment(incident.closed_at)),
    )


def _tasks(incident: Incident) -> tuple[tuple[str, str], ...]:
    return tuple(
        (
            f"{t.role}：{t.text}",
            f"{t.team.name if t.team else '辖区内无该类队伍'}，时限 {_clock(t.due_at)}",
        )
        for t in selectors.tasks_of(incident)
    )


def _dispatches(incident: Incident) -> tuple[tuple[str, str], ...]:
    return tuple(
        (
            f"{d.force.name}（{d.force.team.name}）",
            f"派遣 {_clock(d.sent_at)}，接收 {_clock(d.accept_at)}，"
            f"到场 {_clock(d.arrive_at)}，完成 {_clock(d.finish_at)}",
        )
        for d in selectors.dispatches_of(incident)
    )


def _course(incident: Incident) -> list[Line]:
    """The timeline, a line a step."""
    return [
        Line(
            f"{_clock(e.created_at)}  {e.label}（{e.actor}）" + (f"：{e.note}" if e.note else ""),
            size=14,
        )
        for e in selectors.history(incident)
    ]


def report_docx(incident: Incident) -> bytes:
    """The report of a closed incident; an open one has none yet (409)."""
    if incident.state != IncidentState.CLOSED:
        raise Conflict("事件结束处置后才能生成处置报告", code="wrong_state")
    return docx_bytes(incident_paper(incident))


def report_filename(incident: Incident) -> str:
    return f"{TITLE}-{incident.number}.docx"
