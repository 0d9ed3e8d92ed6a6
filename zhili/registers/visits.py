"""Visit cycles (走访): a role's care level sets the days between two visits
(settings.ZHILI_VISIT_DAYS); a role is due on its last visit (or its start) plus that many
days. Visits come from the phone, idempotent on the client's UUID."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.registers import selectors
from zhili.registers.models import PersonRole, Visit


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
    user: Any, *, due_before: datetime, grid: str = "", now: datetime | None = None
) -> list[Due]:
    """The open roles of the people `user` holds whose next visit falls before `due_before`,
    earliest first (a special group's only where `user` may see it)."""
    now = now or timezone.now()
    people = selectors.people_visible(user).filter(archived=False)
    if grid:
        people = people.filter(grid__code=grid)
    roles = (
        PersonRole.objects.filter(person__in=people.values("pk"), ended_at__isnull=True)
        .select_related("person__grid__village")
        .annotate(last=Max("visits__visited_at"))
    )
    rows = []
    for role in roles:
        if not selectors.role_visible(user, role.person, role.kind):
            continue
        at = due_at(role, role.last)
        if at < due_before:
            rows.append(Due(role, role.last, at, at < now))
    return sorted(rows, key=lambda d: (d.due_at, d.role.pk))


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
    if visited_at > timezone.now() + timedelta(minutes=5):
        raise InvalidInput("走访时间不能晚于现在", field="visited_at")
    if (lat is None) != (lng is None):
        raise InvalidInput("位置须同时提供经纬度", field="lat")
    visit = Visit(
        role=role,
        by=actor,
        visited_at=visited_at,
        client_uuid=client_uuid,
        notes=notes,
        lat=lat,
        lng=lng,
    )
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        return Visit.objects.get(client_uuid=client_uuid), False
    audit(actor, "registers.visit.record", person, role=role.pk)
    return visit, True
