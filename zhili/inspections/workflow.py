"""The rectification of a finding (整改), its roles and its sides, and who inspects.

    issued (整改中) --report--> reported (待复查) --pass--> verified --close--> closed (已销号)
        |  ^                          |
        |  +---------- fail ----------+   (a failed 复查 reopens it and climbs the ladder)
        +--request_extension--> extension --approve_extension / refuse_extension--> issued

- the rectifying unit's staff report (整改报告, with evidence) and ask for more time, before
  the deadline only;
- the inspecting center grants or refuses the extension and strikes the finding off (销号);
- the re-check (复查) is the verifier's: someone entitled to re-check (an inspector holding
  `inspections.verify`, or a member of the inspection's team) who does not work in the
  rectifying unit (`inside_unit`) and did not write its report (`independent`). No one
  passes that side by being a superuser: the independence of the 复查 is the point of it.

A joint inspection's team (联合督查组, e.g. 纪委监委 and 组织部 with the center) is a set of
units. The staff of a team unit who see inspections at all (`inspections.view`) inspect with
it, whatever else their role: they see the inspection and its findings, record findings in
it and re-check them (`on_team`). Membership is by the user's own unit, not its subtree: the
county center on a team does not make every township's staff inspectors.
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
from zhili.inspections.models import Finding, FindingEvent, FindingState, Inspection
from zhili.orgs.models import Kind, Organization

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
# Who may stand on the verifier's side at all: the inspectors, and a team unit's staff (the
# roles that see inspections). The side (`may_recheck`) decides who of them re-checks what.
RECHECK_ROLES = VERIFIER_ROLES | UNIT_ROLES

UNIT = Party(UNIT_ROLES, "unit")
CENTER = Party(INSPECTOR_ROLES, "center")
VERIFIER = Party(RECHECK_ROLES, "verifier")

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


def on_team(actor: Actor, inspection_id: int | None) -> bool:
    """The actor's own unit is on the inspection's team and the actor sees inspections."""
    org_id = getattr(actor, "organization_id", None)
    if inspection_id is None or org_id is None or not can(actor, Action.INSPECTIONS_VIEW):
        return False
    members = Inspection.team.through.objects.filter(inspection_id=inspection_id)
    return members.filter(organization_id=org_id).exists()


def may_record(actor: Actor, inspection: Inspection | None) -> bool:
    """Whether the actor may issue a finding (整改通知) in `inspection`: an inspector
    (`inspections.manage`), or a member of its team."""
    if can(actor, Action.INSPECTIONS_MANAGE):
        return True
    return inspection is not None and on_team(actor, inspection.pk)


def _visible(actor: Actor, finding: Finding) -> bool:
    """The selectors' `finding_scope`, for one row."""
    if not can(actor, Action.INSPECTIONS_VIEW):
        return False
    if scope_for(actor).covers_any(finding.unit_path, finding.center_path):
        return True
    return on_team(actor, finding.inspection_id)


# The bodies of a center's own level that are housed in it: their staff are the center's.
# Any other body of that level under it in the tree is a unit of its own (the tree hangs the
# county's departments and committees, 纪委监委 among them, under the county center).
HOUSED_KINDS = frozenset({Kind.SUBCENTER, Kind.OFFICE, Kind.LIAISON_OFFICE})


def inside_unit(actor: Actor, unit: Organization) -> bool:
    """The actor works in `unit`: in it, in a body housed in it, or below it at a lower
    level (a township's villages are the township's)."""
    org = actor.organization
    if org is None or not org.path.startswith(unit.path):
        return False
    if org.pk == unit.pk:
        return True
    code = org.path[len(unit.path) :].split("/", 1)[0]  # the unit's child on the way down
    step = org if code == org.code else Organization.objects.filter(code=code).first()
    return step is not None and (step.level != unit.level or step.kind in HOUSED_KINDS)


def _in_unit(actor: Actor, finding: Finding) -> bool:
    return inside_unit(actor, finding.unit)


def _covers_center(actor: Actor, finding: Finding) -> bool:
    return scope_for(actor).covers_path(finding.center_path)


def independent(actor: Actor, finding: Finding) -> bool:
    """Whether `actor` may re-check the finding: not of the rectifying unit, not its reporter."""
    return not _in_unit(actor, finding) and finding.reported_by_id != actor.pk


def may_recheck(actor: Actor, finding: Finding) -> bool:
    """The verifier's side: entitled to re-check (an inspector, or on the finding's
    inspection team) and independent of the rectifying unit."""
    entitled = can(actor, Action.INSPECTIONS_VERIFY) or on_team(actor, finding.inspection_id)
    return entitled and independent(actor, finding)


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
            may_recheck,
            "复查须由督查人员或本次督查组成员单位的人员进行，且不得来自整改单位、不得是整改报告人",
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
