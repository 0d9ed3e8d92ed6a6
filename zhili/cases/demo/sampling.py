"""The draws behind each demo case: when (channel shares, hours, seasons), what (the
catalog's weights), where (townships, grids, points, addresses) and who (reporters, actors)."""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import shapely
from django.utils import timezone

from zhili.cases.demo import catalog, rules, texts
from zhili.cases.models import Category, Channel
from zhili.core import workcal
from zhili.orgs.demo.data import COUNTY, DUTY_SEAT, person_name
from zhili.orgs.demo.hours import office_hours
from zhili.orgs.models import Grid, Level, Organization, User
from zhili.orgs.selectors import Location, grid_index

SEED = 20251126
# Shares of the channels (percent).
CHANNELS = {
    Channel.HOTLINE: 55.0,
    Channel.GRID_REPORT: 20.0,
    Channel.CITY_MANAGEMENT: 8.0,
    Channel.WEB: 8.0,
    Channel.EMERGENCY: 4.0,
    Channel.PETITION: 3.0,
    Channel.DEPARTMENT_REFERRAL: 0.8,
    Channel.LEADER_ASSIGNED: 0.7,
    Channel.WALK_IN: 0.5,
}
# Which groups each channel brings more (or less) of than the catalog's weights say.
AFFINITY: dict[str, dict[str, float]] = {
    Channel.GRID_REPORT: {
        "MD": 3,
        "AQ": 3,
        "SR": 2.5,
        "ZA": 2,
        "NY": 2.5,
        "LD": 0.3,
        "SC": 0.4,
        "QT": 0.1,
        "JW": 0.3,
    },
    Channel.CITY_MANAGEMENT: {"SR": 12, "SZ": 6, "JT": 3, "HB": 1.5, "*": 0.03},
    Channel.WEB: {"QT": 2, "JW": 1.5, "SC": 1.5},
    Channel.EMERGENCY: {"ZA": 12, "AQ": 6, "MD": 4, "*": 0.1},
    Channel.PETITION: {"LD": 5, "ZF": 5, "GT": 6, "MD": 2, "MZ": 2, "*": 0.2},
}
# Calls by hour of the day (0-23) for the channels open around the clock, and for the ones
# that work office hours (grid workers, city inspectors, petition reception).
HOURS_ALL = (1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 4, 8, 10, 10, 9, 6, 5, 8, 9, 9, 8, 6, 5, 4.5, 4, 3, 2)
HOURS_OFFICE = (0, 0, 0, 0, 0, 0, 0.2, 1, 8, 10, 10, 8, 2, 2, 8, 10, 9, 6, 1, 0.3, 0, 0, 0, 0)
OFFICE_CHANNELS = {
    Channel.GRID_REPORT,
    Channel.CITY_MANAGEMENT,
    Channel.PETITION,
    Channel.LEADER_ASSIGNED,
    Channel.DEPARTMENT_REFERRAL,
    Channel.WALK_IN,
}
WEEKDAY = (1.15, 1.1, 1.05, 1.05, 1.0, 0.72, 0.62)  # Monday first
MONTH_VOLUME = (0.85, 0.8, 0.9, 0.95, 1.0, 1.1, 1.2, 1.2, 1.05, 1.0, 0.95, 0.9)


@dataclass
class _Place:
    location: Location | None
    lat: float | None
    lng: float | None
    address: str
    out_of_area: bool = False


class World:
    """What the generator reads from the database, once."""

    def __init__(self) -> None:
        self.county = Organization.objects.get(code=COUNTY)
        self.orgs = {o.code: o for o in Organization.objects.filter(path__startswith=f"/{COUNTY}/")}
        self.org_by_id = {o.pk: o for o in self.orgs.values()}
        self.grids = list(Grid.objects.order_by("code"))
        self.locations: dict[int, Location] = {}
        for grid in self.grids:
            village = self.org_by_id[grid.village_id]
            township = self.org_by_id[village.parent_id]  # type: ignore[index]
            self.locations[grid.pk] = Location(grid=grid, village=village, township=township)
        self.townships = [
            o for o in self.orgs.values() if o.level == Level.TOWNSHIP and o.kind == "center"
        ]
        self.townships.sort(key=lambda o: o.code)
        self.categories = {c.code: c for c in Category.objects.all()}
        self.categories_by_id = {c.pk: c for c in self.categories.values()}
        demo_users = User.objects.filter(is_demo=True)
        self.users = dict(demo_users.values_list("username", "pk"))
        self.user_units = dict(demo_users.values_list("pk", "organization_id"))
        self.index = grid_index.get()


