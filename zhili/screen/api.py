"""The screen's API: its figures and its map layers, for an organization in the user's scope.
Endpoints hold no rules: everything is read through `selectors`."""

from collections.abc import Mapping, Sequence
from typing import Any

from ninja import Field, Query, Router, Schema

from zhili.core.schemas import ERRORS
from zhili.orgs.auth import StaffRequest
from zhili.screen import selectors

screen_router = Router(tags=["指挥大屏"])


class ScreenQuery(Schema):
    org: str = Field("", max_length=40, description="单位编码（默认本人单位；县级用户默认全县）")


@screen_router.get("/screen/summary", response={200: dict[str, Any], **ERRORS})
def screen_summary(request: StaffRequest, query: Query[ScreenQuery]) -> selectors.Summary:
    """大屏数据：KPI、近30日来源趋势、热点分类、预警、单位排名及各面板（按可见范围）。"""
    return selectors.summary(selectors.context(request.user, query.org))


@screen_router.get("/screen/layers", response={200: dict[str, Any], **ERRORS})
def screen_layers(
    request: StaffRequest, query: Query[ScreenQuery]
) -> dict[str, Sequence[Mapping[str, object]]]:
    """大屏地图图层：案件热力、红牌案件、处置力量、监控点位（按可见范围）。"""
    return selectors.layers(selectors.context(request.user, query.org))
