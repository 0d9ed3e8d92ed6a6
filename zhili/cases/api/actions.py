"""Every transition of the workflow, one endpoint with the action in its path."""

from ninja import Body

from zhili.cases import selectors, services, workflow
from zhili.cases.api.outputs import detail_out, label
from zhili.cases.api.router import ERRORS, cases_router
from zhili.cases.api.schemas import ActionIn, ActionName, ActionResultOut
from zhili.cases.models import State
from zhili.orgs.auth import StaffRequest

ACTION_DOC = "、".join(f"{t.name}（{t.label}）" for t in workflow.ALL_TRANSITIONS.values())


@cases_router.post(
    "/cases/{case_no}/actions/{action}",
    response={200: ActionResultOut, **ERRORS},
    description=f"执行工单流转操作：{ACTION_DOC}（assist_ 开头的为协办单位对本单位协办任务的操作）。"
    "404：不在可见范围；403：角色或所在单位不能执行；"
    "409：当前状态不允许、超出规则（如退单时限，code 为 return_window_closed）或已被他人处理；"
    "422：参数错误（field 指明字段）。",
)
def case_action(
    request: StaffRequest,
    case_no: str,
    action: ActionName,  # type: ignore[valid-type]
    payload: Body[ActionIn | None] = None,  # type: ignore[type-arg]
) -> dict[str, object]:
    case = selectors.case_get(user=request.user, case_no=case_no)
    params = payload.dict() if payload is not None else {}
    params = {k: v for k, v in params.items() if v not in (None, "", [])}
    if "rating" in params:
        params["rating"] = str(params["rating"].value)
    case = services.case_act(actor=request.user, case=case, action=action.value, **params)
    return {
        "action": action.value,
        "state": case.state,
        "state_label": label(State, case.state),
        "case": detail_out(request.user, case),
    }
