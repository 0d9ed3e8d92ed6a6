"""What a petition's step needs beyond role, side and state (the kind's guard, see
zhili.core.dossier.transitions): a window still open, a request pending, a written answer
to deliver, a petitioner to tell. Pure reads of the petition's columns.

`refusal(petition, action)` is the dossier kernel's guard. One rule depends on who acts and
is the service's (zhili.petitions.services.transitions): whoever asked for an extension does
not decide it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from zhili.core.errors import Conflict
from zhili.petitions import deadlines
from zhili.petitions.models import Petition, Stage

ANONYMOUS = "匿名信访没有可以书面答复的信访人"


@dataclass(frozen=True)
class Answer:
    """A written answer of a stage: where it is kept and what its delivery opens."""

    key: str  # field prefix: reply_ / review_ / re_review_
    title: str
    issued: str  # the field of the moment it was issued
    window: str = ""  # the limit its delivery opens (deadlines.LIMITS), if any
    window_field: str = ""
    next_step: str = ""  # what the window is for: 复查 / 复核


ANSWERS = {
    Stage.ORIGINAL: Answer(
        "reply", "答复意见书", "replied_at", "review_request", "review_request_until", "复查"
    ),
    Stage.REVIEW: Answer(
        "review",
        "复查意见书",
        "review_decided_at",
        "re_review_request",
        "re_review_request_until",
        "复核",
    ),
    Stage.RE_REVIEW: Answer("re_review", "复核意见书", "re_review_decided_at"),
}


def undelivered(p: Petition) -> Answer | None:
    """The stage's written answer, when it is issued and its delivery not recorded yet."""
    answer = ANSWERS[Stage(p.stage)]
    if getattr(p, answer.issued) and not getattr(p, f"{answer.key}_delivered_on"):
        return answer
    return None


def extension_pending(p: Petition) -> bool:
    """An extension asked for and not decided by the unit's head yet."""
    return p.extension_requested_at is not None and p.extension_decided_at is None


def _hand_back(p: Petition) -> Conflict | str | None:
    if p.hand_back_at is not None:
        return "本单位已就该信访事项提出过异议，信访部门核实不同意退回，请依法办理"
    if p.hand_back_until is None or timezone.now() > p.hand_back_until:
        last = deadlines.last_day_text(p.hand_back_until) if p.hand_back_until else "—"
        message = (
            f"提出异议的期限已于{last}届满（收到之日起{deadlines.text('hand_back')}内，"
            f"{deadlines.article('hand_back')}），请依法受理或不予受理"
        )
        return Conflict(message, code="too_late")
    return None


def _extend(p: Petition) -> str | None:
    if p.extension_days:
        return "办理期限只能延长一次，已经延长"
    return "已有延期申请待单位负责人审批" if extension_pending(p) else None


def _decide_extension(p: Petition) -> str | None:
    if p.extension_days:
        return "办理期限只能延长一次，已经延长"
    return None if extension_pending(p) else "没有待审批的延期申请"


def _deliver(p: Petition) -> str | None:
    if p.is_anonymous:
        return ANONYMOUS
    return None if undelivered(p) else "没有待登记送达的答复意见"


def _requested_after(stage: Stage, decided: str, message: str) -> Callable[[Petition], str | None]:
    """A review (re-review) is asked once the stage's answer is issued, and once only."""

    def rule(p: Petition) -> str | None:
        if p.is_anonymous:
            return ANONYMOUS
        return None if p.stage == stage and getattr(p, decided) else message

    return rule


def _decide(p: Petition) -> str | None:
    return "听证尚未结束，请先登记听证结束" if p.hearing_started_on else None


def _rate(p: Petition) -> str | None:
    if p.is_anonymous:
        return ANONYMOUS
    if p.rating:
        return "已评价过，或尚未答复"
    return None if p.replied_at else "答复后才能评价"


GUARDS: dict[str, Callable[[Petition], Conflict | str | None]] = {
    "hand_back": _hand_back,
    "extend": _extend,
    "approve_extension": _decide_extension,
    "refuse_extension": _decide_extension,
    "deliver": _deliver,
    "request_review": _requested_after(
        Stage.ORIGINAL, "replied_at", "只有已出具答复意见、尚未复查的信访事项可以申请复查"
    ),
    "request_re_review": _requested_after(
        Stage.REVIEW, "review_decided_at", "只有已出具复查意见、尚未复核的信访事项可以申请复核"
    ),
    "decide_review": _decide,
    "decide_re_review": _decide,
    "hearing_start": lambda p: "听证正在进行，尚未结束" if p.hearing_started_on else None,
    "hearing_end": lambda p: None if p.hearing_started_on else "没有正在进行的听证",
    "rate": _rate,
}


def refusal(petition: Petition, action: str) -> Conflict | str | None:
    """Why `action` cannot be taken on `petition` now beyond role, side and state, or None
    (a message is a 409 ``wrong_state``)."""
    rule = GUARDS.get(action)
    return rule(petition) if rule is not None else None
