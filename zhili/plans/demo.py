"""`zhili demo` for plans (统筹协调): this year's work plan of the county center with three
key projects and their tasks (lead and responsible units, milestones, due days, some of them
already past), last month's progress reports from some of the units (the others' are missing
and counted), and two meetings (a 联席会 a month ago, last week's 周例会) whose decisions are
tasks. The sweep then marks the tasks past their due day overdue and each opens its 督办单,
as the scheduler and the worker do. Idempotent: nothing is written when the plan exists.
"""

from datetime import date, datetime, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from zhili.core.roles import Role
from zhili.orgs.models import Organization, User
from zhili.plans import meetings, progress, services
from zhili.plans.models import Plan, Task, TaskState

COUNTY = "320722"
# (project, lead unit's code suffix, [(task, lead, responsible, days from the plan's start to
#  its due day, progress reported)])
PROJECTS = [
    (
        "综治中心规范化建设",
        "",
        [
            ("乡镇综治中心场所与入驻力量达标", "320722003", ["-ZDS"], 150, 60),
            ("村级综治中心（网格服务站）挂牌运行", "320722003", [], 400, 30),
            ("综治中心信息平台县乡村三级贯通", "-XXZX", ["320722003", "-GAJ"], 320, 80),
        ],
    ),
    (
        "矛盾纠纷多元化解",
        "-SFJ",
        [
            ("调解室视频调解全覆盖", "-SFJ", ["320722003"], 200, 50),
            ("重点领域矛盾纠纷专项排查化解", "320722003", ["-SFJ", "-XFJD"], 380, 40),
        ],
    ),
    (
        "平安建设重点工程",
        "-GAJ",
        [
            ("雪亮工程视频点位补盲", "-GAJ", ["320722003"], 250, 70),
            ("网格员队伍专职化培训", "-ZDS", ["320722003"], 340, 90),
        ],
    ),
]


def _unit(code: str) -> Organization | None:
    full = f"{COUNTY}{code}" if code.startswith("-") or not code else code
    return Organization.objects.filter(code=full).first()


def _start(today: date) -> datetime:
    """The plan's moment: 1 February of this year, or 30 days ago early in the year."""
    tz = timezone.get_current_timezone()
    first = datetime(today.year, 2, 1, 9, 0, tzinfo=tz)
    return min(first, timezone.now() - timedelta(days=30))


def load(*, stdout: TextIO) -> None:
    today = timezone.localdate()
    actor = User.objects.filter(
        groups__name=Role.CENTER_DIRECTOR, organization__code=COUNTY
    ).first()
    if actor is None or Plan.objects.filter(year=today.year).exists():
        stdout.write("工作计划：已有本年度计划或缺少县综治中心主任，跳过\n")
        return
    with transaction.atomic():
        plan = services.plan_create(
            actor=actor,
            year=today.year,
            title=f"{today.year}年度全县社会治理综合中心建设工作计划",
            summary="围绕“一心多极”建设，统筹推进综治中心规范化、矛盾纠纷多元化解和平安建设重点工程。",
        )
        tasks = _projects(actor, plan, _start(today))
        _reports(tasks, today)
        _meetings(actor, today)
    overdue = services.tasks_sweep()
    orders = [
        services.supervise_overdue(task_id=t.pk)
        for t in Task.objects.filter(state=TaskState.OVERDUE)
    ]
    stdout.write(
        f"工作计划：{len(PROJECTS)} 个重点项目、{Task.objects.count()} 项任务（含会议决定事项），"
        f"逾期 {overdue} 项，下发督办单 {len([o for o in orders if o])} 份\n"
    )


def _projects(actor: User, plan: Plan, start: datetime) -> list[Task]:
    tasks = []
    for name, lead, rows in PROJECTS:
        project = services.project_add(actor=actor, plan=plan, name=name, lead_unit=_unit(lead))
        for title, unit, others, days, _reported in rows:
            due = timezone.localdate(start) + timedelta(days=days)
            data = services.TaskInput(
                title=title,
                lead_unit=_unit(unit),
                due_on=due,
                units=[_unit(code) for code in others],
                milestones=[("制定实施方案", timezone.localdate(start) + timedelta(days=20))],
            )
            tasks.append(services.task_create(actor=actor, data=data, project=project, at=start))
    return tasks


def _reports(tasks: list[Task], today: date) -> None:
    """Last month's report from each task's lead unit (the responsible units' are missing)."""
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    reported = {title: share for _n, _l, rows in PROJECTS for title, *_r, share in rows}
    for task in tasks:
        reporter = User.objects.filter(
            organization=task.lead_unit, groups__name__in=services.workflow.UNIT_ROLES
        ).first()
        if reporter is None or task.created_at.date() >= month:
            continue
        progress.progress_report(
            actor=reporter,
            task=task,
            month=month,
            progress=reported[task.title],
            text="按实施方案推进，阶段目标基本完成。",
            problems="个别点位经费尚未落实。",
            next_steps="下月完成剩余点位建设并组织验收。",
        )


def _meetings(actor: User, today: date) -> None:
    joint_at = timezone.now() - timedelta(days=35)
    meetings.meeting_record(
        actor=actor,
        kind="joint",
        title="全县矛盾纠纷排查化解联席会议",
        held_on=timezone.localdate(joint_at),
        attendees="县委政法委、县信访局、县司法局、县公安局、各乡镇（街道）分管负责同志",
        minutes="通报近期矛盾纠纷排查情况，研究欠薪、征地拆迁类纠纷化解措施。",
        chair="王立新",
        place="县综治中心三楼会议室",
        decisions=[
            meetings.Decision(
                "欠薪类纠纷集中化解",
                _unit("-SFJ"),
                timezone.localdate(joint_at) + timedelta(days=20),
            ),
            meetings.Decision(
                "征地拆迁信访积案包案化解",
                _unit("-XFJD"),
                timezone.localdate(joint_at) + timedelta(days=60),
            ),
        ],
        at=joint_at,
    )
    weekly_at = timezone.now() - timedelta(days=(today.weekday() + 7) % 7 + 3)
    meetings.meeting_record(
        actor=actor,
        kind="weekly",
        title="综治中心周例会",
        held_on=timezone.localdate(weekly_at),
        attendees="陈建国、刘海燕、赵晓东、各入驻平台负责人",
        minutes="研判上周事件工单、预警及督办情况，部署本周重点工作。",
        chair="陈建国",
        place="县综治中心指挥大厅",
        decisions=[
            meetings.Decision(
                "白塔埠镇广场舞噪音扰民问题专项整治", _unit("320722003"), today + timedelta(days=7)
            ),
            meetings.Decision("路灯故障集中报修排查", _unit("-XXZX"), today + timedelta(days=5)),
            meetings.Decision(
                "春节前重点人员走访全覆盖", _unit("-GAJ"), today + timedelta(days=20)
            ),
        ],
        at=weekly_at,
    )
