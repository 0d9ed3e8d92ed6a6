"""The plans API (统筹协调): plans and their projects, tasks (list, create, detail, the
kernel's actions `POST /plan-tasks/{number}/actions/{start|complete|reopen|extend}`), monthly
progress reports and the per-unit report counts, meetings with their decisions. Endpoints
hold no rules: reads go through `selectors` (out of scope is 404), writes through services."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema, Status

from zhili.core.dates import Day, Month
from zhili.core.dossier import api as dossier_api
from zhili.core.errors import InvalidInput
from zhili.core.schemas import ERRORS, Input
from zhili.orgs.api import OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Organization
from zhili.plans import meetings, progress, selectors, services, workflow
from zhili.plans.models import Meeting, MeetingKind, Plan, ProgressReport, Source, Task, TaskState

plans_router = Router(tags=["工作计划"])


def _org(org: Organization) -> dict[str, str]:
    return {"code": org.code, "name": org.name}


def _unit(code: str | None) -> Organization | None:
    return Organization.objects.filter(code=code).first() if code else None


def _month(text: str, field: str = "month") -> date:
    if not text:
        raise InvalidInput("请填写月份（YYYY-MM）", field=field)
    return date(int(text[:4]), int(text[5:7]), 1)


# --- plans ------------------------------------------------------------------------------------


class PlanProjectOut(Schema):
    id: int
    name: str
    description: str
    lead_unit: OrgRef


class PlanOut(Schema):
    id: int
    year: int
    title: str
    summary: str
    center: OrgRef


class PlanDetailOut(PlanOut):
    projects: list[PlanProjectOut]


class PlanIn(Input):
    year: int = Field(..., ge=2000, le=2099, description="年度")
    title: str = Field(..., min_length=1, max_length=120)
    summary: str = Field("", max_length=5000)


class PlanProjectIn(Input):
    name: str = Field(..., min_length=1, max_length=120)
    lead_unit: str = Field(..., max_length=40, description="牵头单位编码")
    description: str = Field("", max_length=5000)


def plan_out(plan: Plan) -> dict[str, object]:
    return {
        "id": plan.pk,
        "year": plan.year,
        "title": plan.title,
        "summary": plan.summary,
        "center": _org(plan.center),
    }


def plan_detail_out(plan: Plan) -> dict[str, object]:
    projects = [
        {"id": p.pk, "name": p.name, "description": p.description, "lead_unit": _org(p.lead_unit)}
        for p in plan.projects.select_related("lead_unit")
    ]
    return {**plan_out(plan), "projects": projects}


@plans_router.get("/plans", response={200: list[PlanOut], **ERRORS})
def plan_list(request: StaffRequest) -> list[dict[str, object]]:
    return [plan_out(p) for p in selectors.plan_list(user=request.user)]


@plans_router.post("/plans", response={201: PlanDetailOut, **ERRORS})
def plan_create(request: StaffRequest, payload: PlanIn) -> Status:
    plan = services.plan_create(actor=request.user, **payload.dict())
    return Status(201, plan_detail_out(plan))


@plans_router.get("/plans/{plan_id}", response={200: PlanDetailOut, **ERRORS})
def plan_detail(request: StaffRequest, plan_id: int) -> dict[str, object]:
    return plan_detail_out(selectors.plan_get(user=request.user, plan_id=plan_id))


@plans_router.post("/plans/{plan_id}/projects", response={201: PlanProjectOut, **ERRORS})
def project_add(request: StaffRequest, plan_id: int, payload: PlanProjectIn) -> Status:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    project = services.project_add(
        actor=request.user,
        plan=plan,
        name=payload.name,
        lead_unit=_unit(payload.lead_unit),
        description=payload.description,
    )
    out = {
        "id": project.pk,
        "name": project.name,
        "description": project.description,
        "lead_unit": _org(project.lead_unit),
    }
    return Status(201, out)


# --- tasks ---------------------------------------------------------------------------------------


class PlanTaskOut(Schema):
    number: str
    source: str = Field(..., description="plan / meeting")
    title: str
    state: str = Field(..., description="not_started / in_progress / done / overdue")
    state_label: str
    lead_unit: OrgRef
    units: list[OrgRef] = Field(..., description="责任单位（不含牵头单位）")
    due_on: date
    progress: int
    plan_id: int | None
    project_id: int | None
    meeting: str | None = Field(..., description="会议编号（会议决定事项）")
    created_at: datetime


class PlanMilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_at: datetime | None


class PlanTaskDetailOut(PlanTaskOut):
    description: str
    outcome: str
    center: OrgRef
    done_at: datetime | None
    milestones: list[PlanMilestoneOut]
    actions: list[str]
    history: list[dossier_api.DossierHistoryOut]


TaskPageOut = dossier_api.page_schema(PlanTaskOut, "PlanTaskPageOut")


class PlanTaskQuery(dossier_api.PageQuery):
    state: TaskState | None = Field(None, description="状态")
    source: Source | None = Field(None, description="来源")
    plan: int | None = Field(None, ge=1, le=2**31 - 1, description="年度计划 id")
    mine: bool = Field(False, description="只看本单位的")


class PlanMilestoneIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: Day


class PlanTaskIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    lead_unit: str = Field(..., max_length=40, description="牵头单位编码")
    units: list[str] = Field([], max_length=50, description="责任单位编码")
    due_on: Day
    description: str = Field("", max_length=5000)
    plan_id: int | None = Field(None, ge=1, le=2**31 - 1)
    project_id: int | None = Field(None, ge=1, le=2**31 - 1)
    milestones: list[PlanMilestoneIn] = Field([], max_length=50)


class PlanTaskActionIn(Input):
    """complete reads `outcome`; reopen a `reason`; extend `due_on` and a `reason`."""

    outcome: str | None = Field(None, max_length=2000, description="完成情况（complete）")
    reason: str | None = Field(None, max_length=500, description="理由（reopen、extend）")
    due_on: Day | None = Field(None, description="新的完成期限（extend）")


def task_out(task: Task) -> dict[str, object]:
    units = [u for u in task.units.all() if u.unit_id != task.lead_unit_id]
    return {
        "number": task.number,
        "source": task.source,
        "title": task.title,
        "state": task.state,
        "state_label": TaskState(task.state).label,
        "lead_unit": _org(task.lead_unit),
        "units": [_org(u.unit) for u in units],
        "due_on": task.due_on,
        "progress": task.progress,
        "plan_id": task.plan_id,
        "project_id": task.project_id,
        "meeting": task.meeting.number if task.meeting else None,
        "created_at": task.created_at,
    }


def task_detail_out(request: StaffRequest, task: Task) -> dict[str, object]:
    return {
        **task_out(task),
        "description": task.description,
        "outcome": task.outcome,
        "center": _org(task.center),
        "done_at": task.done_at,
        "milestones": [
            {"id": m.pk, "title": m.title, "due_on": m.due_on, "done_at": m.done_at}
            for m in task.milestones.all()
        ],
        "actions": [t.name for t in services.actions_for(request.user, task)],
        "history": dossier_api.history_out(workflow.KIND, task),
    }


@plans_router.get("/plan-tasks", response={200: TaskPageOut, **ERRORS})
def task_list(request: StaffRequest, query: Query[PlanTaskQuery]) -> dict[str, object]:
    filters = selectors.TaskFilters(
        state=query.state or "", source=query.source or "", plan=query.plan, mine=query.mine
    )
    tasks = selectors.task_list(user=request.user, filters=filters)
    return dossier_api.query_page(tasks, query, task_out, field="created_at")


@plans_router.post("/plan-tasks", response={201: PlanTaskDetailOut, **ERRORS})
def task_create(request: StaffRequest, payload: PlanTaskIn) -> Status:
    plan = (
        selectors.plan_get(user=request.user, plan_id=payload.plan_id) if payload.plan_id else None
    )
    project = None
    if payload.project_id:
        if plan is None:
            raise InvalidInput("填写重点项目时须同时填写年度计划", field="plan_id")
        project = selectors.project_get(user=request.user, plan=plan, project_id=payload.project_id)
    data = services.TaskInput(
        title=payload.title,
        lead_unit=_unit(payload.lead_unit),
        due_on=payload.due_on,
        units=[_unit(code) for code in payload.units],
        description=payload.description,
        milestones=[(m.title, m.due_on) for m in payload.milestones],
    )
    task = services.task_create(actor=request.user, data=data, plan=plan, project=project)
    return Status(
        201, task_detail_out(request, selectors.task_get(user=request.user, number=task.number))
    )


@plans_router.get("/plan-tasks/{number}", response={200: PlanTaskDetailOut, **ERRORS})
def task_detail(request: StaffRequest, number: str) -> dict[str, object]:
    return task_detail_out(request, selectors.task_get(user=request.user, number=number))


dossier_api.add_action_route(
    plans_router,
    prefix="/plan-tasks",
    kind=workflow.KIND,
    get=selectors.task_get,
    act=services.task_act,
    body=PlanTaskActionIn,
    out=PlanTaskDetailOut,
    detail=task_detail_out,
)


# --- progress reports ------------------------------------------------------------------------------


class ProgressReportOut(Schema):
    task: str
    unit: OrgRef
    month: str = Field(..., description="YYYY-MM")
    progress: int
    text: str
    problems: str
    next_steps: str
    due_at: datetime
    submitted_at: datetime
    on_time: bool = Field(..., description="首次报送是否按时（更正不改变）")
    amended_at: datetime | None = Field(..., description="最近一次更正时间")
    amendments: int = Field(..., description="更正次数")


class ProgressReportIn(Input):
    month: Month
    progress: int = Field(..., ge=0, le=100, description="完成进度（%）")
    text: str = Field(..., min_length=1, max_length=2000, description="本月进展")
    problems: str = Field("", max_length=2000)
    next_steps: str = Field("", max_length=2000)


class ProgressAmendIn(Input):
    progress: int = Field(..., ge=0, le=100, description="完成进度（%）")
    text: str = Field(..., min_length=1, max_length=2000, description="本月进展")
    problems: str = Field("", max_length=2000)
    next_steps: str = Field("", max_length=2000)


class UnitReportCountsOut(Schema):
    unit: OrgRef
    due: int = Field(..., description="应报（已到期或已报送）")
    on_time: int
    late: int = Field(..., description="逾期报送")
    missing: int = Field(..., description="逾期未报")
    pending: int = Field(..., description="未到期未报")
    rate: float | None = Field(..., description="按时报送率")


class ReportCountsQuery(Input):
    first: Month = Field(..., description="起始月份 YYYY-MM")
    last: Month = Field("", description="截止月份 YYYY-MM，默认同起始月份")


def report_out(report: ProgressReport) -> dict[str, object]:
    return {
        "task": report.task.number,
        "unit": _org(report.unit),
        "month": f"{report.month:%Y-%m}",
        "progress": report.progress,
        "text": report.text,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "due_at": report.due_at,
        "submitted_at": report.submitted_at,
        "on_time": report.on_time,
        "amended_at": report.amended_at,
        "amendments": report.amendments,
    }


@plans_router.get("/plan-tasks/{number}/reports", response={200: list[ProgressReportOut], **ERRORS})
def report_list(request: StaffRequest, number: str) -> list[dict[str, object]]:
    task = selectors.task_get(user=request.user, number=number)
    return [report_out(r) for r in selectors.task_reports(task)]


@plans_router.post("/plan-tasks/{number}/reports", response={201: ProgressReportOut, **ERRORS})
def report_create(request: StaffRequest, number: str, payload: ProgressReportIn) -> Status:
    task = selectors.task_get(user=request.user, number=number)
    report = progress.progress_report(
        actor=request.user,
        task=task,
        month=_month(payload.month),
        progress=payload.progress,
        text=payload.text,
        problems=payload.problems,
        next_steps=payload.next_steps,
    )
    return Status(201, report_out(report))


@plans_router.put(
    "/plan-tasks/{number}/reports/{month}", response={200: ProgressReportOut, **ERRORS}
)
def report_amend(
    request: StaffRequest, number: str, month: Month, payload: ProgressAmendIn
) -> dict[str, object]:
    """Correct (更正) the user's unit's report of `month` (YYYY-MM), until the next month's
    report is due; whether it was on time stays judged by its first sending."""
    task = selectors.task_get(user=request.user, number=number)
    report = progress.progress_amend(
        actor=request.user,
        task=task,
        month=_month(month),
        progress=payload.progress,
        text=payload.text,
        problems=payload.problems,
        next_steps=payload.next_steps,
    )
    return report_out(report)


@plans_router.get("/plan-reports/counts", response={200: list[UnitReportCountsOut], **ERRORS})
def report_counts(
    request: StaffRequest, query: Query[ReportCountsQuery]
) -> list[dict[str, object]]:
    """各单位月度进展报送情况（应报、按时、逾期、未报），供考核“按时报送率”使用。"""
    services.require_manager(request.user)
    first = _month(query.first, "first")
    last = _month(query.last, "last") if query.last else first
    if last < first:
        raise InvalidInput("截止月份不能早于起始月份", field="last")
    if (last.year - first.year) * 12 + last.month - first.month > 35:
        raise InvalidInput("统计区间不能超过三年", field="last")
    rows = selectors.report_counts(first=first, last=last)
    return [{**vars(c), "unit": _org(c.unit), "rate": c.rate} for c in rows]


# --- meetings -------------------------------------------------------------------------------------


class MeetingDecisionIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    unit: str = Field(..., max_length=40, description="责任单位编码")
    due_on: Day
    description: str = Field("", max_length=2000)


class MeetingIn(Input):
    kind: MeetingKind
    title: str = Field(..., min_length=1, max_length=120)
    held_on: Day
    attendees: str = Field(..., min_length=1, max_length=2000)
    minutes: str = Field(..., min_length=1, max_length=20000)
    place: str = Field("", max_length=120)
    chair: str = Field("", max_length=60)
    decisions: list[MeetingDecisionIn] = Field([], max_length=50)


class MeetingOut(Schema):
    number: str
    kind: str
    title: str
    held_on: date
    place: str
    chair: str
    attendees: str
    minutes: str
    center: OrgRef
    decisions: list[PlanTaskOut]


def meeting_out(request: StaffRequest, meeting: Meeting) -> dict[str, object]:
    decisions = selectors.meeting_decisions(user=request.user, meeting=meeting)
    fields = ("number", "kind", "title", "held_on", "place", "chair", "attendees", "minutes")
    return {
        **{name: getattr(meeting, name) for name in fields},
        "center": _org(meeting.center),
        "decisions": [task_out(t) for t in decisions],
    }


@plans_router.get("/meetings", response={200: list[MeetingOut], **ERRORS})
def meeting_list(request: StaffRequest) -> list[dict[str, object]]:
    return [meeting_out(request, m) for m in selectors.meeting_list(user=request.user)[:100]]


@plans_router.post("/meetings", response={201: MeetingOut, **ERRORS})
def meeting_create(request: StaffRequest, payload: MeetingIn) -> Status:
    decisions = [
        meetings.Decision(d.title, _unit(d.unit), d.due_on, d.description)
        for d in payload.decisions
    ]
    data = payload.dict(exclude={"decisions"})
    meeting = meetings.meeting_record(actor=request.user, **data, decisions=decisions)
    return Status(201, meeting_out(request, meeting))


@plans_router.get("/meetings/{number}", response={200: MeetingOut, **ERRORS})
def meeting_detail(request: StaffRequest, number: str) -> dict[str, object]:
    return meeting_out(request, selectors.meeting_get(user=request.user, number=number))
