"""GET /api/v1/case-figures: each unit's figures for a period (及时签收率, 按时办结率, 满意率)."""

from ninja import Field, Query, Router, Schema

from zhili.cases.figures import unit_figures
from zhili.core.schemas import Input
from zhili.orgs.api import Day, ErrorOut
from zhili.orgs.auth import StaffRequest

figures_router = Router(tags=["事件工单"])


class FiguresQuery(Input):
    start: Day = Field(..., description="统计起始日期（含）")
    end: Day = Field(..., description="统计截止日期（含）")
    unit: list[str] = Field(default_factory=list, description="单位编码，可重复；省略为全部")


class UnitFiguresOut(Schema):
    unit_code: str
    unit_name: str
    received: int
    handled: int
    acknowledged_on_time: int
    closed_on_time: int
    returned: int
    extended: int
    overdue: int
    rated: int
    satisfied: int
    sent_back: int = Field(..., description="审核退回次数")
    return_requested: int = Field(..., description="申请退单次数")
    return_approved: int = Field(..., description="申请退单获批次数（已计入 returned）")
    return_refused: int = Field(..., description="申请退单被驳回次数")
    assisted: int = Field(..., description="协办任务数")
    assisted_on_time: int = Field(..., description="按时反馈的协办任务数")
    assisted_late: int = Field(..., description="逾期反馈或逾期未反馈的协办任务数")
    acknowledge_judged: int = Field(
        ..., description="及时签收率的基数：已签收或已过签收时限的工单数"
    )
    close_judged: int = Field(
        ..., description="按时办结率的基数：已反馈、已转卷宗、已办结或已过办结时限的工单数"
    )
    acknowledged_on_time_rate: float | None
    closed_on_time_rate: float | None
    satisfaction_rate: float | None
    assisted_on_time_rate: float | None = Field(..., description="协办按时反馈率")


@figures_router.get(
    "/case-figures",
    response={200: list[UnitFiguresOut], 401: ErrorOut, 422: ErrorOut},
    summary="单位办件统计",
)
def case_figures(request: StaffRequest, query: Query[FiguresQuery]) -> list[dict[str, object]]:
    codes = [code for item in query.unit for code in item.split(",") if code.strip()]
    rows = unit_figures(user=request.user, start=query.start, end=query.end, unit_codes=codes)
    return [
        {
            **row.__dict__,
            "acknowledged_on_time_rate": row.acknowledged_on_time_rate,
            "closed_on_time_rate": row.closed_on_time_rate,
            "satisfaction_rate": row.satisfaction_rate,
            "assisted_on_time_rate": row.assisted_on_time_rate,
        }
        for row in rows
    ]
