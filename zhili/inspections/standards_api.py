"""The API of 分: the standards of each level, a center's scoring against them (its gaps
linking to their findings) and the guidance and training records."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from zhili.core.errors import Forbidden
from zhili.core.roles import Action
from zhili.core.schemas import ERRORS, Input
from zhili.core.scope import can
from zhili.inspections import selectors, standards
from zhili.inspections.models import (
    CheckKind,
    GuidanceKind,
    GuidanceVisit,
    StandardArea,
    StandardCheck,
)
from zhili.orgs.api import OrgRef
from zhili.orgs.auth import StaffRequest
from zhili.orgs.models import Level

standards_router = Router(tags=["督查整改"])


class StandardOut(Schema):
    code: str
    level: str
    area: str
    area_label: str
    text: str
    points: Decimal
    basis: str


class StandardQuery(Input):
    level: Level | None = Field(None, description="county / township / village")


@standards_router.get("/standards", response={200: list[StandardOut], **ERRORS})
def standard_list(request: StaffRequest, query: Query[StandardQuery]) -> list[dict[str, object]]:
    if not can(request.user, Action.INSPECTIONS_VIEW):
        raise Forbidden("您的角色不能查看建设标准")
    levels = [query.level] if query.level else list(Level.values)
    return [
        {
            "code": s.code,
            "level": s.level,
            "area": s.area,
            "area_label": StandardArea(s.area).label,
            "text": s.text,
            "points": s.points,
            "basis": s.basis,
        }
        for level in levels
        for s in standards.standards_for(level)
    ]


class ScoreIn(Input):
    code: str = Field(..., min_length=1, max_length=40, description="标准编码")
    points: Decimal = Field(..., ge=0, le=1000, max_digits=6, decimal_places=2)
    note: str = Field("", max_length=300)


class CheckIn(Input):
    unit: str = Field(..., min_length=1, max_length=40, description="被评中心编码")
    kind: CheckKind = Field(..., description="self（自评）/ inspection（督查评分）")
    inspection: str = Field("", max_length=30, description="督查编号（督查评分时可填）")
    scores: list[ScoreIn] = Field(..., min_length=1, max_length=200)


class ScoreOut(Schema):
    code: str
    text: str
    full: Decimal
    points: Decimal
    note: str
    finding: str | None = Field(..., description="差距转成的整改事项编号")
    finding_url: str | None


class CheckOut(Schema):
    id: int
    unit: OrgRef
    kind: str
    kind_label: str
    inspection: str | None
    checked_at: datetime
    total: Decimal
    full: Decimal
    gaps: int


class CheckDetailOut(CheckOut):
    scores: list[ScoreOut]


def check_out(check: StandardCheck) -> dict[str, object]:
    return {
        "id": check.pk,
        "unit": {"code": check.unit.code, "name": check.unit.name},
        "kind": check.kind,
        "kind_label": CheckKind(check.kind).label,
        "inspection": check.inspection.number if check.inspection else None,
        "checked_at": check.checked_at,
        "total": check.total,
        "full": check.full,
        "gaps": check.gaps,  # type: ignore[attr-defined]  # check_list's annotation
    }


def check_detail(check: StandardCheck) -> dict[str, object]:
    return {
        **check_out(check),
        "scores": [
            {
                "code": s.standard.code,
                "text": s.standard.text,
                "full": s.standard.points,
                "points": s.points,
                "note": s.note,
                "finding": s.finding.number if s.finding else None,
                "finding_url": f"/api/v1/findings/{s.finding.number}" if s.finding else None,
            }
            for s in standards.check_scores(check)
        ],
    }


@standards_router.get("/standard-checks", response={200: list[CheckOut], **ERRORS})
def check_list(request: StaffRequest) -> list[dict[str, object]]:
    """建设标准评分记录（最近 200 条）。"""
    return [check_out(c) for c in standards.check_list(user=request.user)[:200]]


@standards_router.post("/standard-checks", response={201: CheckDetailOut, **ERRORS})
def check_create(request: StaffRequest, body: CheckIn) -> Status:
    """按本层级建设标准逐项评分（自评或督查评分）；每项差距转为一个整改事项。"""
    inspection = (
        selectors.inspection_get(user=request.user, number=body.inspection)
        if body.inspection
        else None
    )
    scores = {s.code: standards.ScoreInput(s.points, s.note) for s in body.scores}
    check = standards.standard_check(
        actor=request.user,
        unit_code=body.unit,
        kind=body.kind,
        scores=scores,
        inspection=inspection,
    )
    return Status(201, check_detail(standards.check_get(user=request.user, check_id=check.pk)))


@standards_router.get("/standard-checks/{check_id}", response={200: CheckDetailOut, **ERRORS})
def check_get(request: StaffRequest, check_id: int) -> dict[str, object]:
    return check_detail(standards.check_get(user=request.user, check_id=check_id))


class GuidanceIn(Input):
    unit: str = Field(..., min_length=1, max_length=40)
    kind: GuidanceKind
    on: date
    topic: str = Field(..., min_length=1, max_length=200)
    content: str = Field(..., min_length=1, max_length=5000)
    attendees: int = Field(0, ge=0, le=10000)


class GuidanceOut(Schema):
    id: int
    unit: OrgRef
    kind: str
    on: date
    topic: str
    content: str
    attendees: int


def guidance_out(visit: GuidanceVisit) -> dict[str, object]:
    return {
        "id": visit.pk,
        "unit": {"code": visit.unit.code, "name": visit.unit.name},
        "kind": visit.kind,
        "on": visit.on,
        "topic": visit.topic,
        "content": visit.content,
        "attendees": visit.attendees,
    }


@standards_router.get("/guidance-visits", response={200: list[GuidanceOut], **ERRORS})
def guidance_list(request: StaffRequest) -> list[dict[str, object]]:
    """指导与培训记录（最近 200 条）。"""
    return [guidance_out(v) for v in standards.guidance_list(user=request.user)[:200]]


@standards_router.post("/guidance-visits", response={201: GuidanceOut, **ERRORS})
def guidance_create(request: StaffRequest, body: GuidanceIn) -> Status:
    visit = standards.guidance_record(
        actor=request.user,
        unit_code=body.unit,
        kind=body.kind,
        on=body.on,
        topic=body.topic,
        content=body.content,
        attendees=body.attendees,
    )
    return Status(201, guidance_out(visit))
