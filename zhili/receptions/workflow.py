"""The appointment workflow of leader reception (领导接访预约), and who arranges what. Pure Python.

    booked (已预约) --receive--> received (已接待)   recording the reception takes this step
                    --cancel---> cancelled (已取消)
                    --no_show--> no_show (未到场)

`side` names where the actor must stand (checked in the services):
- ``center``: the actor's scope covers the rota's organization (petition staff who arrange
  the rota and book on the petitioner's behalf);
- ``day``: as ``center``, or the actor is the leader receiving on that day. A leader who
  holds no arranging role may only act on their own day.
"""

from zhili.core.roles import Role
from zhili.core.workflow import Transition, TransitionTable
from zhili.core.workflow import TransitionRefused as TransitionRefused  # re-exported
from zhili.receptions.models import AppointmentState

S = AppointmentState

# Petition staff arrange the rota, book and cancel (they hold RECEPTIONS_MANAGE).
ARRANGERS = frozenset({Role.PETITION_OFFICER, Role.ADMIN})
# The receiving leaders (RECEPTIONS_RECEIVE): county leaders on the county rota, township
# secretaries on their township's.
LEADERS = frozenset({Role.COUNTY_LEADER, Role.TOWNSHIP_SECRETARY})
# Which leader role a rota of each organization level takes.
LEADER_ROLE_FOR_LEVEL = {"county": Role.COUNTY_LEADER, "township": Role.TOWNSHIP_SECRETARY}
# Who records a reception: the leader, or the petition staff taking the minutes.
RECORDERS = ARRANGERS | LEADERS
# Who attends a reception beside the leader (陪同接访人员): petition staff, the officers of
# departments, and at a township the township's officers; of the rota's own level.
ATTENDING_STAFF = frozenset({Role.PETITION_OFFICER, Role.DEPARTMENT_HANDLER, Role.TOWNSHIP_OFFICER})

OPEN = frozenset({S.BOOKED})
# Appointments that hold their slot: a cancelled one frees it.
HOLDING = frozenset({S.BOOKED, S.RECEIVED, S.NO_SHOW})

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("receive", "接待", OPEN, S.RECEIVED, RECORDERS, "day"),
        Transition("cancel", "取消预约", OPEN, S.CANCELLED, ARRANGERS, "center", needs_reason=True),
        Transition("no_show", "登记未到场", OPEN, S.NO_SHOW, RECORDERS, "day"),
    ]
}

TABLE = TransitionTable(TRANSITIONS.values(), states=dict(AppointmentState.choices), noun="预约")
check = TABLE.check
available = TABLE.available
