"""The assessment API: a rank group's scores for a period (every item's points with the
address of the ledger entries behind them), the computation, and the scheme. Reads through
`selectors`, writes through `services`."""

from ninja import Field, Query, Router, Schema

from zhili.assessment import selectors, services
from zhili.assessment.models import Group
from zhili.assessment.selectors import UnitScore
from zhili.core.schemas import ERRORS
from zhili.orgs.api import OrgRef
from zhili.orgs.auth import StaffRequest

assessment_router = Router(tags=["考核评价"])


class AssessmentItemPointsOut(Schema):
    item: str = Field(..., description="考核项编码")
    name: str
    points: float
    sources_url: str = Field(..., description="该项台账条目（及其来源记录）的页面")


class AssessmentScoreOut(Schema):
    org: OrgRef
    group: str = Field(..., description="township（乡镇/街道/场区）/ department（县直部门）")
    score: float
    rank: int = Field(..., description="组内名次")
    grade: str | None = Field(..., description="excellent / pass / fail；一票否决待审核时为空")
    grade_label: str
    vetoed: bool
    flagged: bool = Field(..., description="月度排名末位")
    items: list[AssessmentItemPointsOut]


class AssessmentScoresQuery(Schema):
    group: Group | None = Field(None, description="分组；不填则两组都返回（各自组内排名）")


class AssessmentComputedOut(Schema):
    period: str
    entries: int
    removed: int
    skipped: list[str]


class AssessmentItemOut(Schema):
    code: str
    name: str
    catalog: str
    max_points: float
    formula: str
    params: dict[str, object]
    source: str
    automatic: bool
    groups: list[str]


class AssessmentSchemeOut(Schema):
    year: int
    name: str
    excellent_min: float
    pass_min: float
    items: list[AssessmentItemOut]


def score_out(row: UnitScore, group: str) -> dict[str, object]:
    return {
        "org": {"code": row.org.code, "name": row.org.name},
        "group": group,
        "score": float(row.score),
        "rank": row.rank,
        "grade": row.grade,
        "grade_label": row.grade_label,
        "vetoed": row.vetoed,
        "flagged": row.flagged,
        "items": [
            {
                "item": i.item.code,
                "name": i.item.name,
                "points": float(i.points),
                "sources_url": i.sources_url,
            }
            for i in row.items
        ],
    }


@assessment_router.get(
    "/assessment/{year}/{period}/scores", response={200: list[AssessmentScoreOut], **ERRORS}
)
def scores(
    request: StaffRequest, year: int, period: str, query: Query[AssessmentScoresQuery]
) -> list[dict[str, object]]:
    groups = [query.group.value] if query.group else list(Group.values)
    out = []
    for group in groups:
        _scheme, _p, rows = selectors.scores(
            user=request.user, year=year, period=period, group=group
        )
        out += [score_out(row, group) for row in rows]
    return out


@assessment_router.post(
    "/assessment/{year}/{period}/compute", response={200: AssessmentComputedOut, **ERRORS}
)
def compute(request: StaffRequest, year: int, period: str) -> dict[str, object]:
    done = services.scores_compute(actor=request.user, year=year, period=period)
    return {
        "period": done.period.code,
        "entries": done.entries,
        "removed": done.removed,
        "skipped": done.skipped,
    }


@assessment_router.get("/assessment/{year}/scheme", response={200: AssessmentSchemeOut, **ERRORS})
def scheme(request: StaffRequest, year: int) -> dict[str, object]:
    found = selectors.scheme_get(user=request.user, year=year)
    items = found.items.select_related("catalog").order_by("order", "id")
    return {
        "year": found.year,
        "name": found.name,
        "excellent_min": float(found.excellent_min),
        "pass_min": float(found.pass_min),
        "items": [
            {
                "code": i.code,
                "name": i.name,
                "catalog": i.catalog.name,
                "max_points": float(i.max_points),
                "formula": i.formula,
                "params": i.params,
                "source": i.source,
                "automatic": i.automatic,
                "groups": i.groups,
            }
            for i in items
        ],
    }
