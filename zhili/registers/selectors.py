"""What a user sees of the people register.

- A person is seen by those who hold them: a grid worker or grid leader their own grids'
  people, a village or township officer their subtree, the county centre and leaders all
  (zhili.core.scope); out of sight is 404.
- A special-group role (kinds.KINDS: special) is seen only by the grid, village and township
  that hold the person, and county-wide by the roles that work with that group (KINDS:
  works_with, e.g. 司法所 for 社区矫正). `role_visible` is the one place of that rule. Those
  working roles see the people of their groups and nothing else of the register.
- Every read of a special-group record writes an audit row (`audit_special_read`).
"""

from collections.abc import Callable
from typing import TypedDict

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from zhili.core.audit import audit
from zhili.core.errors import Forbidden, InvalidInput, NotFound
from zhili.core.roles import PERMISSIONS, Action, Role
from zhili.core.scope import can, role_codes, scope_for
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.orgs.models import Grid
from zhili.registers.kinds import KINDS
from zhili.registers.models import Hazard, House, Person, PersonRole, Place, Tenancy

MISSING = "未找到该人员，或不在您的可见范围内"
GRID_ROLES = {Role.GRID_WORKER, Role.GRID_LEADER}
HOLDER_LEVELS = {"township", "village"}


def grid_only(user: Actor) -> bool:
    """A user whose only register roles are a grid's: they see their own grids' people."""
    codes = role_codes(user)
    return (
        bool(codes & GRID_ROLES)
        and not user.is_superuser
        and all(code in GRID_ROLES or Action.REGISTERS_VIEW not in _actions(code) for code in codes)
    )


def _actions(role: str) -> set[str]:
    return PERMISSIONS.get(role, set())


def own_grids(user: Actor) -> QuerySet[Grid]:
    return Grid.objects.filter(Q(workers=user) | Q(leader=user)).distinct()


def held_q(user: Actor, grid: str = "grid") -> Q:
    """The people (houses, places: whatever has a `grid`) `user` holds or reads through the
    register action (no special rule)."""
    if not can(user, Action.REGISTERS_VIEW):
        return Q(pk__in=[])
    if grid_only(user):
        return Q(**{f"{grid}__in": own_grids(user).values("pk")})
    return scope_for(user).q(f"{grid}__village__path")


def worked_kinds(user: Actor) -> set[str]:
    """The special-group kinds whose working role `user` holds."""
    return {kind for kind, spec in KINDS.items() if spec.works_with and can(user, spec.works_with)}


def people_visible(user: Actor) -> QuerySet[Person]:
    return Person.objects.filter(people_visible_q(user))


def people_visible_q(user: Actor, person: str = "") -> Q:
    """The people in `user`'s sight, as a condition on a person (`person` names the path to
    one from another model: "person" for a role): those held, and those with an open role of
    a group the user works with."""
    prefix = f"{person}__" if person else ""
    q = held_q(user, f"{prefix}grid")
    if q == Q():
        # Every person already (a county-wide reader): an empty Q OR-ed with the worked
        # groups' condition would become that condition alone and hide everyone else.
        return q
    kinds = worked_kinds(user)
    if kinds:
        open_roles = PersonRole.objects.filter(kind__in=kinds, ended_at__isnull=True)
        q |= Q(**{f"{prefix}pk__in": open_roles.values("person_id")})
    return q


def holds(user: Actor, person: Person) -> bool:
    """Whether `user` is of the grid, village or township that holds `person`."""
    return holds_grid(user, person.grid)


def holds_grid(user: Actor, grid: Grid) -> bool:
    """Whether `user` is of `grid`, or of its village or township: who keeps its records."""
    return grid_holder(user)(grid)


def grid_holder(user: Actor) -> Callable[[Grid], bool]:
    """`holds_grid` for many grids: what it asks the database (a grid worker's own grids)
    asked once."""
    if not can(user, Action.REGISTERS_VIEW):
        return lambda grid: False
    if grid_only(user):
        mine = set(own_grids(user).values_list("pk", flat=True))
        return lambda grid: grid.pk in mine
    org = user.organization
    if org is None or org.level not in HOLDER_LEVELS:
        return lambda grid: False
    return lambda grid: grid.village.path.startswith(org.path)


