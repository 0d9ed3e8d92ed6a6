"""Every write to early warnings: the scan that raises them from the rules, the rules'
settings, and the sign / answer / close / reject transitions (through the dossier kernel).

A rule raises one warning per subject: while that warning is open, what the rule finds again
about the subject is added to it as evidence (新增预警依据) instead of a second warning; once
closed, only records after its window that no warning of the subject named can raise a new
one. A standing condition's warning (`rules.STANDING`: overdue visits) is cleared by the scan
(自动消警) once its subject is found no more, and after closure any stretch not yet named
raises a new one, whenever it began.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhili.cases.routing import county_center
from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dossier import action_of, apply_transition, check_action, record_history
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.errors import DomainError, Forbidden, InvalidInput, required_text
from zhili.core.events import emit
from zhili.core.models import Series
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import Transition
from zhili.orgs.models import Organization
from zhili.supervision import services as supervision
from zhili.supervision.models import OrderKind, SupervisionOrder
from zhili.warnings import workflow
from zhili.warnings.events import WarningIssued
from zhili.warnings.models import (
    OPEN_STATES,
    UNANSWERED_STATES,
    Level,
    Warning,
    WarningRule,
    WarningSource,
    WarningState,
)
from zhili.warnings.rules import EVALUATORS, STANDING, Finding, Source, clean_params


def next_warning_no(now: datetime) -> str:
    """YJ2026-00017: sequential per local year, gap-free."""
    year = timezone.localdate(now).year
    prefix = getattr(settings, "ZHILI_WARNING_PREFIX", "YJ")
    return f"{prefix}{year}-{take_next(Series.WARNING, str(year)):05d}"


# --- the scan ---------------------------------------------------------------------------------


@dataclass
class ScanResult:
    issued: int = 0  # new warnings
    extended: int = 0  # open warnings that got new evidence
    rules: int = 0  # rules evaluated
    cleared: int = 0  # standing conditions' warnings closed by the scan (自动消警)


def warnings_scan(*, now: datetime | None = None) -> ScanResult:
    """Evaluate every enabled rule as of `now` and settle what they find."""
    now = now or timezone.now()
    result = ScanResult()
    for rule in WarningRule.objects.filter(enabled=True, kind__in=list(EVALUATORS)):
        findings = EVALUATORS[rule.kind](rule, now)
        result.rules += 1
        if findings or rule.kind in STANDING:
            _settle_rule(rule, findings, now, result)
    return result


@transaction.atomic
def _settle_rule(
    rule: WarningRule, findings: list[Finding], now: datetime, result: ScanResult
) -> None:
    """One rule's findings, under the rule's row lock: two scans at once issue once."""
    WarningRule.objects.select_for_update().filter(pk=rule.pk).first()
    standing = rule.kind in STANDING
    if standing:
        result.cleared += _clear_ended(rule, {f.subject for f in findings}, now)
    latest: dict[str, Warning] = {}
    named: dict[str, set[tuple[str, str]]] = defaultdict(set)
    subjects = [f.subject for f in findings]
    known = Warning.objects.filter(rule=rule, subject__in=subjects).prefetch_related("sources")
    for warning in known.order_by("issued_at"):
        latest[warning.subject] = warning
        named[warning.subject] |= {(s.kind, s.number) for s in warning.sources.all()}
    minimum = int(rule.params.get("threshold", 1))
    center = county_center()
    for finding in findings:
        earlier = latest.get(finding.subject)
        if earlier is not None and earlier.state in OPEN_STATES:
            result.extended += _add_evidence(earlier, finding.sources)
            continue
        if earlier is not None:
            finding.sources = [
                s
                for s in finding.sources
                if (s.kind, s.number) not in named[finding.subject]
                and (standing or s.occurred_at > earlier.window_end)
            ]
            if len(finding.sources) < minimum:
                continue
        _issue(rule, finding, center, now)
        result.issued += 1


CLEAR = workflow.TRANSITIONS["clear"]
CLEARED = "逾期走访均已完成（或人员已不再列管），预警自动消除"


def _clear_ended(rule: WarningRule, found: set[str], now: datetime) -> int:
    """Close the rule's open warnings whose subject the scan found no more (a standing
    condition that ended: every overdue visit of the grid made). The transition is the
    platform's own (`clear`); its history line says why. Returns how many."""
    open_ones = Warning.objects.filter(rule=rule, state__in=OPEN_STATES).select_related("unit")
    ended = [w for w in open_ones.order_by("id") if w.subject not in found]
    changes: dict[str, object] = {"closed_by": None, "closed_at": now, "close_note": CLEARED}
    cleared = 0
    for warning in ended:
        try:
            with transaction.atomic():
                apply_transition(workflow.KIND, warning, CLEAR, None, changes, note=CLEARED, at=now)
        except DomainError:
            continue  # someone acted on it meanwhile: the next scan sees it as it is now
        cleared += 1
    return cleared