def caller(rng: random.Random, *, hotline: bool) -> tuple[str, str]:
    """A requester's name and mobile number; a caller often gives a surname only (王先生)."""
    name = person_name(rng)
    if hotline and rng.random() < 0.5:
        name = name[0] + rng.choice(("先生", "女士"))
    phone = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
    return name, phone


def _weighted(rng: random.Random, items: list[Any], weights: list[float]) -> Callable[[], Any]:
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)

    def pick() -> Any:
        return rng.choices(items, cum_weights=cum)[0]

    return pick


class Sampler:
    """The random draws, from one seeded generator so that a run can be repeated."""

    def __init__(self, world: World, *, total: int, now: datetime, seed: int = SEED):
        self.w, self.total, self.now = world, total, now
        self.rng = random.Random(seed)
        self.leaves = [
            (code, g, leaf) for code, g, leaf in catalog.leaves() if code in world.categories
        ]
        self._category_pickers: dict[tuple[str, int], Callable[[], Any]] = {}
        self._township_picker = self._make_township_picker()
        self._grid_pickers: dict[int, Callable[[], Any]] = {}
        self.channel_pick = _weighted(self.rng, list(CHANNELS), list(CHANNELS.values()))

    # --- when -----------------------------------------------------------------------------

    def registration_times(self) -> list[tuple[datetime, str]]:
        """`total` (time, channel) pairs over the year before `now`, in time order."""
        tz = timezone.get_current_timezone()
        today = timezone.localdate(self.now)
        first = today - timedelta(days=365)
        days = [first + timedelta(days=n) for n in range(366)]
        weights = []
        for day in days:
            weight = WEEKDAY[day.weekday()] * MONTH_VOLUME[day.month - 1]
            if not workcal.is_workday(day) and day.weekday() < 5:
                weight *= 0.55  # official holidays are quieter than weekends
            if day == today:
                start = datetime.combine(day, datetime.min.time(), tz)
                weight *= max((self.now - start) / timedelta(days=1), 0.0)
            weights.append(weight)
        pick_day = _weighted(self.rng, days, weights)
        pick_all = _weighted(self.rng, list(range(24)), list(HOURS_ALL))
        pick_office = _weighted(self.rng, list(range(24)), list(HOURS_OFFICE))
        out = []
        for _ in range(self.total):
            channel = self.channel_pick()
            day = pick_day()
            for _attempt in range(20):
                hour = (pick_office if channel in OFFICE_CHANNELS else pick_all)()
                seconds = hour * 3600 + self.rng.randrange(3600)
                at = datetime.combine(day, datetime.min.time(), tz) + timedelta(seconds=seconds)
                if at <= self.now:
                    break
            else:
                at = self.now - timedelta(seconds=self.rng.randrange(1, 3600))
            out.append((at.astimezone(self.now.tzinfo), channel))
        out.sort(key=lambda pair: pair[0])
        return out

    # --- what -----------------------------------------------------------------------------

    def pick_category(self, channel: str, month: int) -> tuple[str, Any, catalog.Leaf]:
        key = (channel, month)
        if key not in self._category_pickers:
            affinity = AFFINITY.get(channel, {})
            weights = []
            for _, group, leaf in self.leaves:
                season = catalog.SEASONS[leaf.season][month - 1] if leaf.season else 1.0
                weights.append(
                    leaf.weight * season * affinity.get(group.code, affinity.get("*", 1.0))
                )
            self._category_pickers[key] = _weighted(self.rng, self.leaves, weights)
        return self._category_pickers[key]()  # type: ignore[no-any-return]

    # --- where ----------------------------------------------------------------------------

    def _make_township_picker(self) -> Callable[[], Any]:
        weights = []
        for t in self.w.townships:
            villages = sum(1 for o in self.w.orgs.values() if o.parent_id == t.pk)
            factor = {"subdistrict": 3.0, "town": 1.0, "township": 0.8, "state_farm": 0.5}
            weights.append(villages * factor.get(t.division, 1.0))
        return _weighted(self.rng, self.w.townships, weights)

    def _grid_picker(self, township: Organization) -> Callable[[], Any]:
        if township.pk not in self._grid_pickers:
            grids, weights = [], []
            for grid in self.w.grids:
                location = self.w.locations[grid.pk]
                if location.township.pk != township.pk:
                    continue
                # Requests cluster at the township seat: the communities (a town's seat is
                # its one community) and, in the streets, the county town itself.
                seat = location.village.division == "community"
                grids.append(grid)
                weights.append(5.0 if seat else 1.0)
            self._grid_pickers[township.pk] = _weighted(self.rng, grids, weights)
        return self._grid_pickers[township.pk]

    def pick_place(self) -> _Place:
        rng = self.rng
        roll = rng.random()
        if roll < 0.01:  # outside the county: a neighbour's resident calls Donghai's hotline
            angle = rng.uniform(0, 6.283)
            lng = 118.77 + math.cos(angle) * rng.uniform(0.5, 0.7)
            lat = 34.52 + math.sin(angle) * rng.uniform(0.45, 0.6)
            if self.w.index.locate(lng, lat) is None:
                address = (
                    rng.choice(texts.OUT_OF_AREA)
                    + rng.choice(texts.ROADS)
                    + f"{rng.randint(1, 300)}号"
                )
                return _Place(None, round(lat, 6), round(lng, 6), address, out_of_area=True)
        township = self._township_picker()
        grid = self._grid_picker(township)()
        location = self.w.locations[grid.pk]
        village = location.village
        if village.division == "community":
            spot = f"{rng.choice(texts.ROADS)}{rng.randint(1, 400)}号附近"
        else:
            spot = f"{rng.randint(1, 12)}组"
        address = f"{township.display_area}{village.display_area}{spot}"
        if roll < 0.03:  # an address only, no point on the map
            return _Place(None, None, None, address)
        polygon = shapely.geometry.shape(grid.geometry)
        for _ in range(50):
            lng = rng.uniform(grid.min_lng, grid.max_lng)
            lat = rng.uniform(grid.min_lat, grid.max_lat)
            if shapely.contains_xy(polygon, lng, lat):
                break
        lng, lat = round(lng, 6), round(lat, 6)
        pk = self.w.index.locate(lng, lat)
        found = self.w.locations.get(pk) if pk is not None else None
        return _Place(found, lat, lng, address)

    # --- who ------------------------------------------------------------------------------

    def reporter(self, channel: str) -> tuple[str, str, bool]:
        rng = self.rng
        if rng.random() < 0.05:
            return "", "", True
        name, phone = caller(rng, hotline=channel == Channel.HOTLINE)
        return name, phone, False

    def actor(self, unit: Organization, at: datetime | None = None) -> int | None:
        """The user who acts for `unit` at `at` in the timeline (None: the unit has no demo
        account). The county center's dispatcher works office hours; outside them its
        hotline duty seat (值班坐席) takes the calls and the emergencies."""
        users = self.w.users
        if unit.pk == self.w.county.pk:
            if at is not None and not office_hours(at):
                return users.get(DUTY_SEAT)
            return users.get("dispatcher")
        if unit.kind == "center" and unit.level == Level.TOWNSHIP:
            return users.get(f"to{unit.code}")
        if unit.kind == "center" and unit.level == Level.VILLAGE:
            return users.get(f"vo{unit.code}")
        if unit.code == rules.department("GAJ"):
            return users.get("police")
        return None
