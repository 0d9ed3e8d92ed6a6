"""分: guidance by level. The standards of county, township and village centers (premises,
units stationed, mechanisms, supervision, information systems; the defaults in migration
0002, edited in the admin), a center scored against its level's standards (自评 by its own
staff, or 督查评分 by the inspectors), every gap turned into a rectification item, and the
records of guidance visits and training.

A gap of a self-assessment becomes a finding with no deduction (a unit that names its own
shortfall is not fined for it); one found by inspectors takes off the points it lost.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhili.cases.routing import county_center
from zhili.core.audit import audit
from zhili.core.errors import Forbidden, InvalidInput, required_text
from zhili.core.roles import Action
from zhili.core.scope import can, role_codes, scope_for
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.inspections.models import (
    CheckKind,
    Finding,
    GuidanceKind,
    GuidanceVisit,
    Inspection,
    Standard,
    StandardCheck,
    StandardScore,
)
from zhili.inspections.services import FindingInput, finding_issue
from zhili.inspections.workflow import UNIT_ROLES
from zhili.orgs.models import Kind, Organization
from zhili.orgs.selectors import unit_head, units_named

GAP_DAYS = 30  # the deadline of a gap's rectification


def standards_for(level: str) -> QuerySet[Standard]:
    return Standard.objects.filter(level=level, active=True).order_by("order", "code")


@dataclass(frozen=True)
class ScoreInput:
    points: Decimal
    note: str = ""


def _points(raw: object, standard: Standard) -> Decimal:
    field = f"scores.{standard.code}"
    try:
        points = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"“{standard.text}”的得分应为数字", field=field) from None
    if not points.is_finite() or not Decimal(0) <= points <= standard.points:
        raise InvalidInput(f"“{standard.text}”的得分须在 0 至 {standard.points} 之间", field=field)
    return points.quantize(Decimal("0.01"))


def _check_who(actor: Actor, unit: Organization, kind: str) -> None:
    if kind == CheckKind.SELF:
        if actor.organization_id != unit.pk or not role_codes(actor) & UNIT_ROLES:
            raise Forbidden("自评须由本中心的工作人员进行")
    elif not can(actor, Action.INSPECTIONS_MANAGE):
        raise Forbidden("您的角色不能进行督查评分")


def _unit(code: str) -> Organization:
    [unit] = units_named([code], field="unit", label="被评中心")
    if unit.kind != Kind.CENTER:
        raise InvalidInput("只有综治中心按建设标准评分", field="unit")
    return unit


@transaction.atomic
def standard_check(
    *,
    actor: Actor,
    unit_code: str,
    kind: str,
    scores: Mapping[str, ScoreInput],
    inspection: Inspection | None = None,
) -> StandardCheck:
    """Score a center against every active standard of its level; each gap opens a finding."""
    if kind not in CheckKind.values:
        raise InvalidInput("请选择自评或督查评分", field="kind")
    unit = _unit(unit_code)
    _check_who(actor, unit, kind)
    if inspection is not None and not inspection.targets.filter(pk=unit.pk).exists():
        raise InvalidInput("被评中心须是本次督查的被督查单位", field="unit")
    standards = list(standards_for(unit.level))
    if not standards:
        raise InvalidInput("该层级尚无建设标准", field="unit")
    rows = [(s, _scored(s, scores)) for s in standards]
    unknown = set(scores) - {s.code for s in standards}
    if unknown:
        raise InvalidInput(f"不是该层级的标准：{'、'.join(sorted(unknown))}", field="scores")
    check = StandardCheck.objects.create(
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        inspection=inspection,
        checked_by=actor,
        total=sum((p for _s, (p, _n) in rows), Decimal(0)),
        full=sum((s.points for s in standards), Decimal(0)),
    )
    for standard, (points, note) in rows:
        finding = _gap(actor, check, standard, points, note) if points < standard.points else None
        StandardScore.objects.create(
            check_row=check, standard=standard, points=points, note=note, finding=finding
        )
    audit(actor, "inspections.standard_check.create", check, unit=unit.code, kind=kind)
    return check


def _scored(standard: Standard, scores: Mapping[str, ScoreInput]) -> tuple[Decimal, str]:
    given = scores.get(standard.code)
    if given is None:
        raise InvalidInput(f"请为“{standard.text}”评分", field=f"scores.{standard.code}")
    return _points(given.points, standard), (given.note or "").strip()[:300]


def _gap(
    actor: Actor, check: StandardCheck, standard: Standard, points: Decimal, note: str
) -> Finding:
    lost = standard.points - points
    inspected = check.kind == CheckKind.INSPECTION
    data = FindingInput(
        unit=check.unit.code,
        problem=(
            f"对照建设标准（{standard.get_area_display()}）“{standard.text}”"
            f"{check.get_kind_display()}得 {points}/{standard.points} 分"
            + (f"：{note}" if note else "")
        ),
        requirement=f"对照“{standard.text}”补齐短板（依据：{standard.basis}），报送整改报告及佐证材料。",
        due_on=timezone.localdate() + timedelta(days=GAP_DAYS),
        unit_leader=unit_head(check.unit),
        deduction=lost if inspected else Decimal(0),
    )
    issuer = actor if inspected else None
    center = actor.organization if inspected and actor.organization else county_center()
    return finding_issue(actor=issuer, inspection=check.inspection, data=data, center=center)


# --- reads ------------------------------------------------------------------------------------


def check_list(*, user: Actor) -> QuerySet[StandardCheck]:
    if not can(user, Action.INSPECTIONS_VIEW):
        return StandardCheck.objects.none()
    rows = StandardCheck.objects.filter(scope_for(user).q("unit_path"))
    rows = rows.annotate(gaps=Count("scores", filter=Q(scores__finding__isnull=False)))
    return rows.select_related("unit", "checked_by", "inspection").order_by("-checked_at", "-id")


def check_get(*, user: Actor, check_id: int) -> StandardCheck:
    return one_or_not_found(check_list(user=user), "评分记录不存在", pk=check_id)


def check_scores(check: StandardCheck) -> list[StandardScore]:
    return list(check.scores.select_related("standard", "finding").order_by("standard__order"))


def guidance_list(*, user: Actor) -> QuerySet[GuidanceVisit]:
    if not can(user, Action.INSPECTIONS_VIEW):
        return GuidanceVisit.objects.none()
    rows = GuidanceVisit.objects.filter(scope_for(user).q("unit_path"))
    return rows.select_related("unit", "recorded_by").order_by("-on", "-id")


# --- guidance and training --------------------------------------------------------------------


@transaction.atomic
def guidance_record(
    *,
    actor: Actor,
    unit_code: str,
    kind: str,
    on: date,
    topic: str,
    content: str,
    attendees: int = 0,
) -> GuidanceVisit:
    """Record a guidance visit to a center, or a training given to its staff."""
    if not can(actor, Action.INSPECTIONS_MANAGE):
        raise Forbidden("您的角色不能登记指导与培训")
    if kind not in GuidanceKind.values:
        raise InvalidInput("请选择指导或培训", field="kind")
    if on > timezone.localdate():
        raise InvalidInput("日期不能晚于今天", field="on")
    if not 0 <= attendees <= 10000:
        raise InvalidInput("参加人数须在 0 至 10000 之间", field="attendees")
    [unit] = units_named([unit_code], field="unit", label="被指导单位")
    visit = GuidanceVisit.objects.create(
        unit=unit,
        unit_path=unit.path,
        kind=kind,
        on=on,
        topic=required_text(topic, field="topic", label="主题", limit=200),
        content=required_text(content, field="content", label="内容与意见", limit=5000),
        attendees=attendees,
        recorded_by=actor,
    )
    audit(actor, "inspections.guidance.record", visit, unit=unit.code, kind=kind)
    return visit