def role_visible(user: Actor, person: Person, kind: str) -> bool:
    """The one rule of who sees a role of `kind` on `person` (who is in the user's sight)."""
    return role_checker(user)(person, kind)


def role_checker(user: Actor) -> Callable[[Person, str], bool]:
    """`role_visible` for many roles, the user's rights read once: an ordinary role is seen
    with the register; a special group's by the roles that work with it and by whoever holds
    the person's grid."""
    view = can(user, Action.REGISTERS_VIEW)
    worked = worked_kinds(user)
    holder = grid_holder(user)

    def visible(person: Person, kind: str) -> bool:
        if not KINDS[kind].special:
            return view
        return kind in worked or holder(person.grid)

    return visible


def person_get(user: Actor, person_id: int) -> Person:
    rows = people_visible(user).select_related("grid__village")
    return one_or_not_found(rows, MISSING, pk=person_id)


@transaction.atomic
def person_roles(user: Actor, person: Person, *, include_ended: bool = True) -> list[PersonRole]:
    """The roles on `person` that `user` may see; each special one read is audited."""
    rows = person.roles.order_by("ended_at", "-started_at", "-id")
    if not include_ended:
        rows = rows.filter(ended_at__isnull=True)
    seen = [role for role in rows if role_visible(user, person, role.kind)]
    special = [role.pk for role in seen if KINDS[role.kind].special]
    if special:
        audit(user, "registers.special.read", person, roles=special)
    return seen


def role_get(user: Actor, person: Person, role_id: int) -> PersonRole:
    role = one_or_not_found(person.roles.all(), MISSING, pk=role_id)
    if not role_visible(user, person, role.kind):
        raise_missing()
    return role


def raise_missing() -> None:
    raise NotFound(MISSING)


def people_list(user: Actor, *, grid: str = "", role: str = "", q: str = "") -> QuerySet[Person]:
    """The people in sight, narrowed by grid code, role kind and `q` (an exact ID number or
    phone; a name only within a grid, never county-wide)."""
    rows = people_visible(user).select_related("grid")
    if grid:
        rows = rows.filter(grid__code=grid)
    if role:
        if role not in KINDS:
            raise InvalidInput("人员类别无效", field="role")
        spec = KINDS[role]
        # Filtering by a special group reveals membership: only its holders and workers may.
        if spec.special and role not in worked_kinds(user) and not _holder_level(user):
            raise Forbidden("您无权按该类别查询", field="role")
        rows = rows.filter(
            pk__in=PersonRole.objects.filter(kind=role, ended_at__isnull=True).values("person_id")
        )
        if spec.special and role not in worked_kinds(user):
            rows = rows.filter(held_q(user))
    q = (q or "").strip()
    if q:
        if len(q) == 18 and q[:17].isdigit():
            rows = rows.filter(id_number=q.upper())
        elif q.replace("-", "").isdigit():
            rows = rows.filter(phone=q)
        elif grid:
            rows = rows.filter(name=q)
        else:
            raise InvalidInput("按姓名查询须同时选择网格；也可输入完整身份证号或电话", field="q")
    return rows


def _holder_level(user: Actor) -> bool:
    if grid_only(user):
        return True
    org = user.organization
    return can(user, Action.REGISTERS_VIEW) and org is not None and org.level in HOLDER_LEVELS


@transaction.atomic
def audit_special_list(user: Actor, role: str, ids: list[int]) -> None:
    """A page of a special group's list is a read of its records: audited."""
    if role in KINDS and KINDS[role].special and ids:
        audit(user, "registers.special.list", None, kind=role, people=ids)


@transaction.atomic
def audit_role_read(user: Actor, person: Person, role: PersonRole) -> None:
    if KINDS[role.kind].special:
        audit(user, "registers.special.read", person, roles=[role.pk])


def visible_grids(user: Actor) -> QuerySet[Grid]:
    """The grids a user may filter the register by."""
    if grid_only(user):
        return own_grids(user).order_by("code")
    return Grid.objects.filter(scope_for(user).q("village__path")).order_by("code")


# --- houses and places (实有房屋, 单位场所): scoped by their grid like a person -------------

