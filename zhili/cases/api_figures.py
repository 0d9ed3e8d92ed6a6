"""GET /api/v1/case-figures: each unit's figures for a period (及时签收率, 按时办结率, 满意率)."""

import dataclasses

from ninja import Field, Query, Router, Schema
from pydantic import create_model

from zhili.cases.figures import UnitFigures, unit_figures
from zhili.core.schemas import Input
from zhili.orgs.api import Day, ErrorOut
from zhili.orgs.auth import StaffRequest

figures_router = Router(tags=["事件工单"])


class FiguresQuery(Input):
    start: Day = Field(..., description="统计起始日期（含）")
    end: Day = Field(..., description="统计截止日期（含）")
    unit: list[str] = Field(default_factory=list, description="单位编码，可重复；省略为全部")


# What the API says of some of UnitFigures' fields, and of the rates it derives from them; the
# fields themselves are UnitFigures', written once in zhili/cases/figures.py.
DESCRIPTIONS = {
    "sent_back": "审核退回次数",
    "return_requested": "申请退单次数",
    "return_approved": "申请退单获批次数（已计入 returned）",
    "return_refused": "申请退单被驳回次数",
    "assisted": "协办任务数",
    "assisted_on_time": "按时反馈的协办任务数",
    "assisted_late": "逾期反馈或逾期未反馈的协办任务数",
    "acknowledge_judged": "及时签收率的基数：已签收或已过签收时限的工单数",
    "close_judged": "按时办结率的基数：已反馈、已转卷宗、已办结或已过办结时限的工单数",
    "assisted_on_time_rate": "协办按时反馈率",
}
RATES = (
    "acknowledged_on_time_rate",
    "closed_on_time_rate",
    "satisfaction_rate",
    "assisted_on_time_rate",
)


def _out_field(annotation: object, name: str) -> tuple[object, object]:
    return annotation, Field(..., description=DESCRIPTIONS.get(name))


def _figures_schema() -> type[Schema]:
    """UnitFigures' fields, then the rates, as the API's schema `UnitFiguresOut`."""
    return create_model(  # type: ignore[call-overload,no-any-return]
        "UnitFiguresOut",
        __base__=Schema,
        **{f.name: _out_field(f.type, f.name) for f in dataclasses.fields(UnitFigures)},
        **{rate: _out_field(float | None, rate) for rate in RATES},
    )


UnitFiguresOut = _figures_schema()


@figures_router.get(
    "/case-figures",
    response={200: list[UnitFiguresOut], 401: ErrorOut, 422: ErrorOut},  # type: ignore[valid-type]
    summary="单位办件统计",
)
def case_figures(request: StaffRequest, query: Query[FiguresQuery]) -> list[dict[str, object]]:
    codes = [code for item in query.unit for code in item.split(",") if code.strip()]
    rows = unit_figures(user=request.user, start=query.start, end=query.end, unit_codes=codes)
    return [{**row.__dict__, **{rate: getattr(row, rate) for rate in RATES}} for row in rows]
