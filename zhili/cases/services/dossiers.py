"""A case of the one queue that becomes a dossier, and the dossier's outcome coming back.

A mediator or a petition officer whose unit holds a case can open a dispute (zhili.mediation)
or a petition (zhili.petitions) from it: `case_take_for_dossier` makes sure the case is in
their hands (acknowledged) and hands it over (state `held`, 转卷宗办理) before the dossier app
writes its own record. One clock per matter: from then on the dossier's time limits run (a
petition's calendar days under the 信访工作条例; a dispute's handling target), and the case's
own clock is stopped, like a suspension: no card falls on it and no supervision order opens
for it. When the dossier closes, its app emits an event carrying a `DossierOutcome`'s fields;
the handler `answer_from_dossier` (zhili.cases.handlers) gives the case that outcome as its
reply and closes it, so it goes to the center's follow-up (回访) like any other case.
"""

from dataclasses import dataclass
from typing import Protocol

from django.db import transaction
from django.utils import timezone

from zhili.cases import deadlines, workflow
from zhili.cases.dossier import KIND
from zhili.cases.models import Case, State
from zhili.cases.services.transitions import apply_step, case_act, close_step, reply_step, to_unit
from zhili.core.dossier.transitions import check_side
from zhili.core.errors import Conflict
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import Transition
from zhili.orgs.models import Organization

# The states in which a case can still be taken over by a dossier.
TAKEABLE = (State.DISPATCHED, State.ACKNOWLEDGED, State.IN_PROGRESS)

# The hand-over is the system's step of opening a dossier, not a button: no role takes it
# through case_act, so it is not in workflow.TRANSITIONS.
HOLD = Transition(
    "hold",
    "转卷宗办理",
    frozenset({State.ACKNOWLEDGED, State.IN_PROGRESS}),
    State.HELD,
    frozenset(),
    "handler",
)


@dataclass(frozen=True)
class DossierKind:
    label: str
    short: str  # 转调解办理 / 转信访办理
    related_name: str  # the dossier model's foreign key to Case names it so
    opener: str  # the page that opens one from a case (URL name, takes the case number)
    detail: str  # the dossier's page (URL name, takes the dossier number)
    action: str  # who may open one


# The dossiers a case can become, named by URL, relation and action only, so that cases does
# not import the apps built on top of it.
DOSSIER_KINDS = (
    DossierKind(
        "矛盾纠纷",
        "调解",
        "disputes",
        "mediation:from_case",
        "mediation:detail",
        Action.DISPUTES_MEDIATE,
    ),
    DossierKind(
        "信访事项",
        "信访",
        "petitions",
        "petitions:from_case",
        "petitions:detail",
        Action.PETITIONS_REGISTER,
    ),
)


def dossier_openers(user: Actor, case: Case) -> list[DossierKind]:
    """The dossiers `user` may open from `case` now; the dossier's own service checks the
    rest (the user's unit holds the case)."""
    if case.state not in TAKEABLE:
        return []
    return [kind for kind in DOSSIER_KINDS if can(user, kind.action)]


@dataclass(frozen=True)
class DossierRef:
    kind: DossierKind
    number: str
    state_label: str


def case_dossiers(case: Case) -> list[DossierRef]:
    """The dossiers opened from `case`, oldest first; their pages check who may open them."""
    return [
        DossierRef(kind, dossier.number, dossier.get_state_display())
        for kind in DOSSIER_KINDS
        for dossier in getattr(case, kind.related_name).order_by("pk")
    ]


class DossierOutcome(Protocol):
    """The fields an app's "dossier closed" event carries for the case it came from."""

    case_id: int | None
    actor_id: int | None
    dossier_no: str
    dossier_label: str  # 矛盾纠纷 / 信访事项
    outcome: str


@transaction.atomic
def case_take_for_dossier(*, actor: Actor, case: Case, dossier_label: str) -> Case:
    """Acknowledge `case` as `actor` (its lead unit's side) if need be, and hand it over to
    the dossier about to be opened: its clock stops (the time left is kept, as for a
    suspension) until the dossier's outcome answers it.

    Raises Conflict when the case is not with a unit (not yet dispatched, or already
    answered), Forbidden when the actor's unit does not hold it.
    """
    if case.state not in TAKEABLE:
        raise Conflict(
            f"工单当前为“{case.get_state_display()}”，只有已派单、办理中的工单可以转为{dossier_label}",
            code="wrong_state",
        )
    note = f"转为{dossier_label}办理"
    if case.state == State.DISPATCHED:
        case = case_act(actor=actor, case=case, action="acknowledge", note=note)
    # The dossier's own service checked the role; the side is the lead unit's.
    check_side(KIND, actor, case, HOLD.side)
    return _hold(actor, case, note, dossier_label)


def case_hand_over(*, case: Case, unit: Organization, dossier_label: str) -> Case:
    """A case that is a dossier by law from its intake (a 阳光信访 push is a petition): the
    system dispatches it to `unit`, the office that registers the dossier, and hands it over
    at once, leaving the timeline rows a person's steps would leave. The caller (the
    dossier's own service) is inside its transaction."""
    note = f"依法转为{dossier_label}办理"
    dispatch, acknowledge = workflow.TRANSITIONS["dispatch"], workflow.TRANSITIONS["acknowledge"]
    case = apply_step(case, dispatch, None, to_unit(case, unit), note=note, unit=unit.code)
    case = apply_step(case, acknowledge, None, {"acknowledged_at": timezone.now()}, note=note)
    return _hold(None, case, note, dossier_label)


def _hold(actor: SystemActor, case: Case, note: str, dossier_label: str) -> Case:
    now = timezone.now()
    left = None
    if case.due_at is not None:
        elapsed = deadlines.elapsed(now, case.due_at, calendar=case.calendar_clock)
        left = max(int(elapsed.total_seconds()), 0)
    changes = {"held_at": now, "remaining_seconds": left, "warn_at": None}
    return apply_step(case, HOLD, actor, changes, note=note, dossier=dossier_label)


def case_answer_from_dossier(*, actor: SystemActor, outcome: DossierOutcome) -> Case | None:
    """Reply to and close the case the dossier came from; None when there is nothing to do
    (no case, or it was already answered: a second delivery changes nothing).

    No role or side check: the dossier's own workflow authorized closing it, and the reply is
    its outcome, recorded under the name of whoever closed the dossier."""
    if outcome.case_id is None:
        return None
    case = Case.objects.select_for_update().filter(pk=outcome.case_id).first()
    if case is None or case.state not in (State.HELD, State.ACKNOWLEDGED, State.IN_PROGRESS):
        return None
    reply = f"已转{outcome.dossier_label}办理（{outcome.dossier_no}）：{outcome.outcome}"
    case = reply_step(actor, case, workflow.TRANSITIONS["reply"], {"reply": reply})
    note = f"{outcome.dossier_label} {outcome.dossier_no} 已办结，工单随之办结，转入回访"
    return close_step(None, case, workflow.TRANSITIONS["close"], {"note": note})
