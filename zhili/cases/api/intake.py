"""Intake (受理) through the API."""

from ninja import Status

from zhili.cases import selectors, services
from zhili.cases.api.outputs import created_out
from zhili.cases.api.router import ERRORS, cases_router
from zhili.cases.api.schemas import CaseCreatedOut, CaseIn
from zhili.orgs.auth import StaffRequest


@cases_router.post("/cases", response={201: CaseCreatedOut, **ERRORS})
def case_create(request: StaffRequest, payload: CaseIn) -> Status:
    """受理一件事件：按事项分类与位置匹配权责清单，给出承办单位与分拨中心。"""
    intake = services.Intake(
        channel=payload.channel,
        category=selectors.category_get(payload.category),
        title=payload.title,
        description=payload.description,
        urgency=payload.urgency or "",
        lat=payload.lat,
        lng=payload.lng,
        address=payload.address,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        anonymous=payload.anonymous,
    )
    case = services.case_register(actor=request.user, intake=intake)
    return Status(201, created_out(case))
