"""The incidents API (指挥事件): open one (its tasks from the plan), the list and detail, the
nearest available forces, the desk's actions through the kernel's action path
(`POST /incidents/{number}/actions/{action}`: dispatch, message, decide, close), the
timeline, and the handheld's answer to a dispatch. Endpoints hold no rules: reads go through
`selectors` (out of scope is 404), writes through `services`."""

from datetime import datetime
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from zhili.core.dossier import actions_for
from zhili.core.dossier import api as dossier_api
from zhili.core.pages import DOCX, attachment
from zhili.core.schemas import ERRORS, Input
from zhili.incidents import plans, selectors, services, workflow
from zhili.incidents.documents import report_docx, report_filename
from zhili.incidents.models import (
    Answer,
    Dispatch,
    Incident,
    IncidentState,
    Level,
    Plan,
    Task,
)
from zhili.orgs.auth import StaffRequest

incidents_router = Router(tags=["指挥事件"])


class IncidentIn(Input):
    case_no: str = Field("", max_length=30, description="关联工单编号（紧急工单转指挥事件）")
    category: str = Field(..., max_length=40, description="事项分类编码")
    title: str = Field(..., max_length=200)
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    level: Level = Field(
        ..., description="ordinary 一般 / large 较大 / major 重大 / grave 特别重大"
    )
    plan: str = Field("", max_length=40, description="预案编码；留空按分类和等级自动匹配")


class IncidentTaskOut(Schema):
    id: int
    role: str
    text: str
    team_type: str
    team: str | None = Field(..., description="承担队伍编码；null 表示辖区内无该类队伍")
    team_name: str | None
    due_at: datetime


class IncidentOpenedOut(Schema):
    number: str
    tasks: list[IncidentTaskOut]


class IncidentDispatchOut(Schema):
    id: int
    force: str
    force_name: str
    team: str
    status_label: str = Field(..., description="力量当前状态")
    sent_at: datetime
    distance_m: float | None
    stage: str = Field(..., description="最近答复：accept / arrive / finish；空为尚未接收")
    accept_at: datetime | None
    arrive_at: datetime | None
    finish_at: datetime | None


class IncidentOut(Schema):
    number: str
    title: str
    category: str
    category_name: str
    level: str
    level_label: str
    state: str
    state_label: str
    lat: float
    lng: float
    organization: str = Field(..., description="指挥单位编码")
    opened_at: datetime


class IncidentDetailOut(IncidentOut):
    case_no: str | None
    plan: str | None
    tasks: list[IncidentTaskOut]
    dispatches: list[IncidentDispatchOut]
    actions: list[str]


IncidentPageOut = dossier_api.page_schema(IncidentOut, "IncidentPageOut")


class IncidentQuery(dossier_api.PageQuery):
    state: IncidentState | None = Field(None, description="handling 处置中 / closed 已结束")


class NearestForcesQuery(Input):
    limit: int = Field(5, ge=1, le=50)


class NearestForceOut(Schema):
    force: str
    name: str
    team: str
    distance_m: float
    eta_s: int
    lat: float | None
    lng: float | None


class IncidentActionIn(Input):
    """dispatch reads force (and an optional note); message and decide a note; close an
    optional note."""

    force: str | None = Field(None, max_length=40, description="力量编码（dispatch）")
    note: str | None = Field(None, max_length=2000, description="消息、决策或结束说明")


class IncidentTimelineOut(Schema):
    at: datetime
    action: str
    label: str
    actor: str
    unit: str
    state: str
    note: str
    data: dict[str, object]


class DispatchAnswerIn(Input):
    answer: Answer = Field(..., description="accept 接收 / arrive 到场 / finish 完成")
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


def task_out(task: Task) -> dict[str, object]:
    return {
        "id": task.pk,
        "role": task.role,
        "text": task.text,
        "team_type": task.team_type.name,
        "team": task.team.code if task.team else None,
        "team_name": task.team.name if task.team else None,
        "due_at": task.due_at,
    }


