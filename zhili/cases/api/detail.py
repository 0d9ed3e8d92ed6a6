"""One case in full: fields, timeline, routing, time limits and the actions open to the user."""

from zhili.cases import selectors
from zhili.cases.api.outputs import detail_out
from zhili.cases.api.router import ERRORS, cases_router
from zhili.cases.api.schemas import CaseOut
from zhili.orgs.auth import StaffRequest


@cases_router.get("/cases/{case_no}", response={200: CaseOut, **ERRORS})
def case_detail(request: StaffRequest, case_no: str) -> dict[str, object]:
    """工单详情：全部字段、时间线、分拨依据、时限与督办牌、当前用户可执行的操作。"""
    return detail_out(request.user, selectors.case_get(user=request.user, case_no=case_no))
