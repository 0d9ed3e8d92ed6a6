"""The forces API: the handheld's positions and status, and the scoped list of forces.
Endpoints hold no rules: reads go through `selectors`, writes through `services`."""

from datetime import datetime
from uuid import UUID

from ninja import Field, Query, Router, Schema
from pydantic import AwareDatetime

from zhili.core.dossier.api import NearPageQuery, near_query_page, page_schema
from zhili.core.schemas import ERRORS
from zhili.forces import selectors, services
from zhili.forces.models import Force
from zhili.orgs.auth import StaffRequest

forces_router = Router(tags=["处置力量"])


class PointIn(Schema):
    id: UUID = Field(..., description="终端生成的定位点编号（重发时不变，同一编号只记一次）")
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    accuracy: float | None = Field(None, ge=0, le=1_000_000, description="定位精度（米）")
    at: AwareDatetime = Field(..., description="定位时间（ISO 8601，带时区）")


class PositionsIn(Schema):
    points: list[PointIn] = Field(..., max_length=services.MAX_POINTS_PER_BATCH)


class PositionsOut(Schema):
    force: str = Field(..., description="力量编码")
    accepted: int = Field(..., description="本次新记录的定位点数")
    duplicates: int = Field(..., description="此前已收到的定位点数（重发）")


class ForceOut(Schema):
    code: str
    name: str
    team: str = Field(..., description="队伍编码")
    status: str
    status_label: str
    lat: float | None
    lng: float | None
    at: datetime | None = Field(..., description="最近定位时间")
    stale: bool = Field(..., description="定位超过 2 分钟未更新（或从未定位）")


ForcePageOut = page_schema(ForceOut, "ForcePageOut")


class ForceQuery(NearPageQuery):
    status: str = Field("", max_length=40)
    team: str = Field("", max_length=40, description="队伍编码")


class StatusIn(Schema):
    status: str = Field(..., max_length=40)


def force_out(force: Force) -> dict[str, object]:
    return {
        "code": force.code,
        "name": force.name,
        "team": force.team.code,
        "status": force.status,
        "status_label": force.team.team_type.labels().get(force.status, force.status),
        "lat": force.lat,
        "lng": force.lng,
        "at": force.position_at,
        "stale": selectors.is_stale(force),
    }


@forces_router.post("/forces/positions", response={200: PositionsOut, **ERRORS})
def positions_report(request: StaffRequest, body: PositionsIn) -> dict[str, object]:
    """手持终端上报本人位置（离线队列可整批重发，按定位点编号去重）。"""
    points = [services.PositionIn(p.id, p.lat, p.lng, p.at, p.accuracy) for p in body.points]
    reported = services.positions_report(actor=request.user, points=points)
    return {
        "force": reported.force.code,
        "accepted": reported.accepted,
        "duplicates": reported.duplicates,
    }


@forces_router.get("/forces", response={200: ForcePageOut, **ERRORS})
def force_list(request: StaffRequest, query: Query[ForceQuery]) -> dict[str, object]:
    """处置力量列表（按可见范围）。near 给出时由近及远，否则按状态时间由新到旧。"""
    rows = selectors.force_rows(user=request.user, status=query.status, team=query.team)
    return near_query_page(rows, query, force_out, field="status_at")


@forces_router.post("/forces/{code}/status", response={200: ForceOut, **ERRORS})
def force_status(request: StaffRequest, code: str, body: StatusIn) -> dict[str, object]:
    """设置力量状态：手持终端一键设置本人状态，或指挥席设置所辖力量状态。"""
    force = selectors.force_get(user=request.user, code=code)
    return force_out(services.force_set_status(actor=request.user, force=force, status=body.status))