def dispatch_out(sent: Dispatch) -> dict[str, object]:
    force = sent.force
    return {
        "id": sent.pk,
        "force": force.code,
        "force_name": force.name,
        "team": force.team.name,
        "status_label": force.team.team_type.labels().get(force.status, force.status),
        "sent_at": sent.sent_at,
        "distance_m": sent.distance_m,
        "stage": sent.stage(),
        "accept_at": sent.accept_at,
        "arrive_at": sent.arrive_at,
        "finish_at": sent.finish_at,
    }


def incident_out(incident: Incident) -> dict[str, object]:
    return {
        "number": incident.number,
        "title": incident.title,
        "category": incident.category.code,
        "category_name": incident.category.name,
        "level": incident.level,
        "level_label": Level(incident.level).label,
        "state": incident.state,
        "state_label": IncidentState(incident.state).label,
        "lat": incident.lat,
        "lng": incident.lng,
        "organization": incident.organization.code,
        "opened_at": incident.opened_at,
    }


def detail_out(request: StaffRequest, incident: Incident) -> dict[str, object]:
    return {
        **incident_out(incident),
        "case_no": incident.case.case_no if incident.case else None,
        "plan": incident.plan.code if incident.plan else None,
        "tasks": [task_out(t) for t in selectors.tasks_of(incident)],
        "dispatches": [dispatch_out(d) for d in selectors.dispatches_of(incident)],
        "actions": [t.name for t in actions_for(workflow.KIND, request.user, incident)],
    }


@incidents_router.post("/incidents", response={201: IncidentOpenedOut, **ERRORS})
def incident_open(request: StaffRequest, body: IncidentIn) -> Status:
    """开启指挥事件：按预案（指定或按分类、等级匹配）生成处置任务，每项任务派给一支队伍并设时限。"""
    incident = services.incident_open(
        actor=request.user,
        category=body.category,
        title=body.title,
        lat=body.lat,
        lng=body.lng,
        level=str(body.level.value),
        plan=body.plan,
        case_no=body.case_no,
    )
    tasks = [task_out(t) for t in selectors.tasks_of(incident)]
    return Status(201, {"number": incident.number, "tasks": tasks})


@incidents_router.get("/incidents", response={200: IncidentPageOut, **ERRORS})
def incident_list(request: StaffRequest, query: Query[IncidentQuery]) -> dict[str, object]:
    """指挥事件列表（按可见范围），由新到旧。"""
    state = str(query.state.value) if query.state else ""
    rows = selectors.incident_rows(user=request.user, state=state)
    return dossier_api.query_page(rows, query, incident_out, field="opened_at")


@incidents_router.get("/incidents/{number}", response={200: IncidentDetailOut, **ERRORS})
def incident_detail(request: StaffRequest, number: str) -> dict[str, object]:
    return detail_out(request, selectors.incident_get(user=request.user, number=number))


@incidents_router.get(
    "/incidents/{number}/nearest-forces", response={200: list[NearestForceOut], **ERRORS}
)
def incident_nearest(
    request: StaffRequest, number: str, query: Query[NearestForcesQuery]
) -> list[dict[str, object]]:
    """最近的可调派力量（在岗空闲、定位未过期、归本单位指挥），由近及远，含直线距离和预计到达秒数。"""
    incident = selectors.incident_get(user=request.user, number=number)
    found = selectors.nearest_forces(user=request.user, incident=incident, limit=query.limit)
    return [
        {
            "force": c.force.code,
            "name": c.force.name,
            "team": c.force.team.name,
            "distance_m": round(c.distance_m, 1),
            "eta_s": c.eta_s,
            "lat": c.force.lat,
            "lng": c.force.lng,
        }
        for c in found
    ]


