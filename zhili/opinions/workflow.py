"""An opinion item's one step: the staff who keep the register respond (回应处置). Pure Python.

open (待回应) --respond--> responded (已回应)
"""

from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.opinions.events import OpinionTransitioned
from zhili.opinions.models import Opinion, OpinionEvent, OpinionState

S = OpinionState

# Who keeps the register: the county center's director, dispatchers and analysts, and the
# township centers' staff for their own townships.
KEEPERS = frozenset(
    {
        Role.CENTER_DIRECTOR,
        Role.DISPATCHER,
        Role.ANALYST,
        Role.TOWNSHIP_SECRETARY,
        Role.TOWNSHIP_OFFICER,
    }
)
STAFF = Party(KEEPERS, "place")

TRANSITIONS: dict[str, Transition] = by_name([STAFF("respond", "回应处置", {S.OPEN}, S.RESPONDED)])
TABLE = TransitionTable(TRANSITIONS.values(), states=dict(OpinionState.choices), noun="舆情")


def _visible(actor: Actor, opinion: Opinion) -> bool:
    return can(actor, Action.OPINIONS_VIEW) and scope_for(actor).covers_path(opinion.place_path)


KIND: DossierKind[Opinion] = DossierKind(
    model=Opinion,
    history=OpinionEvent,
    link="opinion",
    table=TABLE,
    audit_name="opinions.opinion",
    visible=_visible,
    sides={"place": Side(_visible, "该舆情不在您所在单位的范围内")},
    event=transition_event(
        Opinion, OpinionTransitioned, opinion_id=lambda o: o.pk, number=lambda o: o.number
    ),
    labels={"register": "登记舆情"},
)