def _unit_for(finding: Finding, center: Organization) -> Organization:
    township = finding.township_id
    if township is not None:
        unit = Organization.objects.filter(pk=township).first()
        if unit is not None:
            return unit
    return center


def _issue(rule: WarningRule, finding: Finding, center: Organization, now: datetime) -> Warning:
    unit = _unit_for(finding, center)
    warning = Warning.objects.create(
        number=next_warning_no(now),
        rule=rule,
        kind=rule.kind,
        level=rule.level,
        title=finding.title[:200],
        summary=finding.summary,
        subject=finding.subject,
        window_start=finding.window_start,
        window_end=finding.window_end,
        count=len(finding.sources),
        unit=unit,
        center=center,
        unit_path=unit.path,
        center_path=center.path,
        state=WarningState.ISSUED,
        issued_at=now,
        sign_due_at=now + timedelta(hours=rule.sign_hours),
        answer_due_at=now + timedelta(hours=rule.answer_hours),
        updated_at=now,
    )
    _link(warning, finding.sources, known=set())
    _announce(rule, warning, finding)
    return warning


def _announce(rule: WarningRule, warning: Warning, finding: Finding) -> None:
    """The history's "发布预警" line, the audit row and the WarningIssued event."""
    record_history(
        workflow.KIND,
        warning,
        "issue",
        from_state="",
        to_state=WarningState.ISSUED,
        actor=None,
        note=f"{rule.name}：{finding.summary}",
        at=warning.issued_at,
    )
    audit(None, "warnings.warning.issue", warning, number=warning.number, rule=rule.code)
    emit(
        WarningIssued(
            warning_id=warning.pk,
            number=warning.number,
            rule=rule.code,
            level=warning.level,
            unit=warning.unit.code,
        )
    )


def _link(
    warning: Warning, sources: list[Source], known: set[tuple[str, str]] | None = None
) -> list[Source]:
    """Attach the sources the warning does not name yet (`known`: those it names, read from
    its prefetched sources when not given); those that were new."""
    if known is None:
        known = {(s.kind, s.number) for s in warning.sources.all()}
    new = [s for s in sources if (s.kind, s.number) not in known]
    WarningSource.objects.bulk_create(
        [
            WarningSource(
                warning=warning,
                kind=s.kind,
                number=s.number,
                title=s.title[:200],
                occurred_at=s.occurred_at,
            )
            for s in new
        ]
    )
    return new


def _add_evidence(warning: Warning, sources: list[Source]) -> int:
    added = _link(warning, sources)
    if not added:
        return 0
    count = len(warning.sources.all()) + len(added)
    Warning.objects.filter(pk=warning.pk).update(count=count)
    numbers = "、".join(s.number for s in added)
    record_history(
        workflow.KIND,
        warning,
        "evidence",
        from_state=warning.state,
        to_state=warning.state,
        actor=None,
        note=f"新增 {len(added)} 件：{numbers}（共 {count} 件）",
    )
    return 1


# --- late answers go to 督 --------------------------------------------------------------------

SUPERVISED = "warnings.warning"


def warnings_supervise(*, now: datetime | None = None) -> int:
    """Open a 督办单 for each warning not answered by its time limit, once per deadline (the
    supervision app's `order_open_once`; a second sweep finds the first order). The warning's
    history names the order. Returns how many were opened."""
    now = now or timezone.now()
    late = Warning.objects.filter(
        state__in=UNANSWERED_STATES, answer_due_at__lt=now
    ).select_related("unit", "center")
    known = set(
        SupervisionOrder.objects.filter(target_type=SUPERVISED, kind=OrderKind.WARNING).values_list(
            "target_id", "trigger_at"
        )
    )
    opened = 0
    for warning in late.order_by("answer_due_at", "id"):
        if (str(warning.pk), warning.answer_due_at) not in known:
            with transaction.atomic():
                _supervise(warning)
            opened += 1
    return opened


def _supervise(warning: Warning) -> None:
    target = supervision.Target(
        SUPERVISED,
        str(warning.pk),
        {},
        warning.unit,
        warning.center,
        {"warning_no": warning.number},
    )

    def texts(now: datetime, due: datetime) -> tuple[str, str]:
        late = supervision.late_text(now - warning.answer_due_at)
        reason = (
            f"预警 {warning.number}“{warning.title}”（{warning.get_level_display()}）"
            f"答复时限为 {supervision.moment_text(warning.answer_due_at)}，已超时 {late} 未答复。"
        )
        request = (
            f"请你单位立即研判处置，并于 {supervision.moment_text(due)} 前将处置情况"
            f"答复{warning.center.name}。"
        )
        return reason, request

    order = supervision.order_open_once(
        target=target, kind=OrderKind.WARNING, trigger_at=warning.answer_due_at, texts=texts
    )
    record_history(
        workflow.KIND,
        warning,
        "supervise",
        from_state=warning.state,
        to_state=warning.state,
        actor=None,
        note=f"逾期未答复，已下发督办单 {order.number}",
    )