@incidents_router.get(
    "/incidents/{number}/timeline", response={200: list[IncidentTimelineOut], **ERRORS}
)
def incident_timeline(request: StaffRequest, number: str) -> list[dict[str, object]]:
    """事件时间线：开启、任务、派遣、力量答复（接收/到场/完成及位置）、消息、决策、结束，由早到晚。"""
    incident = selectors.incident_get(user=request.user, number=number)
    return [
        {
            "at": e.created_at,
            "action": e.action,
            "label": e.label,
            "actor": e.actor,
            "unit": e.unit,
            "state": e.to_state,
            "note": e.note,
            "data": dict(e.data),
        }
        for e in selectors.history(incident)
    ]


class HandheldDispatchOut(Schema):
    type: str
    dispatch: int
    number: str
    title: str
    level: str
    level_label: str
    category: str
    lat: float
    lng: float
    distance_m: int | None
    answer_url: str
    stage: str = Field(..., description="最近答复：accept / arrive；空为尚未接收")


@incidents_router.get(
    "/incidents/dispatches/mine", response={200: list[HandheldDispatchOut], **ERRORS}
)
def my_dispatches(request: StaffRequest) -> list[dict[str, object]]:
    """手持终端：派给本人且尚未完成的任务（页面重新打开时恢复派遣卡片）。"""
    return [
        {**services.dispatch_message(d), "stage": d.stage()}
        for d in selectors.open_dispatches_of(request.user)
    ]


@incidents_router.post(
    "/incidents/dispatches/{dispatch_id}/answer", response={200: IncidentDispatchOut, **ERRORS}
)
def dispatch_answer(
    request: StaffRequest, dispatch_id: int, body: DispatchAnswerIn
) -> dict[str, object]:
    """手持终端答复派遣：接收 / 到场 / 完成，附当前位置；力量状态随之变化。"""
    sent = services.dispatch_answer(
        actor=request.user,
        dispatch_id=dispatch_id,
        answer=str(body.answer.value),
        lat=body.lat,
        lng=body.lng,
    )
    sent.force.refresh_from_db()
    return dispatch_out(sent)


class IncidentReplayOut(Schema):
    start: datetime
    end: datetime
    tracks: dict[str, list[tuple[datetime, float, float]]] = Field(
        ..., description="力量编码 → [[时间, 纬度, 经度], ...]，由早到晚"
    )
    names: dict[str, str] = Field(..., description="力量编码 → 姓名")


@incidents_router.get("/incidents/{number}/replay", response={200: IncidentReplayOut, **ERRORS})
def incident_replay(request: StaffRequest, number: str) -> dict[str, object]:
    """事件回放：开启至结束（或当前）期间派遣力量的轨迹；时间线的事件见 timeline。"""
    incident = selectors.incident_get(user=request.user, number=number)
    found = selectors.replay(incident)
    return {"start": found.start, "end": found.end, "tracks": found.tracks, "names": found.names}


@incidents_router.get(
    "/incidents/{number}/report",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"content": {DOCX: {}}, "description": "处置报告"}}},
)
def incident_report(request: StaffRequest, number: str) -> HttpResponse:
    """结束处置后的指挥事件处置报告（Word）：基本情况、任务、力量派遣、处置经过；未结束为 409。"""
    incident = selectors.incident_get(user=request.user, number=number)
    name = report_filename(incident)
    return attachment(report_docx(incident), DOCX, f"{incident.number}.docx", name)


# --- the plans (预案) -------------------------------------------------------------------------


class IncidentPlanStepIO(Input):
    team_type: str = Field(..., max_length=40, description="力量类型编码")
    role: str = Field(..., max_length=50, description="职责，如 公安")
    task: str = Field(..., max_length=300, description="任务")
    deadline_minutes: int = Field(..., description="时限（分钟，1 至 10080）")


class IncidentPlanUpdateIn(Input):
    name: str = Field(..., max_length=100)
    category: str = Field(..., max_length=40, description="事项分类编码")
    level: str = Field(
        "", max_length=10, description="ordinary / large / major / grave；留空为任意等级"
    )
    steps: list[IncidentPlanStepIO] = Field(
        ..., max_length=30, description="处置步骤，按顺序（至多 30 个）"
    )
    reason: str = Field("", max_length=500, description="修改说明")


