"""The rectification of a finding (整改), its roles and its sides. Pure Python.

    issued (整改中) --report--> reported (待复查) --pass--> verified --close--> closed (已销号)
        |  ^                          |
        |  +---------- fail ----------+   (a failed 复查 reopens it and climbs the ladder)
        +--request_extension--> extension --approve_extension / refuse_extension--> issued

- the rectifying unit's staff report (整改报告, with evidence) and ask for more time, before
  the deadline only;
- the inspecting center grants or refuses the extension and strikes the finding off (销号);
- the re-check (复查) is the verifier's: someone entitled to re-check who does not work in
  the rectifying unit (nor below it) and did not write its report. No one passes that side
  by being a superuser: the independence of the 复查 is the point of it.
"""

from django.utils import timezone

from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.errors import Conflict
from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.inspections.events import FindingTransitioned
from zhili.inspections.models import Finding, FindingEvent, FindingState

S = FindingState

# Who answers for the rectifying unit: the staff of a center, a department or a village.
UNIT_ROLES = frozenset(
    {
        Role.CENTER_DIRECTOR,
        Role.DISPATCHER,
        Role.TOWNSHIP_SECRETARY,
        Role.TOWNSHIP_OFFICER,
        Role.VILLAGE_OFFICER,
        Role.DEPARTMENT_HANDLER,
        Role.UNIT_HEAD,
    }
)
# Who runs inspections for the county center: its director, its analysts, the county leader.
INSPECTOR_ROLES = frozenset({Role.CENTER_DIRECTOR, Role.ANALYST, Role.COUNTY_LEADER})
VERIFIER_ROLES = INSPECTOR_ROLES

UNIT = Party(UNIT_ROLES, "unit")
CENTER = Party(INSPECTOR_ROLES, "center")
VERIFIER = Party(VERIFIER_ROLES, "verifier")

TRANSITIONS: dict[str, Transition] = by_name(
    [
        UNIT("report", "提交整改报告", {S.ISSUED}, S.REPORTED),
        UNIT("request_extension", "申请延期", {S.ISSUED}, S.EXTENSION),
        CENTER("approve_extension", "同意延期", {S.EXTENSION}, S.ISSUED),
        CENTER("refuse_extension", "不同意延期", {S.EXTENSION}, S.ISSUED, needs_reason=True),
        VERIFIER("pass", "复查通过", {S.REPORTED}, S.VERIFIED),
        VERIFIER("fail", "复查未通过", {S.REPORTED}, S.ISSUED, needs_reason=True),
        CENTER("close", "销号", {S.VERIFIED}, S.CLOSED),
    ]
)

TABLE = TransitionTable(TRANSITIONS.values(), states=dict(FindingState.choices), noun="整改事项")


def _visible(actor: Actor, finding: Finding) -> bool:
    """The selectors' `finding_scope`, for one row."""
    if not can(actor, Action.INSPECTIONS_VIEW):
        return False
    return scope_for(actor).covers_any(finding.unit_path, finding.center_path)


def inside_unit(actor: Actor, unit_path: str) -> bool:
    """The actor works in the unit, or below it."""
    org = actor.organization
    return org is not None and org.path.startswith(unit_path)


def _in_unit(actor: Actor, finding: Finding) -> bool:
    return inside_unit(actor, finding.unit_path)


def _covers_center(actor: Actor, finding: Finding) -> bool:
    return scope_for(actor).covers_path(finding.center_path)


def independent(actor: Actor, finding: Finding) -> bool:
    """Whether `actor` may re-check the finding: not of the rectifying unit, not its reporter."""
    return not _in_unit(actor, finding) and finding.reported_by_id != actor.pk


def _guard(finding: Finding, action: str) -> Conflict | None:
    if action == "close" and finding.verified_by_id is None:
        return Conflict("未经独立复查通过的问题不能销号", code="not_verified")
    if action == "request_extension" and timezone.now() > finding.due_at:
        return Conflict("整改期限已过：延期须在期限届满前申请", code="deadline_passed")
    return None


KIND: DossierKind[Finding] = DossierKind(
    model=Finding,
    history=FindingEvent,
    link="finding",
    table=TABLE,
    audit_name="inspections.finding",
    visible=_visible,
    sides={
        "unit": Side(_in_unit, "该整改事项不是下发给您所在单位的"),
        "center": Side(_covers_center, "该整改事项不是您所在的中心下发的"),
        "verifier": Side(
            independent,
            "复查须由整改单位以外、未参与整改报告的人员进行",
            superuser_passes=False,
        ),
    },
    guard=_guard,
    event=transition_event(
        Finding,
        FindingTransitioned,
        finding_id=lambda f: f.pk,
        number=lambda f: f.number,
        unit=lambda f: f.unit.code,
    ),
    labels={
        "issue": "下发整改通知书",
        "ladder": "问责升级",
        "evidence": "上传佐证材料",
    },
    nobody={"issue": "系统（回头看）"},
)
