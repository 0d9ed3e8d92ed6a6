"""The audited reveal of a reporter's full phone number."""

from zhili.cases import selectors
from zhili.cases.api.router import ERRORS, cases_router
from zhili.cases.api.schemas import PhoneOut
from zhili.core.personal import personal_data_reveal
from zhili.orgs.auth import StaffRequest


@cases_router.post("/cases/{case_no}/reveal-phone", response={200: PhoneOut, **ERRORS})
def case_reveal_phone(request: StaffRequest, case_no: str) -> dict[str, str]:
    """查看诉求人完整电话（需“查看完整个人信息”权限，留审计记录）。"""
    case = selectors.case_get(user=request.user, case_no=case_no)
    return {
        "reporter_phone": personal_data_reveal(
            actor=request.user, target=case, field="reporter_phone"
        )
    }