# --- the rules' settings ----------------------------------------------------------------------


@transaction.atomic
def rule_update(
    *,
    actor: Actor,
    rule: WarningRule,
    level: str,
    enabled: bool,
    params: Mapping[str, object],
    sign_hours: int,
    answer_hours: int,
) -> WarningRule:
    """Change a rule's level, thresholds and time limits (the county center configures)."""
    if not can(actor, Action.WARNING_RULES_MANAGE):
        raise Forbidden("您的角色不能配置预警规则")
    if level not in Level.values:
        raise InvalidInput("请选择预警等级", field="level")
    for name, hours in (("sign_hours", sign_hours), ("answer_hours", answer_hours)):
        if not 1 <= hours <= 24 * 30:
            raise InvalidInput("时限须在 1 至 720 小时之间", field=name)
    if answer_hours < sign_hours:
        raise InvalidInput("答复时限不能短于签收时限", field="answer_hours")
    before = {"level": rule.level, "enabled": rule.enabled, "params": rule.params}
    rule.level, rule.enabled = level, enabled
    rule.params = clean_params(rule.kind, params)
    rule.sign_hours, rule.answer_hours = sign_hours, answer_hours
    rule.updated_by, rule.updated_at = actor, timezone.now()
    rule.save()
    audit(actor, "warnings.rule.update", rule, code=rule.code, before=before)
    return rule


# --- transitions ------------------------------------------------------------------------------


def check_transition(actor: Actor, warning: Warning, action: str) -> Transition:
    return check_action(workflow.KIND, actor, warning, action)


def actions_for(actor: Actor, warning: Warning) -> list[Transition]:
    return kernel_actions_for(workflow.KIND, actor, warning)


def _who(actor: Actor) -> SystemActor:
    return actor if getattr(actor, "pk", None) else None


def _apply(
    warning: Warning,
    transition: Transition,
    actor: SystemActor,
    changes: dict[str, object],
    note: str,
) -> Warning:
    return apply_transition(workflow.KIND, warning, transition, actor, changes, note=note).record


@transaction.atomic
def warning_sign(*, actor: Actor, warning: Warning) -> Warning:
    """The responsible unit signs for the warning (签收): it has it in hand."""
    transition = check_transition(actor, warning, "sign")
    changes: dict[str, object] = {"signed_by": _who(actor), "signed_at": timezone.now()}
    return _apply(warning, transition, actor, changes, "")


@transaction.atomic
def warning_answer(*, actor: Actor, warning: Warning, answer: str) -> Warning:
    """The unit answers what it found and did (研判处置情况)."""
    transition = check_transition(actor, warning, "answer")
    answer = required_text(answer, field="answer", label="研判处置情况")
    changes: dict[str, object] = {
        "answer": answer,
        "answered_by": _who(actor),
        "answered_at": timezone.now(),
    }
    return _apply(warning, transition, actor, changes, answer)


@transaction.atomic
def warning_close(*, actor: Actor, warning: Warning, note: str = "") -> Warning:
    """The issuing center accepts the answer and closes the warning."""
    transition = check_transition(actor, warning, "close")
    note = (note or "").strip()[:500]
    changes: dict[str, object] = {
        "closed_by": _who(actor),
        "closed_at": timezone.now(),
        "close_note": note,
    }
    return _apply(warning, transition, actor, changes, note)


@transaction.atomic
def warning_reject(*, actor: Actor, warning: Warning, reason: str) -> Warning:
    """The center sends the answer back: the unit goes on handling and answers again."""
    transition = check_transition(actor, warning, "reject")
    reason = required_text(reason, field="reason", label="退回理由", limit=500)
    return _apply(warning, transition, actor, {"close_note": reason}, reason)


ACTIONS: dict[str, Callable[[Actor, Warning, Mapping[str, object]], Warning]] = {
    "sign": lambda actor, warning, data: warning_sign(actor=actor, warning=warning),
    "answer": lambda actor, warning, data: warning_answer(
        actor=actor, warning=warning, answer=str(data.get("answer") or "")
    ),
    "close": lambda actor, warning, data: warning_close(
        actor=actor, warning=warning, note=str(data.get("note") or "")
    ),
    "reject": lambda actor, warning, data: warning_reject(
        actor=actor, warning=warning, reason=str(data.get("reason") or "")
    ),
}


def warning_act(actor: Actor, warning: Warning, action: str, data: Mapping[str, object]) -> Warning:
    """Take `action` with its input `data` (the form's or the API body's fields)."""
    return action_of(ACTIONS, action)(actor, warning, data)
