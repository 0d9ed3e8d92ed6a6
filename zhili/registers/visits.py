"""Visit cycles (走访): a role's care level sets the days between two visits
(settings.ZHILI_VISIT_DAYS); a role is due on its last visit (or its start) plus that many
days. Visits come from the phone, idempotent on the client's UUID."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.registers import selectors
from zhili.registers.models import PersonRole, Visit

# A due role's own columns the list and the phone show.
ROLE_FIELDS = ("kind", "care_level", "started_at", "ended_at", "person_id")
# ... and its person's (not a grid's outline).
PERSON_FIELDS = (
    "person__name",
    "person__grid__code",
    "person__grid__name",
    "person__grid__village__path",
)


@dataclass(frozen=True)
class Due:
    role: PersonRole
    last_visit: datetime | None
    due_at: datetime
    overdue: bool


def due_at(role: PersonRole, last_visit: datetime | None) -> datetime:
    days = settings.ZHILI_VISIT_DAYS[role.care_level]
    return (last_visit or role.started_at) + timedelta(days=days)


def visits_due(
    user: Actor, *, due_before: datetime, grid: str = "", now: datetime | None = None
) -> list[Due]:
    """The open roles of the people `user` holds whose next visit falls before `due_before`,
    earliest first (a special group's only where `user` may see it).

    The database picks the due roles: each care level's cycle is a bound on the role's last
    visit (or its start), the last visit read through the index of a role's visits, newest
    first. Only the columns the list shows are read (not a grid's outline)."""
    now = now or timezone.now()
    last = Visit.objects.filter(role=OuterRef("pk")).order_by("-visited_at")
    roles = (
        PersonRole.objects.filter(
            selectors.people_visible_q(user, "person"),
            person__archived=False,
            ended_at__isnull=True,
        )
        .annotate(last=Subquery(last.values("visited_at")[:1]))
        .annotate(anchor=Coalesce("last", "started_at"))
    )
    if grid:
        roles = roles.filter(person__grid__code=grid)
    roles = roles.filter(_cycles_end_before(due_before)).select_related("person__grid__village")
    visible = selectors.role_checker(user)
    rows = []
    for role in roles.only(*ROLE_FIELDS, *PERSON_FIELDS):
        if visible(role.person, role.kind):
            at = due_at(role, role.last)
            rows.append(Due(role, role.last, at, at < now))
    return sorted(rows, key=lambda d: (d.due_at, d.role.pk))


def _cycles_end_before(moment: datetime) -> Q:
    """A role whose cycle (by its care level) from its `anchor` ends before `moment`."""
    cycles = Q(pk__in=[])
    for level, days in settings.ZHILI_VISIT_DAYS.items():
        cycles |= Q(care_level=level, anchor__lt=moment - timedelta(days=days))
    return cycles


@transaction.atomic
def visit_record(
    *,
    actor: Actor,
    person_id: int,
    role_id: int,
    client_uuid: uuid.UUID,
    visited_at: datetime,
    notes: str = "",
    lat: float | None = None,
    lng: float | None = None,
) -> tuple[Visit, bool]:
    """Record a visit; the same `client_uuid` sent again answers the first (created False)."""
    require(actor, Action.REGISTERS_EDIT)
    known = Visit.objects.filter(client_uuid=client_uuid).first()
    if known is not None:
        return known, False
    person = selectors.person_get(actor, person_id)
    if not selectors.holds(actor, person):
        selectors.raise_missing()
    role = selectors.role_get(actor, person, role_id)
    _check_visit(visited_at, lat, lng)
    visit = Visit(role=role, by=actor, visited_at=visited_at, client_uuid=client_uuid, notes=notes)
    visit.lat, visit.lng = lat, lng
    if _save_once(visit):
        audit(actor, "registers.visit.record", person, role=role.pk)
        return visit, True
    return Visit.objects.get(client_uuid=client_uuid), False


def _check_visit(visited_at: datetime, lat: float | None, lng: float | None) -> None:
    if visited_at > timezone.now() + timedelta(minutes=5):
        raise InvalidInput("走访时间不能晚于现在", field="visited_at")
    if (lat is None) != (lng is None):
        raise InvalidInput("位置须同时提供经纬度", field="lat")


def _save_once(visit: Visit) -> bool:
    """Save `visit`; False when a concurrent request saved its client UUID first."""
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        return False
    return True
