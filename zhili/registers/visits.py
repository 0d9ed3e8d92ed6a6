"""Visit cycles (走访): a role's care level sets the days between two visits
(settings.ZHILI_VISIT_DAYS); a role is due on its last visit (or its start) plus that many
days. Visits come from the phone, idempotent on the client's UUID."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.orgs.models import Grid, Organization
from zhili.registers import selectors
from zhili.registers.models import Person, PersonRole, Visit

# What the list and the phone show of a due role, its person and grid (not a grid's outline),
# and the grid's village's path (whether the user holds the grid: a special group's sight).
DUE_FIELDS = (
    "pk",
    "person_id",
    "kind",
    "care_level",
    "started_at",
    "last",
    "person__name",
    "person__grid_id",
    "person__grid__code",
    "person__grid__name",
    "person__grid__village_id",
    "person__grid__village__path",
)


@dataclass(frozen=True, slots=True)
class Due:
    """A role due for a visit, as the list shows it."""

    role_id: int
    person_id: int
    kind: str
    care_level: str
    started_at: datetime
    person_name: str
    grid: Grid
    last_visit: datetime | None
    due_at: datetime
    overdue: bool

    @property
    def role(self) -> PersonRole:
        """The role with its person and grid, built when read (read-only: a township's list
        holds thousands of rows, of which a page shows a few hundred)."""
        person = Person(pk=self.person_id, name=self.person_name, grid=self.grid)
        return PersonRole(
            pk=self.role_id,
            person=person,
            kind=self.kind,
            care_level=self.care_level,
            started_at=self.started_at,
        )


def due_at(role: PersonRole, last_visit: datetime | None) -> datetime:
    return due_from(role.care_level, last_visit or role.started_at)


def due_from(care_level: str, anchor: datetime) -> datetime:
    """When a role of `care_level` last visited (or begun) at `anchor` is due again."""
    return anchor + timedelta(days=settings.ZHILI_VISIT_DAYS[care_level])


def visits_due(
    user: Actor, *, due_before: datetime, grid: str = "", now: datetime | None = None
) -> list[Due]:
    """The open roles of the people `user` holds whose next visit falls before `due_before`,
    earliest first (a special group's only where `user` may see it).

    The database picks the due roles (`open_roles`, `cycle_ends_before`) and gives them as
    plain rows: at a township's thousands of due roles, a model instance for each role, person,
    grid and village cost three times the query (1M people, 100k roles, the 21 townships on
    SQLite: 6.4 s of CPU with them, 2.1 s without). Who may see a special group's role is
    asked once per grid and kind (`selectors.role_checker` reads only those)."""
    now = now or timezone.now()
    people = Person.objects.filter(selectors.people_visible_q(user))
    if grid:
        people = people.filter(grid__code=grid)
    rows = open_roles(people).filter(cycle_ends_before(due_before)).values_list(*DUE_FIELDS)
    visible = selectors.role_checker(user)
    grids: dict[int, Grid] = {}
    seen: dict[tuple[int, str], bool] = {}
    due = []
    for pk, person, kind, level, started, last, name, gid, code, gname, vid, path in rows:
        place = grids.get(gid)
        if place is None:
            village = Organization(pk=vid, path=path)
            place = grids[gid] = Grid(pk=gid, code=code, name=gname, village=village)
        key = (gid, kind)
        if key not in seen:
            seen[key] = visible(Person(pk=person, grid=place), kind)
        if seen[key]:
            at = due_from(level, last or started)
            due.append(Due(pk, person, kind, level, started, name, place, last, at, at < now))
    return sorted(due, key=lambda d: (d.due_at, d.role_id))


def open_roles(people: QuerySet[Person] | None = None) -> QuerySet[PersonRole]:
    """The open roles of `people` (everyone's when None) still on the register, each with
    `last`, its newest visit (None: never visited), read through the index of a role's visits.

    A scope's roles are picked by id from its people (`id IN (SELECT id FROM roles WHERE
    person_id IN (<its people>))`): its people through their grid's index, their open roles
    through the role's person index, and only those rows joined to their person and grid.
    Joined the other way, each township's call read every open role of the county with its
    person, grid and village (100k roles: 21 townships took 14-15 s of CPU on SQLite); with
    the people's condition on the join itself PostgreSQL walked the people's rows one by one
    instead of hashing them (docs/architecture.md, "The visit scheduler"). A scope of the
    whole county (no condition) reads the roles directly."""
    roles = PersonRole.objects.filter(ended_at__isnull=True, person__archived=False)
    if people is not None and people.query.has_filters():
        theirs = PersonRole.objects.filter(ended_at__isnull=True, person__in=people.values("pk"))
        roles = roles.filter(pk__in=theirs.values("pk"))
    last = Visit.objects.filter(role=OuterRef("pk")).order_by("-visited_at")
    return roles.annotate(last=Subquery(last.values("visited_at")[:1]))


def cycle_ends_before(moment: datetime) -> Q:
    """On `open_roles`: a role whose cycle (by its care level) from its last visit, or its
    start, ends before `moment`. One comparison with the level's bound (a CASE), so that the
    database reads a role's last visit once, not once per care level."""
    bound = Case(
        *(
            When(care_level=level, then=Value(moment - timedelta(days=days)))
            for level, days in settings.ZHILI_VISIT_DAYS.items()
        ),
        output_field=DateTimeField(),
    )
    return Q(LessThan(Coalesce("last", "started_at"), bound))


def cycle_ends_between(start: datetime, end: datetime) -> Q:
    """On `open_roles` or `roles_as_of`: a role whose cycle ends in [start, end)."""
    return cycle_ends_before(end) & ~cycle_ends_before(start)


def roles_as_of(moment: datetime) -> QuerySet[PersonRole]:
    """The register's roles as they stood at `moment`, for a report or an assessment of a
    past period: begun before it and not ended by then, of people on the register, each with
    `last`, its newest visit before `moment` (what `cycle_ends_before` compares)."""
    last = Visit.objects.filter(role=OuterRef("pk"), visited_at__lt=moment).order_by("-visited_at")
    return (
        PersonRole.objects.filter(person__archived=False, started_at__lt=moment)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=moment))
        .annotate(last=Subquery(last.values("visited_at")[:1]))
    )


@dataclass(frozen=True)
class Overdue:
    """An open role whose visit is overdue (the platform's own read, for the warnings)."""

    role_id: int
    kind: str
    name: str  # the person's, in full: whoever shows it masks it
    grid_id: int
    grid_name: str
    township_id: int | None  # the grid's village's parent
    anchor: datetime  # the last visit, or the role's start
    due_at: datetime


OVERDUE_FIELDS = (
    "pk",
    "kind",
    "care_level",
    "started_at",
    "last",
    "person__name",
    "person__grid_id",
    "person__grid__name",
    "person__grid__village__parent_id",
)


def overdue_roles(*, now: datetime, by_more_than: timedelta = timedelta(0)) -> list[Overdue]:
    """Every open role of a person on the register (not archived) whose visit fell due more
    than `by_more_than` before `now`, county-wide, by grid and then due time. No user: the
    warnings' scan reads it and decides what each viewer is told."""
    roles = open_roles().filter(cycle_ends_before(now - by_more_than))
    rows = roles.values_list(*OVERDUE_FIELDS)
    found = []
    for pk, kind, level, started, last, name, grid, grid_name, township in rows:
        anchor = last or started
        found.append(
            Overdue(pk, kind, name, grid, grid_name, township, anchor, due_from(level, anchor))
        )
    return sorted(found, key=lambda o: (o.grid_id, o.due_at, o.role_id))


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