class IncidentPlanIn(IncidentPlanUpdateIn):
    code: str = Field(..., max_length=40, description="预案编码（保存后不能修改）")


class IncidentPlanActiveIn(Input):
    active: bool = Field(..., description="true 启用 / false 停用")
    reason: str = Field("", max_length=500)


class IncidentPlanOut(Schema):
    code: str
    name: str
    category: str
    category_name: str
    level: str = Field(..., description="空为任意等级")
    active: bool
    version: int
    updated_at: datetime
    steps: list[IncidentPlanStepIO]


class IncidentPlanQuery(Input):
    category: str = Field("", max_length=40, description="事项分类编码")
    active: bool | None = Field(None, description="true 仅启用 / false 仅停用")


def plan_out(plan: Plan) -> dict[str, object]:
    return {
        "code": plan.code,
        "name": plan.name,
        "category": plan.category.code,
        "category_name": plan.category.name,
        "level": plan.level,
        "active": plan.active,
        "version": plan.version,
        "updated_at": plan.updated_at,
        "steps": [
            {
                "team_type": s.team_type.code,
                "role": s.role,
                "task": s.task,
                "deadline_minutes": s.deadline_minutes,
            }
            for s in selectors.plan_steps(plan)
        ],
    }


def _plan_fields(body: IncidentPlanUpdateIn) -> dict[str, Any]:
    return {
        "name": body.name,
        "category": body.category,
        "level": body.level,
        "steps": [
            plans.StepIn(s.team_type, s.role, s.task, s.deadline_minutes) for s in body.steps
        ],
        "reason": body.reason,
    }


@incidents_router.get("/incident-plans", response={200: list[IncidentPlanOut], **ERRORS})
def incident_plan_list(
    request: StaffRequest, query: Query[IncidentPlanQuery]
) -> list[dict[str, object]]:
    """应急预案列表（全县通用），按事项分类和等级排列。"""
    rows = selectors.plan_rows(user=request.user, category=query.category, active=query.active)
    return [plan_out(p) for p in rows]


@incidents_router.get("/incident-plans/{code}", response={200: IncidentPlanOut, **ERRORS})
def incident_plan_detail(request: StaffRequest, code: str) -> dict[str, object]:
    return plan_out(selectors.plan_get(user=request.user, code=code))


@incidents_router.post("/incident-plans", response={201: IncidentPlanOut, **ERRORS})
def incident_plan_create(request: StaffRequest, body: IncidentPlanIn) -> Status:
    """新建预案（县综治中心指挥席）。错误字段如 steps.0.role（步骤自 0 起）。"""
    plan = plans.plan_create(actor=request.user, code=body.code, **_plan_fields(body))
    return Status(201, plan_out(plan))


@incidents_router.put("/incident-plans/{code}", response={200: IncidentPlanOut, **ERRORS})
def incident_plan_update(
    request: StaffRequest, code: str, body: IncidentPlanUpdateIn
) -> dict[str, object]:
    """修改预案：版本加一；已开启事件的任务不变，修改用于此后开启的事件。"""
    plan = selectors.plan_get(user=request.user, code=code)
    return plan_out(plans.plan_update(actor=request.user, plan=plan, **_plan_fields(body)))


@incidents_router.post("/incident-plans/{code}/active", response={200: IncidentPlanOut, **ERRORS})
def incident_plan_active(
    request: StaffRequest, code: str, body: IncidentPlanActiveIn
) -> dict[str, object]:
    """启用或停用预案（停用后不再匹配，也不能在开启事件时指定）。"""
    plan = selectors.plan_get(user=request.user, code=code)
    changed = plans.plan_set_active(
        actor=request.user, plan=plan, active=body.active, reason=body.reason
    )
    return plan_out(changed)


dossier_api.add_action_route(
    incidents_router,
    prefix="/incidents",
    kind=workflow.KIND,
    get=selectors.incident_get,
    act=services.incident_act,
    body=IncidentActionIn,
    out=IncidentDetailOut,
    detail=detail_out,
)
