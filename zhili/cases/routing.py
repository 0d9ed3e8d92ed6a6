"""Routing (权责清单): which unit must handle a case, and which center dispatches it.

A responsibility rule maps a category (and every category below it) in an area (a grid, a
village, a township, or the whole county) to a handling unit. The most specific area wins;
among rules of the same area, the nearest category wins; then the oldest rule. A case that no
rule matches, or whose point lies outside every grid, goes to the county center's dispatchers:
no case is ever left without an owner. The decision explains itself in Chinese.

A case is placed by its point; without one, by the township, village and grid its address
names (zhili.orgs.gazetteer), so that the township's and the village's rules apply to a
request that came by phone as much as to one reported on the map.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Model

from zhili.cases.deadlines import category_chain
from zhili.cases.models import CATEGORY_STAMP, Category, ResponsibilityRule
from zhili.core.errors import InvalidInput
from zhili.core.stamps import StampedCache
from zhili.orgs.gazetteer import Place, address_match
from zhili.orgs.models import Kind, Level, Organization
from zhili.orgs.selectors import Location, grid_locate, grid_locate_many
from zhili.orgs.services import ORG_STAMP

STAMP = "cases.rules"

# Where a case is: placed by its point (every level known), or by its address (the township at
# least).
Whereabouts = Location | Place


@dataclass(frozen=True)
class RuleRow:
    id: int
    category_id: int
    township_id: int | None
    village_id: int | None
    grid_id: int | None
    unit_id: int

    @property
    def specificity(self) -> int:
        return 3 if self.grid_id else 2 if self.village_id else 1 if self.township_id else 0


def _load_rules() -> dict[int, list[RuleRow]]:
    by_category: dict[int, list[RuleRow]] = {}
    fields = ["id", "category_id", "township_id", "village_id", "grid_id", "unit_id"]
    for values in ResponsibilityRule.objects.filter(is_active=True).values_list(*fields):
        row = RuleRow(*values)
        by_category.setdefault(row.category_id, []).append(row)
    return by_category


_rules: StampedCache[dict[int, list[RuleRow]]] = StampedCache(STAMP, _load_rules)


@dataclass(frozen=True)
class Route:
    unit: Organization | None
    dispatch_center: Organization
    rule_id: int | None
    location: Whereabouts | None
    out_of_area: bool
    explanation: str


def _load_units() -> dict[int, Organization]:
    """The units rules point at, and the county center (key 0)."""
    ids = {row.unit_id for rows in _rules.get().values() for row in rows}
    units = Organization.objects.in_bulk(ids)
    root = (
        Organization.objects.filter(parent__isnull=True, level=Level.COUNTY, kind=Kind.CENTER)
        .order_by("id")
        .first()
    )
    if root is not None:
        units[0] = root
    return units


_units: StampedCache[dict[int, Organization]] = StampedCache((STAMP, ORG_STAMP), _load_units)


def _load_category_names() -> dict[int, str]:
    return dict(Category.objects.values_list("id", "name"))


_category_names: StampedCache[dict[int, str]] = StampedCache(CATEGORY_STAMP, _load_category_names)


def county_center() -> Organization:
    center = _units.get().get(0)
    if center is None:
        raise InvalidInput("尚未建立县综治中心，无法受理事件", field="category")
    return center


def _matches(row: RuleRow, location: Whereabouts | None) -> bool:
    if row.grid_id:
        return location is not None and _pk(location.grid) == row.grid_id
    if row.village_id:
        return location is not None and _pk(location.village) == row.village_id
    if row.township_id:
        return location is not None and location.township.pk == row.township_id
    return True


def _pk(row: Model | None) -> int | None:
    return row.pk if row is not None else None


def best_rule(category: Category, location: Whereabouts | None) -> RuleRow | None:
    rules = _rules.get()
    best: tuple[tuple[int, int, int], RuleRow] | None = None
    for distance, category_id in enumerate(category_chain(category)):
        for row in rules.get(category_id, ()):
            if _matches(row, location):
                key = (row.specificity, -distance, -row.id)
                if best is None or key > best[0]:
                    best = (key, row)
    return best[1] if best else None


def dispatch_center_for(unit: Organization | None, location: Whereabouts | None) -> Organization:
    """The township center when the handling unit sits inside the case's township; else the
    county center."""
    if unit is not None and location is not None:
        township = location.township
        if unit.path.startswith(township.path):
            return township
    return county_center()


def _area_label(row: RuleRow, location: Whereabouts | None) -> str:
    if location is None or row.specificity == 0:
        return "全县"
    village, grid = location.village, location.grid
    if row.specificity == 3 and village is not None and grid is not None:
        return f"{village.display_area}{grid.name}"
    if row.specificity == 2 and village is not None:
        return village.display_area
    return location.township.display_area


def place_of(
    *, lat: float | None, lng: float | None, address: str = ""
) -> tuple[Whereabouts | None, str]:
    """Where a request is, and how that was found: its point, else its address."""
    if lat is not None and lng is not None:
        return grid_locate(lat=lat, lng=lng), ""
    if not address.strip():
        return None, ""
    match = address_match(address)
    return match.place, match.note


def route(*, category: Category, lat: float | None, lng: float | None, address: str = "") -> Route:
    location, found = place_of(lat=lat, lng=lng, address=address)
    return _decide(
        category, location, out_of_area=lat is not None and location is None, found=found
    )


def _key(location: Whereabouts | None) -> tuple[int | None, ...]:
    if location is None:
        return (None,)
    return (location.township.pk, _pk(location.village), _pk(location.grid))


def route_many(
    requests: Sequence[tuple[Category, float | None, float | None]],
    addresses: Sequence[str] | None = None,
) -> list[Route]:
    """`route` of many (category, lat, lng), coordinates already checked (bulk imports), with
    their `addresses` if given: the points are placed in one vectorised pass, and each
    (category, place) is decided once."""
    points = [(lat, lng) for _, lat, lng in requests if lat is not None and lng is not None]
    placed = iter(grid_locate_many(points))
    decided: dict[tuple[int | bool | str | None, ...], Route] = {}
    routes = []
    for i, (category, lat, lng) in enumerate(requests):
        location: Whereabouts | None
        found = ""
        if lat is not None and lng is not None:
            location = next(placed)
        elif addresses and addresses[i].strip():
            match = address_match(addresses[i])
            location, found = match.place, match.note
        else:
            location = None
        out_of_area = lat is not None and location is None
        key = (category.pk, *_key(location), out_of_area, found)
        if key not in decided:
            decided[key] = _decide(category, location, out_of_area=out_of_area, found=found)
        routes.append(decided[key])
    return routes


def _decide(
    category: Category, location: Whereabouts | None, *, out_of_area: bool, found: str = ""
) -> Route:
    if out_of_area:
        center = county_center()
        note = "位置不在本县任何网格内（辖区外），转县综治中心分拨"
        return Route(None, center, None, None, True, note)
    prefix = f"{found}；" if found else ""
    row = best_rule(category, location)
    if row is None:
        center = county_center()
        note = f"{prefix}权责清单未匹配“{category.name}”，转{center.name}分拨"
        return Route(None, center, None, location, False, note)
    unit = _units.get()[row.unit_id]
    center = dispatch_center_for(unit, location)
    rule_category = _category_names.get().get(row.category_id, category.name)
    note = f"{prefix}匹配权责清单：{rule_category} × {_area_label(row, location)} → {unit.name}"
    return Route(unit, center, row.id, location, False, note)
