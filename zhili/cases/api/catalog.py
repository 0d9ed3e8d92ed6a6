"""The dispatch catalog: categories with their time limits."""

from zhili.cases import selectors
from zhili.cases.api.outputs import category_out
from zhili.cases.api.router import cases_router
from zhili.cases.api.schemas import CategoryOut
from zhili.orgs.api import ErrorOut
from zhili.orgs.auth import StaffRequest


@cases_router.get("/case-categories", response={200: list[CategoryOut], 401: ErrorOut})
def category_list(request: StaffRequest) -> list[dict[str, object]]:
    """派单目录（事项分类树，按路径排序），含默认紧急程度及各紧急程度适用的时限。"""
    return [category_out(c) for c in selectors.category_list()]
