"""Every write of 督: inspections, their findings and the rectification (through the dossier
kernel), the ladder a failed re-check climbs, and circulars with their read receipts.

Each finding takes points off its unit's assessment (`FindingPenalized`, posted to the
ledger by the assessment app): its `deduction` when issued, twice that at each failed 复查.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dossier import action_of, apply_transition, check_action, record_history
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.errors import Forbidden, InvalidInput, required_text
from zhili.core.events import emit
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor, SystemActor
from zhili.core.uploads import check_upload
from zhili.core.workflow import Transition
from zhili.inspections import checklist, workflow
from zhili.inspections.circulars import ladder_circular
from zhili.inspections.events import FindingIssued, FindingPenalized
from zhili.inspections.models import (
    Admonition,
    ChecklistItem,
    Evidence,
    Finding,
    FindingState,
    Inspection,
    InspectionKind,
    Ladder,
)
from zhili.orgs.models import Organization
from zhili.orgs.selectors import units_named

MAX_EVIDENCE = 10
CENTS = Decimal("0.01")


def _number(series: Series, prefix: str, width: int) -> str:
    year = timezone.localdate().year
    return f"{prefix}{year}-{take_next(series, str(year)):0{width}d}"


def inspection_number() -> str:
    """DC2026-0003: the inspections of a year, gap-free."""
    return _number(Series.INSPECTION, "DC", 4)


def end_of(day: date) -> datetime:
    """The last moment of a local day: a deadline "by 12月20日" runs to its end."""
    tz = timezone.get_current_timezone()
    return datetime.combine(day + timedelta(days=1), time.min, tz) - timedelta(microseconds=1)


def _require(actor: Actor, action: str, refusal: str) -> None:
    if not can(actor, action):
        raise Forbidden(refusal)


# --- inspections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionInput:
    kind: str
    title: str
    basis: str
    starts_on: date
    ends_on: date
    team: Sequence[str]  # organization codes
    targets: Sequence[str]
    checklist: Sequence[tuple[str, str]] = ()  # (text, assessment item code or "")


def _checked(data: InspectionInput) -> tuple[list[Organization], list[Organization]]:
    if data.kind not in InspectionKind.values:
        raise InvalidInput("请选择督查类型", field="kind")
    required_text(data.title, field="title", label="督查名称", limit=200)
    if data.ends_on < data.starts_on:
        raise InvalidInput("结束日期不能早于开始日期", field="ends_on")
    team = units_named(data.team, field="team", label="督查组成员单位")
    if data.kind == InspectionKind.JOINT and len(team) < 2:
        raise InvalidInput("联合督查须由两个以上单位组成督查组", field="team")
    targets = units_named(data.targets, field="targets", label="被督查单位")
    checklist.check_codes(data.starts_on.year, (code for _text, code in data.checklist))
    return team, targets


@transaction.atomic
def inspection_create(*, actor: Actor, data: InspectionInput) -> Inspection:
    """Plan an inspection: its team, the units it inspects and its checklist."""
    _require(actor, Action.INSPECTIONS_MANAGE, "您的角色不能组织督查")
    team, targets = _checked(data)
    center = actor.organization
    if center is None:
        raise Forbidden("您的账号未归属任何单位")
    now = timezone.now()
    inspection = Inspection.objects.create(
        number=inspection_number(),
        kind=data.kind,
        title=data.title.strip()[:200],
        basis=(data.basis or "").strip(),
        center=center,
        center_path=center.path,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by=actor,
        created_at=now,
    )
    inspection.team.set(team)
    inspection.targets.set(targets)
    _add_checklist(inspection, data.checklist)
    audit(actor, "inspections.inspection.create", inspection, number=inspection.number)
    return inspection


def _add_checklist(inspection: Inspection, lines: Sequence[tuple[str, str]]) -> None:
    items = []
    for order, (text, code) in enumerate(lines, start=1):
        text = (text or "").strip()
        if not text:
            continue
        if len(text) > 300:
            raise InvalidInput(f"督查清单第 {order} 项超过 300 字", field="checklist")
        items.append(ChecklistItem(inspection=inspection, order=order, text=text, item_code=code))
    ChecklistItem.objects.bulk_create(items)


# --- findings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingInput:
    unit: str  # the rectifying unit's code
    problem: str
    requirement: str
    due_on: date
    unit_leader: str
    item: int | None = None  # a checklist item of the inspection
    deduction: Decimal = Decimal(1)


def _finding_checked(inspection: Inspection | None, data: FindingInput) -> Organization:
    required_text(data.problem, field="problem", label="发现问题")
    required_text(data.requirement, field="requirement", label="整改要求")
    required_text(data.unit_leader, field="unit_leader", label="单位负责人", limit=50)
    if data.due_on < timezone.localdate():
        raise InvalidInput("整改期限不能早于今天", field="due_on")
    if not Decimal(0) <= data.deduction <= Decimal(100):
        raise InvalidInput("扣分须在 0 至 100 分之间", field="deduction")
    [unit] = units_named([data.unit], field="unit", label="整改单位")
    if inspection is not None and not inspection.targets.filter(pk=unit.pk).exists():
        raise InvalidInput("整改单位须是本次督查的被督查单位", field="unit")
    if data.item is not None and (
        inspection is None or not inspection.items.filter(pk=data.item).exists()
    ):
        raise InvalidInput("督查清单项不属于本次督查", field="item")
    return unit


@transaction.atomic
def finding_issue(
    *, actor: SystemActor, inspection: Inspection | None, data: FindingInput, center: Organization
) -> Finding:
    """Send a finding to its unit with a 整改通知书: numbered, with a deadline, and its points
    taken off the unit's assessment. `actor` None: the platform's own 回头看."""
    if actor is not None and not workflow.may_record(actor, inspection):
        raise Forbidden("只有督查人员或本次督查组成员单位的人员可以下发整改通知")
    unit = _finding_checked(inspection, data)
    now = timezone.now()
    finding = Finding.objects.create(
        number=_number(Series.FINDING, "ZG", 5),
        inspection=inspection,
        item_id=data.item,
        problem=data.problem.strip(),
        requirement=data.requirement.strip(),
        unit=unit,
        unit_path=unit.path,
        unit_leader=data.unit_leader.strip(),
        center=center,
        center_path=center.path,
        state=FindingState.ISSUED,
        deduction=data.deduction,
        issued_by=actor,
        issued_at=now,
        due_at=end_of(data.due_on),
        updated_at=now,
    )
    record_history(
        workflow.KIND,
        finding,
        "issue",
        from_state="",
        to_state=FindingState.ISSUED,
        actor=actor,
        note=f"整改期限 {data.due_on:%Y年%m月%d日}：{finding.requirement}",
        at=now,
    )
    audit(actor, "inspections.finding.issue", finding, number=finding.number, unit=unit.code)
    emit(FindingIssued(finding_id=finding.pk, number=finding.number, unit=unit.code))
    _penalize(finding, 0, finding.deduction, f"督查发现问题：{finding.problem[:60]}")
    return finding


def _penalize(finding: Finding, round_: int, points: Decimal, reason: str) -> None:
    emit(
        FindingPenalized(
            finding_id=finding.pk,
            number=finding.number,
            unit=finding.unit.code,
            round=round_,
            points=str((-points).quantize(CENTS)),
            on=timezone.localdate().isoformat(),
            reason=reason,
        )
    )


# --- the rectification's transitions ----------------------------------------------------------


def check_transition(actor: Actor, finding: Finding, action: str) -> Transition:
    return check_action(workflow.KIND, actor, finding, action)


def actions_for(actor: Actor, finding: Finding) -> list[Transition]:
    return kernel_actions_for(workflow.KIND, actor, finding)


def _apply(
    finding: Finding, transition: Transition, actor: Actor, changes: dict[str, object], note: str
) -> Finding:
    changes.setdefault("updated_at", timezone.now())
    return apply_transition(workflow.KIND, finding, transition, actor, changes, note=note).record


def _attach(finding: Finding, actor: Actor, files: Sequence[UploadedFile]) -> list[str]:
    if len(files) > MAX_EVIDENCE:
        raise InvalidInput(f"佐证材料最多 {MAX_EVIDENCE} 个文件", field="evidence")
    checked = [(f, check_upload(f, field="evidence")) for f in files]
    for upload, kind in checked:
        Evidence.objects.create(
            finding=finding,
            file=upload,
            name=(upload.name or "")[:200],
            content_type=kind.mime,
            size=upload.size or 0,
            round=finding.failures,
            uploaded_by=actor,
        )
    return [upload.name or "" for upload, _kind in checked]


@transaction.atomic
def finding_attach(
    *, actor: Actor, finding: Finding, evidence: Sequence[UploadedFile]
) -> list[str]:
    """Add evidence before the report (the API's upload): the unit's staff, while rectifying."""
    check_transition(actor, finding, "report")
    if not evidence:
        raise InvalidInput("请选择佐证材料", field="evidence")
    names = _attach(finding, actor, evidence)
    record_history(
        workflow.KIND,
        finding,
        "evidence",
        from_state=finding.state,
        to_state=finding.state,
        actor=actor,
        note="、".join(names),
    )
    audit(actor, "inspections.finding.evidence", finding, files=names)
    return names


@transaction.atomic
def finding_report(
    *, actor: Actor, finding: Finding, report: str, evidence: Sequence[UploadedFile] = ()
) -> Finding:
    """The unit's 整改报告: what it did, with its evidence; the finding waits for 复查."""
    transition = check_transition(actor, finding, "report")
    report = required_text(report, field="report", label="整改报告", limit=5000)
    if not evidence and not finding.evidence.filter(round=finding.failures).exists():
        raise InvalidInput("请上传整改佐证材料（照片、会议记录或文件）", field="evidence")
    names = _attach(finding, actor, evidence)
    note = report if not names else f"{report}（佐证材料：{'、'.join(names)}）"
    changes: dict[str, object] = {
        "report": report,
        "reported_by": actor,
        "reported_at": timezone.now(),
    }
    return _apply(finding, transition, actor, changes, note)


@transaction.atomic
def finding_request_extension(
    *, actor: Actor, finding: Finding, extend_to: date | None, reason: str
) -> Finding:
    """Ask for more time, before the deadline (the kernel's guard refuses it after)."""
    transition = check_transition(actor, finding, "request_extension")
    if extend_to is None:
        raise InvalidInput("请填写申请延期至的日期", field="extend_to")
    if extend_to <= timezone.localtime(finding.due_at).date():
        raise InvalidInput("延期日期须晚于现整改期限", field="extend_to")
    reason = required_text(reason, field="reason", label="延期理由", limit=500)
    changes: dict[str, object] = {"extension_to": extend_to, "extension_reason": reason}
    return _apply(finding, transition, actor, changes, f"申请延期至 {extend_to:%m月%d日}：{reason}")


@transaction.atomic
def finding_approve_extension(*, actor: Actor, finding: Finding, note: str = "") -> Finding:
    transition = check_transition(actor, finding, "approve_extension")
    extend_to = finding.extension_to
    if extend_to is None:  # the state says a request is pending: it names its day
        raise InvalidInput("延期申请未写明日期", field="extend_to")
    changes: dict[str, object] = {"due_at": end_of(extend_to), "extension_to": None}
    text = f"整改期限延至 {extend_to:%Y年%m月%d日}" + (f"：{note.strip()}" if note else "")
    return _apply(finding, transition, actor, changes, text)


@transaction.atomic
def finding_refuse_extension(*, actor: Actor, finding: Finding, reason: str) -> Finding:
    transition = check_transition(actor, finding, "refuse_extension")
    reason = required_text(reason, field="reason", label="不同意延期的理由", limit=500)
    return _apply(finding, transition, actor, {"extension_to": None}, reason)


@transaction.atomic
def finding_pass(*, actor: Actor, finding: Finding, note: str = "") -> Finding:
    """An independent 复查 finds the problem fixed (the verifier's side: workflow.may_recheck)."""
    transition = check_transition(actor, finding, "pass")
    note = (note or "").strip()[:500]
    changes: dict[str, object] = {
        "verified_by": actor,
        "verified_at": timezone.now(),
        "verify_note": note,
    }
    return _apply(finding, transition, actor, changes, note or "经复查，整改到位")


@transaction.atomic
def finding_fail(*, actor: Actor, finding: Finding, reason: str, due_on: date | None) -> Finding:
    """The 复查 finds it unfixed: the finding reopens with a new deadline, its points are
    taken off again, doubled, and the ladder climbs one rung."""
    transition = check_transition(actor, finding, "fail")
    reason = required_text(reason, field="reason", label="复查意见", limit=500)
    if due_on is None or due_on < timezone.localdate():
        raise InvalidInput("请填写新的整改期限（不早于今天）", field="due_on")
    failures = finding.failures + 1
    changes: dict[str, object] = {
        "failures": failures,
        "due_at": end_of(due_on),
        "verify_note": reason,
        "verified_by": None,
        "verified_at": None,
    }
    finding = _apply(finding, transition, actor, changes, reason)
    _penalize(finding, failures, finding.deduction * 2, f"复查仍未整改到位：{reason[:60]}")
    climb(actor, finding, reason)
    return finding


@transaction.atomic
def finding_close(*, actor: Actor, finding: Finding, note: str = "") -> Finding:
    """销号: only after an independent 复查 passed (the kernel's guard)."""
    transition = check_transition(actor, finding, "close")
    note = (note or "").strip()[:500]
    changes: dict[str, object] = {"closed_by": actor, "closed_at": timezone.now()}
    return _apply(finding, transition, actor, changes, note or "整改到位，予以销号")


# --- the ladder -------------------------------------------------------------------------------

RUNGS = (Ladder.CIRCULAR, Ladder.KEY, Ladder.ADMONITION)


def climb(actor: Actor, finding: Finding, reason: str) -> Ladder:
    """One rung per failed re-check: a 通报 naming the unit; then a new 整改通知 with the
    finding put under 重点督查; then (and at every failure after) 诫勉谈话 recorded against
    the unit's head."""
    rung = RUNGS[min(finding.failures, len(RUNGS)) - 1]
    if rung == Ladder.CIRCULAR:
        ladder_circular(
            actor=actor,
            title=f"关于{finding.unit.name}整改不到位的通报",
            body=_criticism(finding, reason),
            unit_codes=_circulated_to(finding),
            finding=finding,
        )
        note = "复查未通过，予以通报"
    elif rung == Ladder.KEY:
        Finding.objects.filter(pk=finding.pk).update(key_supervision=True)
        finding.key_supervision = True
        note = "再次复查未通过：重新下发整改通知，列为重点督查"
    else:
        Admonition.objects.create(
            finding=finding,
            unit=finding.unit,
            head=finding.unit_leader,
            reason=reason,
            recorded_by=actor,
        )
        note = f"多次复查未通过：对单位负责人{finding.unit_leader}进行诫勉谈话"
    Finding.objects.filter(pk=finding.pk).update(ladder=rung)
    finding.ladder = rung
    record_history(
        workflow.KIND,
        finding,
        "ladder",
        from_state=finding.state,
        to_state=finding.state,
        actor=actor,
        note=note,
    )
    audit(actor, "inspections.finding.ladder", finding, rung=str(rung))
    return rung


def _circulated_to(finding: Finding) -> list[str]:
    """A criticism goes to the unit and to the other units of its inspection."""
    codes = [finding.unit.code]
    if finding.inspection is not None:
        codes += [o.code for o in finding.inspection.targets.order_by("code")]
    return codes


def _criticism(finding: Finding, reason: str) -> str:
    return (
        f"{timezone.localtime(finding.issued_at):%Y年%m月%d日}，{finding.center.name}"
        f"以整改通知书（{finding.number}）要求{finding.unit.name}整改以下问题：{finding.problem}。"
        f"经复查，该单位整改不到位：{reason}。现予以通报，请{finding.unit.name}"
        f"于{timezone.localtime(finding.due_at):%Y年%m月%d日}前整改到位并报送整改报告，"
        f"各单位引以为戒。"
    )


# --- actions by name (the generic page and endpoint) ------------------------------------------


def _date(data: Mapping[str, object], name: str) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("日期格式应为 YYYY-MM-DD", field=name) from None


def _files(data: Mapping[str, object]) -> list[UploadedFile]:
    files = data.get("evidence") or []
    return [f for f in files if isinstance(f, UploadedFile)] if isinstance(files, list) else []


def _text(data: Mapping[str, object], name: str) -> str:
    return str(data.get(name) or "")


ACTIONS: dict[str, Callable[[Actor, Finding, Mapping[str, object]], Finding]] = {
    "report": lambda a, f, d: finding_report(
        actor=a, finding=f, report=_text(d, "report"), evidence=_files(d)
    ),
    "request_extension": lambda a, f, d: finding_request_extension(
        actor=a, finding=f, extend_to=_date(d, "extend_to"), reason=_text(d, "reason")
    ),
    "approve_extension": lambda a, f, d: finding_approve_extension(
        actor=a, finding=f, note=_text(d, "note")
    ),
    "refuse_extension": lambda a, f, d: finding_refuse_extension(
        actor=a, finding=f, reason=_text(d, "reason")
    ),
    "pass": lambda a, f, d: finding_pass(actor=a, finding=f, note=_text(d, "note")),
    "fail": lambda a, f, d: finding_fail(
        actor=a, finding=f, reason=_text(d, "reason"), due_on=_date(d, "due_on")
    ),
    "close": lambda a, f, d: finding_close(actor=a, finding=f, note=_text(d, "note")),
}


def finding_act(actor: Actor, finding: Finding, action: str, data: Mapping[str, object]) -> Finding:
    """Take `action` with its input `data` (the form's or the API body's fields)."""
    return action_of(ACTIONS, action)(actor, finding, data)