# A house on the map: id, address, let, open hazards, lat, lng (as the columns are typed;
# `house_points` gives placed houses only).
HousePoint = tuple[int, str, bool, int, float | None, float | None]
HOUSE_MISSING = "未找到该房屋，或不在您的可见范围内"
PLACE_MISSING = "未找到该记录，或不在您的可见范围内"


def houses_visible(user: Actor) -> QuerySet[House]:
    return House.objects.filter(held_q(user))


def house_get(user: Actor, house_id: int) -> House:
    rows = houses_visible(user).select_related("grid__village", "owner")
    return one_or_not_found(rows, HOUSE_MISSING, pk=house_id)


def house_list(
    user: Actor, *, grid: str = "", let: bool | None = None, q: str = ""
) -> QuerySet[House]:
    """The houses in sight, narrowed by grid code, let or not, and words of the address."""
    rows = houses_visible(user).select_related("grid", "owner")
    if grid:
        rows = rows.filter(grid__code=grid)
    if let is not None:
        rows = rows.filter(let=let)
    if q.strip():
        rows = rows.filter(address__contains=q.strip())
    return rows


def house_tenancies(house: House) -> list[Tenancy]:
    return list(house.tenancies.select_related("person").order_by("-starts_on", "-id"))


def open_hazard_counts(house_ids: list[int]) -> dict[int, int]:
    """The number of unfixed hazards of each of `house_ids` (those with none left out)."""
    rows = Hazard.objects.filter(house_id__in=house_ids, fixed_on__isnull=True)
    return dict(rows.values_list("house_id").annotate(n=Count("id")))


def house_points(user: Actor, *, grid: str = "") -> QuerySet[House, HousePoint]:
    """The placed houses in sight, not archived, as (id, address, let, open hazards, lat,
    lng) rows: the map's layer."""
    rows = houses_visible(user).filter(archived=False, lat__isnull=False, lng__isnull=False)
    if grid:
        rows = rows.filter(grid__code=grid)
    open_hazards = Count("hazards", filter=Q(hazards__fixed_on__isnull=True))
    return (
        rows.annotate(n=open_hazards)
        .order_by("-created_at", "-id")
        .values_list("id", "address", "let", "n", "lat", "lng")
    )


class PersonHouse(TypedDict):
    """A house of a person's (一人一档): owned (no tenancy) or rented."""

    house: House
    relation: str  # 房主 or 承租人
    tenancy: Tenancy | None


def person_houses(user: Actor, person: Person) -> list[PersonHouse]:
    """The houses in `user`'s sight that `person` owns or rents (一人一档), newest first."""
    houses = houses_visible(user).select_related("grid")
    rows: list[PersonHouse] = [
        {"house": h, "relation": "房主", "tenancy": None}
        for h in houses.filter(owner=person).order_by("-created_at", "-id")
    ]
    rented = Tenancy.objects.filter(person=person, house__in=houses.values("pk"))
    for tenancy in rented.select_related("house__grid").order_by("-starts_on", "-id"):
        rows.append({"house": tenancy.house, "relation": "承租人", "tenancy": tenancy})
    return rows


def places_visible(user: Actor, kind: str) -> QuerySet[Place]:
    return Place.objects.filter(held_q(user), kind=kind)


def place_get(user: Actor, kind: str, place_id: int) -> Place:
    rows = places_visible(user, kind).select_related("grid__village")
    return one_or_not_found(rows, PLACE_MISSING, pk=place_id)


def place_list(user: Actor, kind: str, *, grid: str = "", q: str = "") -> QuerySet[Place]:
    """The places of `kind` in sight, narrowed by grid code and words of the name (or an
    exact credit code)."""
    rows = places_visible(user, kind).select_related("grid")
    if grid:
        rows = rows.filter(grid__code=grid)
    q = q.strip()
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(credit_code=q.upper()))
    return rows


def held_grids(user: Actor) -> QuerySet[Grid]:
    """The grids whose people `user` holds: the rule of `holds`, as grids (an import's
    scope, an export's special groups)."""
    if not can(user, Action.REGISTERS_VIEW):
        return Grid.objects.none()
    if grid_only(user):
        return own_grids(user)
    org = user.organization
    if org is None or org.level not in HOLDER_LEVELS:
        return Grid.objects.none()
    return Grid.objects.filter(village__path__under=org.path)
