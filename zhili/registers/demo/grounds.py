"""A grid to fill (`GridPlan`) and its ground (`Places`): the addresses and map points of
its houses. No database."""

import random
from dataclasses import dataclass

import shapely

from zhili.orgs.models import Grid
from zhili.registers.demo import words
from zhili.registers.models import House, HouseUse, Person


@dataclass(frozen=True)
class GridPlan:
    """What the drawing of a grid needs: the grid, its address head (镇 + 村) and village,
    whether it is a community, its number within its village, the residents wanted, its
    workers (their ids, the first one registers)."""

    grid: Grid
    area: str
    village: str
    community: bool
    index: int
    people: int
    workers: list[int]


class Places:
    """A grid's addresses and map points. A village's houses are numbered within its 组 (each
    grid of a village has groups of its own) and stand in a few hamlets; a community's are
    flats of its estates or houses along its roads, spread over the grid."""

    def __init__(self, rng: random.Random, plan: GridPlan):
        self.rng, self.plan = rng, plan
        shape = shapely.geometry.shape(plan.grid.geometry)
        shapely.prepare(shape)
        self.shape = shape
        first = (plan.index - 1) * 5
        self.groups = {first + g: 0 for g in range(1, 6)}
        self.flats = 0
        self.numbers = {road: plan.index * 100 for road in words.ROADS}
        self.estate = words.ESTATES[plan.index % len(words.ESTATES)]
        hamlets = 1 if plan.community else rng.randint(2, 4)
        self.centres = [self._inside() for _ in range(hamlets)]
        self.spread = 0.003 if plan.community else 0.0011

    def _inside(self) -> tuple[float, float]:
        grid = self.plan.grid
        for _ in range(60):
            lng = self.rng.uniform(grid.min_lng, grid.max_lng)
            lat = self.rng.uniform(grid.min_lat, grid.max_lat)
            if shapely.contains_xy(self.shape, lng, lat):
                return lng, lat
        centre = self.shape.representative_point()
        return centre.x, centre.y

    def point(self) -> tuple[float, float]:
        lng0, lat0 = self.rng.choice(self.centres)
        for _ in range(12):
            lng = self.rng.gauss(lng0, self.spread)
            lat = self.rng.gauss(lat0, self.spread * 0.85)
            if shapely.contains_xy(self.shape, lng, lat):
                return round(lat, 6), round(lng, 6)
        return round(lat0, 6), round(lng0, 6)

    def next(self, use: str) -> tuple[str, float, float]:
        lat, lng = self.point()
        area = self.plan.area
        if not self.plan.community:
            group = self.rng.choice(list(self.groups))
            self.groups[group] += 1
            return f"{area}{group}组{self.groups[group]}号", lat, lng
        if use in (HouseUse.HOME, HouseUse.RENTAL, HouseUse.VACANT) and self.rng.random() < 0.6:
            n = self.flats
            self.flats += 1
            building, rest = divmod(n, 24)
            unit, rest = divmod(rest, 12)
            floor, door = divmod(rest, 2)
            return (
                f"{area}{self.estate}{building + 1}幢{unit + 1}单元{floor + 1}0{door + 1}室",
                lat,
                lng,
            )
        road = self.rng.choice(words.ROADS)
        self.numbers[road] += 1
        return f"{area}{road}{self.numbers[road]}号", lat, lng

    def lodge(self, person: Person, house: House) -> None:
        """The person lives in `house`, on its grid: their address and house (楼栋、门牌) and
        room."""
        person.grid = self.plan.grid
        person.current_address = house.address
        where = house.address.removeprefix(self.plan.area)
        if "单元" in where:
            person.house, _, room = where.partition("幢")
            person.house += "幢"
            person.room = room
        else:
            person.house = where
        if person.same_as_registered:
            person.registered_address = house.address
