"""The appointment workflow of leader reception (领导接访预约), and who arranges what. Pure Python.

    booked (已预约) --receive--> received (已接待)   recording the reception takes this step
                    --cancel---> cancelled (已取消)
                    --no_show--> no_show (未到场)

An appointment is seen by whoever's scope covers its rota's organization, and a township's or
village's booking of a county leader's day (视频接访) by that center's booking staff too (out of
sight it is not found, 404). `side` names where the actor must stand besides (403 when not):
- ``center``: petition staff arranging that rota (they book on the petitioner's behalf), or
  for a township's or village's booking, that center's booking staff;
- ``day``: as ``center``, or the leader receiving on that day. A leader who holds no
  arranging role may only act on their own day.
Receiving and a no-show wait for the day itself (the kind's guard, 409).
"""

from datetime import date

from django.utils import timezone

from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import transition_event
from zhili.core.errors import Conflict
from zhili.core.roles import Role
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable, actor_roles
from zhili.core.workflow import TransitionRefused as TransitionRefused  # re-exported
from zhili.receptions.events import AppointmentTransitioned
from zhili.receptions.models import Appointment, AppointmentEvent, AppointmentState, RotaDay

S = AppointmentState

# Petition staff arrange the rota, book and cancel (they hold RECEPTIONS_MANAGE).
ARRANGERS = frozenset({Role.PETITION_OFFICER, Role.ADMIN})
# The receiving leaders (RECEPTIONS_RECEIVE): county leaders on the county rota, township
# secretaries on their township's.
LEADERS = frozenset({Role.COUNTY_LEADER, Role.TOWNSHIP_SECRETARY})
# Who books a county leader's reception day for a petitioner of their own township or village,
# received by video from their center's reception room (RECEPTIONS_BOOK): the township's
# officers and secretary, the village's officer, petition officers below the county.
BOOKERS = frozenset(
    {Role.TOWNSHIP_OFFICER, Role.TOWNSHIP_SECRETARY, Role.VILLAGE_OFFICER, Role.PETITION_OFFICER}
)
# The centers that book (the booking unit: the actor's own center), and the rota they book.
BOOKING_LEVELS = frozenset({"township", "village"})
BOOKED_LEVEL = "county"
# Which leader role a rota of each organization level takes.
LEADER_ROLE_FOR_LEVEL = {"county": Role.COUNTY_LEADER, "township": Role.TOWNSHIP_SECRETARY}
# Who records a reception: the leader, or the petition staff taking the minutes.
RECORDERS = ARRANGERS | LEADERS
# Who attends a reception beside the leader (陪同接访人员): petition staff, the officers of
# departments, and at a township the township's officers; of the rota's own level.
ATTENDING_STAFF = frozenset({Role.PETITION_OFFICER, Role.DEPARTMENT_HANDLER, Role.TOWNSHIP_OFFICER})
# Units that join a joint reception (联合接访): departments and the center's sub-centers.
JOINT_KINDS = frozenset({"department", "subcenter"})

OPEN = frozenset({S.BOOKED})
# Appointments that hold their slot: a cancelled one frees it.
HOLDING = frozenset({S.BOOKED, S.RECEIVED, S.NO_SHOW})

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("receive", "接待", OPEN, S.RECEIVED, RECORDERS, "day"),
        Transition(
            "cancel",
            "取消预约",
            OPEN,
            S.CANCELLED,
            ARRANGERS | BOOKERS,
            "center",
            needs_reason=True,
        ),
        Transition("no_show", "登记未到场", OPEN, S.NO_SHOW, RECORDERS, "day"),
    ]
}

TABLE = TransitionTable(TRANSITIONS.values(), states=dict(AppointmentState.choices), noun="预约")
check = TABLE.check
available = TABLE.available


# --- who sees and who acts -------------------------------------------------------------------


def covers(actor: Actor, path: str) -> bool:
    """Whether the rota of the organization at `path` is in the actor's sight."""
    return scope_for(actor).covers_path(path)


def arranges(actor: Actor, path: str) -> bool:
    """Petition staff arranging the rota of the organization at `path`."""
    return bool(actor_roles(actor) & ARRANGERS) and covers(actor, path)


def books(actor: Actor, appointment: Appointment) -> bool:
    """The booking staff of a township's or village's booking: a booker whose scope covers
    the center that booked it."""
    path = appointment.booking_path
    return bool(path) and bool(actor_roles(actor) & BOOKERS) and covers(actor, path)


def on_day(actor: Actor, day: RotaDay) -> bool:
    """The ``day`` side: the day's own leader, or petition staff arranging its rota."""
    return actor.pk == day.leader_id or arranges(actor, day.org_path)


def places_left(day: RotaDay, held: int) -> int:
    """How many more appointments `day` takes while `held` hold their slot (0: it is full)."""
    return max(day.slots - held, 0)


def day_not_come(day: RotaDay, what: str, *, today: date | None = None) -> Conflict | None:
    """Why `what` cannot be done on `day` yet (it lies after `today`, by default today)."""
    if day.date > (today or timezone.localdate()):
        return Conflict(f"接访日（{day.date:%m月%d日}）尚未到，不能{what}", field="rota_day")
    return None


def not_on_the_day(day: RotaDay, what: str, *, today: date | None = None) -> Conflict | None:
    """Why `what`, done on the day itself only (叫号), cannot be done on `day` today: the day
    has not come yet, or it is past."""
    today = today or timezone.localdate()
    if day.date < today:
        return Conflict(f"接访日（{day.date:%m月%d日}）已过，不能{what}", field="rota_day")
    return day_not_come(day, what, today=today)


# The day's queue of video reception (视频接访): where each booked petitioner stands.
QUEUE_STATES = {
    "waiting": "候访",
    "called": "已叫号",
    "in_room": "在视频接访室",
    "received": "已接待",
    "absent": "未到场",
}


def queue_state(appointment: Appointment, *, seated: bool) -> str:
    """A booked petitioner waits until called, is in the room while their side sits in its
    open video room (`seated`), and ends received or absent ("" for a cancelled one)."""
    if appointment.state == S.RECEIVED:
        return "received"
    if appointment.state == S.NO_SHOW:
        return "absent"
    if appointment.state != S.BOOKED:
        return ""
    if seated:
        return "in_room"
    return "called" if appointment.called_at else "waiting"


# How a booking center follows its booking while it waits (the booking page): the queue's
# states in its words; the others by the appointment's state.
BOOKING_STATES = {"waiting": "已预约，候访", "called": "已叫号，请进入视频接访室"}


def booking_label(appointment: Appointment) -> str:
    """The booking's state as its center follows it on the booking page: the queue's words
    while it is booked (called or not), else the appointment's state."""
    state = queue_state(appointment, seated=False)
    return BOOKING_STATES.get(state) or appointment.get_state_display()


# What each transition waits for besides role, state and side.
WAITS_FOR_THE_DAY = {"receive": "记录接访", "no_show": "登记未到场"}


def _visible(actor: Actor, appointment: Appointment) -> bool:
    return covers(actor, appointment.org_path) or books(actor, appointment)


def _arranging(actor: Actor, appointment: Appointment) -> bool:
    return arranges(actor, appointment.org_path) or books(actor, appointment)


def _on_the_day(actor: Actor, appointment: Appointment) -> bool:
    return on_day(actor, appointment.rota_day)


def _guard(appointment: Appointment, action: str) -> Conflict | None:
    what = WAITS_FOR_THE_DAY.get(action)
    return day_not_come(appointment.rota_day, what) if what else None


_transitioned = transition_event(
    Appointment,
    AppointmentTransitioned,
    appointment_id=lambda a: a.pk,
    rota_day_id=lambda a: a.rota_day_id,
    organization=lambda a: a.rota_day.organization.code,
)


KIND: DossierKind[Appointment] = DossierKind(
    model=Appointment,
    history=AppointmentEvent,
    link="appointment",
    table=TABLE,
    audit_name="receptions.appointment",
    visible=_visible,
    sides={
        "center": Side(_arranging, "只有安排接访的信访部门或预约单位可以取消预约"),
        "day": Side(_on_the_day, "这不是您的接访日"),
    },
    guard=_guard,
    event=_transitioned,
    labels={"book": "预约登记", "call": "叫号"},
)
