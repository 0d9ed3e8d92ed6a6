"""A year of demo cases, computed in Python and written with bulk inserts.

Each case is routed like a real intake (the responsibility rules through
`routing.best_rule`, the point through the grid index) and then lived through: the services'
field changes are replayed in memory, event by event, with the scheduler's cards falling
between them, and the replay stops at `now`. Recent cases are therefore caught in every
state, and old ones are closed and rated.
"""

import contextlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import shapely
from django.conf import settings
from django.utils import timezone

from zhili.cases import deadlines
from zhili.cases.demo import catalog, rules, texts
from zhili.cases.models import Card, Case, Category, Channel, Rating, State, Urgency
from zhili.cases.routing import RuleRow, best_rule
from zhili.cases.workflow import CLOCK_RUNNING
from zhili.core import workcal
from zhili.orgs.demo.data import COUNTY, person_name
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


@dataclass
class Draft:
    """A generated case: its row (unsaved), its timeline and its links to other rows."""

    case: Case
    events: list[dict[str, Any]] = field(default_factory=list)
    assisting: list[int] = field(default_factory=list)
    master: int | None = None  # index of the master case in the batch


class _Stop(Exception):
    """The replay reached `now`: later events have not happened yet."""


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


def _weighted(rng: random.Random, items: list[Any], weights: list[float]) -> Callable[[], Any]:
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)

    def pick() -> Any:
        return rng.choices(items, cum_weights=cum)[0]

    return pick


class Generator:
    def __init__(
        self,
        world: World,
        *,
        total: int,
        now: datetime,
        counters: dict[date, int] | None = None,
        seed: int = SEED,
    ):
        self.w, self.total, self.now = world, total, now
        self.counters: dict[date, int] = dict(counters or {})
        self.rng = random.Random(seed)
        self.leaves = [
            (code, g, leaf) for code, g, leaf in catalog.leaves() if code in world.categories
        ]
        self._category_pickers: dict[tuple[str, int], Callable[[], Any]] = {}
        self._township_picker = self._make_township_picker()
        self._grid_pickers: dict[int, Callable[[], Any]] = {}
        self.channel_pick = _weighted(self.rng, list(CHANNELS), list(CHANNELS.values()))
        self._recent: dict[tuple[int, int], list[int]] = {}
        self.drafts: list[Draft] = []

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
        name = person_name(rng)
        if channel == Channel.HOTLINE and rng.random() < 0.5:
            name = name[0] + rng.choice(("先生", "女士"))
        phone = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        return name, phone, False

    def actor(self, unit: Organization) -> int | None:
        """The user who acts for `unit` in the timeline (None: the unit has no demo account)."""
        users = self.w.users
        if unit.pk == self.w.county.pk:
            return users.get("dispatcher")
        if unit.kind == "center" and unit.level == Level.TOWNSHIP:
            return users.get(f"to{unit.code}")
        if unit.kind == "center" and unit.level == Level.VILLAGE:
            return users.get(f"vo{unit.code}")
        if unit.code == rules.department("GAJ"):
            return users.get("police")
        return None

    # --- the whole batch ------------------------------------------------------------------

    def run(self, progress: Callable[[int], None] | None = None) -> list[Draft]:
        for number, (at, channel) in enumerate(self.registration_times(), start=1):
            self.drafts.append(self.one(at, channel))
            if progress and number % 5000 == 0:
                progress(number)
        return self.drafts

    def one(self, at: datetime, channel: str) -> Draft:
        rng = self.rng
        code, group, leaf = self.pick_category(channel, timezone.localtime(at).month)
        category = self.w.categories[code]
        place = self.pick_place()
        urgency = leaf.urgency
        if urgency == Urgency.NORMAL and (channel == Channel.EMERGENCY or rng.random() < 0.03):
            urgency = Urgency.URGENT
        row = None if place.out_of_area else best_rule(category, place.location)
        unit = self.w.org_by_id[row.unit_id] if row else None
        center = self.center_for(unit, place.location)
        name, phone, anonymous = self.reporter(channel)
        location = place.location
        village = location.village if location else None
        phrase = rng.choice(leaf.phrases)
        title = f"{village.display_area}{phrase}" if village and rng.random() < 0.4 else phrase
        opener = rng.choice(texts.OPENERS.get(channel, ("群众反映:",)))
        description = f"{opener}{place.address}{phrase}。{rng.choice(texts.DETAILS)}{rng.choice(texts.REQUESTS)}"
        registrar = self._registrar(channel, location)
        day = timezone.localdate(at)
        self.counters[day] = self.counters.get(day, 0) + 1
        case = Case(
            case_no=case_number(day, self.counters[day]),
            channel=channel,
            category=category,
            title=title,
            description=description,
            urgency=urgency,
            lat=place.lat,
            lng=place.lng,
            address=place.address,
            grid=location.grid if location else None,
            village=village,
            township=location.township if location else None,
            out_of_area=place.out_of_area,
            reporter_name=name,
            reporter_phone=phone,
            anonymous=anonymous,
            state=State.REGISTERED,
            dispatch_center=center,
            suggested_unit=unit,
            routing_rule_id=row.id if row else None,
            routing_note=self._note(category, row, location, place, center),
            area_path=village.path if village else "",
            dispatch_path=center.path,
            registered_by_id=registrar,
            registered_at=at,
            is_demo=True,
        )
        draft = Draft(case)
        life = _Life(self, draft, group.code)
        life.event("register", "", State.REGISTERED, at, registrar, None, case.routing_note)
        with contextlib.suppress(_Stop):
            life.live()
        life.finish()
        if case.state != State.MERGED and village is not None:
            self._recent.setdefault((category.pk, village.pk), []).append(len(self.drafts))
        return draft

    def center_for(self, unit: Organization | None, location: Location | None) -> Organization:
        # routing.dispatch_center_for without its query for the county center.
        if unit and location and unit.path.startswith(location.township.path):
            return location.township
        return self.w.county

    def _registrar(self, channel: str, location: Location | None) -> int | None:
        if channel == Channel.GRID_REPORT and location is not None:
            worker = self.w.users.get(f"gw{location.grid.code}a")
            if worker:
                return worker
        return self.w.users.get("dispatcher")

    def _note(
        self,
        category: Category,
        row: RuleRow | None,
        location: Location | None,
        place: _Place,
        center: Organization,
    ) -> str:
        # The same wording as zhili.cases.routing.route().
        if place.out_of_area:
            return "位置不在本县任何网格内(辖区外),转县综治中心分拨"
        if row is None:
            return f"权责清单未匹配“{category.name}”,转{center.name}分拨"
        rule_category = self.w.categories_by_id[row.category_id]
        if location is None or row.specificity == 0:
            area = "全县"
        elif row.specificity == 3:
            area = f"{location.village.display_area}{location.grid.name}"
        elif row.specificity == 2:
            area = location.village.display_area
        else:
            area = location.township.display_area
        unit = self.w.org_by_id[row.unit_id]
        return f"匹配权责清单:{rule_category.name} × {area} → {unit.name}"

    def master_for(self, case: Case) -> int | None:
        """An earlier open-or-not case of the same category in the same village, within 3 days."""
        if case.village is None:
            return None
        for index in reversed(self._recent.get((case.category.pk, case.village.pk), [])[-3:]):
            master = self.drafts[index].case
            if case.registered_at - master.registered_at < timedelta(days=3):
                return index
        return None


class _Life:
    """Replays one case's life through the workflow, as the services would have written it."""

    def __init__(self, gen: Generator, draft: Draft, group: str):
        self.g, self.d, self.c, self.group = gen, draft, draft.case, group
        self.rng = gen.rng
        self.t = self.c.registered_at

    # --- bookkeeping ----------------------------------------------------------------------

    def event(
        self,
        action: str,
        from_state: str,
        to_state: str,
        at: datetime,
        actor: int | None,
        actor_unit: Organization | None,
        note: str = "",
        **data: Any,
    ) -> None:
        self.d.events.append(
            dict(
                action=action,
                from_state=from_state,
                to_state=to_state,
                created_at=at,
                actor_id=actor,
                actor_unit_id=actor_unit.pk if actor_unit else self._user_unit(actor),
                note=note,
                data=data,
            )
        )
        if action != "card":  # the sweep leaves updated_at alone
            self.c.updated_at = at

    def _user_unit(self, user: int | None) -> int | None:
        return self.g.w.user_units.get(user) if user else None

    def at(self, moment: datetime) -> datetime:
        """Move the case's clock to `moment`, letting the scheduler's cards fall first."""
        if moment > self.g.now:
            raise _Stop
        self.sweep(moment)
        self.t = moment
        return moment

    def sweep(self, moment: datetime) -> None:
        """What zhili.cases.sweep does each time it runs: the card, and a "card" timeline row."""
        c = self.c
        while c.warn_at is not None and moment >= c.warn_at and c.state in CLOCK_RUNNING:
            at = c.warn_at
            if c.due_at is not None and at < c.due_at:
                c.card, c.card_at, c.warn_at = Card.YELLOW, at, c.due_at
            else:
                c.card, c.card_at, c.warn_at = Card.RED, at, None
            label = Card(c.card).label
            self.event("card", c.state, c.state, at, None, None, label, card=c.card)

    def transition(
        self, action: str, to_state: str | None, side: Organization, note: str = "", **data: Any
    ) -> None:
        from_state = self.c.state
        self.c.state = to_state or from_state
        self.event(action, from_state, self.c.state, self.t, self.g.actor(side), side, note, **data)

    def finish(self) -> None:
        """Bring the cards up to `now` for a case still with its unit."""
        self.sweep(self.g.now)

    # --- time ------------------------------------------------------------------------------

    def working(self, hours: float) -> datetime:
        return workcal.add_working_time(self.t, timedelta(hours=hours))

    def calendar(self, minutes: float) -> datetime:
        return self.t + timedelta(minutes=minutes)

    def share(self, start: datetime, end: datetime, fraction: float) -> datetime:
        return start + (end - start) * fraction

    # --- the life --------------------------------------------------------------------------

    def live(self) -> None:
        c, rng, g = self.c, self.rng, self.g
        fast = c.urgency != Urgency.NORMAL
        master = g.master_for(c)
        if master is not None and rng.random() < 0.25:
            self.at(self.calendar(rng.uniform(5, 90)))
            master_case = g.drafts[master].case
            self.d.master = master
            note = f"合并至 {master_case.case_no}"
            self.transition(
                "merge", State.MERGED, c.dispatch_center, note, master=master_case.case_no
            )
            return
        unit = c.suggested_unit
        if unit is None:
            unit = self._unmatched(fast)
        elif c.dispatch_center.level == Level.TOWNSHIP and rng.random() < 0.01:
            self.at(self.working(rng.uniform(0.2, 3)))
            county = g.w.county
            self.transition(
                "escalate",
                None,
                c.dispatch_center,
                rng.choice(texts.ESCALATE_REASONS),
                to_center=county.code,
            )
            c.dispatch_center, c.dispatch_path = county, county.path
            unit = g.w.orgs[rules.department(rules.FALLBACK_UNITS.get(self.group, "SFJ"))]
            unit = self._county_unit() or unit
        self.at(self.calendar(rng.uniform(2, 25)) if fast else self.working(rng.uniform(0.05, 1.5)))
        self.dispatch(unit, "dispatch")
        if rng.random() < 0.04:
            self.bounce()
        self.handle()

    def _county_unit(self) -> Organization | None:
        suffix = rules.COUNTY_LEAVES.get(self.c.category.name) or rules.COUNTY_GROUPS.get(
            self.group
        )
        return self.g.w.orgs[rules.department(suffix)] if suffix else None

    def _unmatched(self, fast: bool) -> Organization:
        """No rule matched: the county dispatcher hands it down to the township, or picks a
        department."""
        c, rng, g = self.c, self.rng, self.g
        self.at(self.calendar(rng.uniform(5, 40)) if fast else self.working(rng.uniform(0.2, 3)))
        if c.township is not None and rng.random() < 0.7:
            township = c.township
            self.transition(
                "assign_down",
                None,
                c.dispatch_center,
                f"交办{township.name}",
                to_center=township.code,
            )
            c.dispatch_center, c.dispatch_path = township, township.path
            return township
        return (
            self._county_unit()
            or g.w.orgs[rules.department(rules.FALLBACK_UNITS.get(self.group, "XFJ"))]
        )

    def dispatch(self, unit: Organization, action: str) -> None:
        c, g = self.c, self.g
        previous = c.lead_unit.code if c.lead_unit else ""
        from_state = c.state
        c.lead_unit, c.unit_path, c.dispatched_at, c.acknowledged_at = unit, unit.path, self.t, None
        self.clock()
        c.state = State.DISPATCHED
        self.event(
            action,
            from_state,
            c.state,
            self.t,
            g.actor(c.dispatch_center),
            c.dispatch_center,
            f"派往{unit.name}",
            unit=unit.code,
            previous_unit=previous,
        )
        if unit.kind == "department" and self.rng.random() < 0.03:
            helper = rules.REASSIGN_TO.get(unit.code.removeprefix(f"{COUNTY}-"))
            if helper:
                self.d.assisting = [g.w.orgs[rules.department(helper)].pk]

    def clock(self) -> None:
        c = self.c
        clock = deadlines.start_clock(c.category, c.urgency, self.t)
        c.acknowledge_due_at, c.due_at, c.warn_at = (
            clock.acknowledge_due_at,
            clock.due_at,
            clock.warn_at,
        )
        c.calendar_clock, c.card, c.card_at = clock.calendar, Card.NONE, None
        c.remaining_seconds, c.extension_requested_until, c.extension_reason = None, None, ""

    def bounce(self) -> None:
        """The unit sends the case back; the dispatcher sends it elsewhere."""
        c, rng, g = self.c, self.rng, self.g
        assert c.lead_unit is not None and c.acknowledge_due_at is not None
        self.at(self.share(self.t, c.acknowledge_due_at, rng.uniform(0.1, 0.8)))
        unit = c.lead_unit
        c.lead_unit, c.unit_path, c.warn_at = None, "", None
        c.returned_count += 1
        from_state = c.state
        c.state = State.RETURNED
        self.event(
            "return",
            from_state,
            c.state,
            self.t,
            g.actor(unit),
            unit,
            rng.choice(texts.RETURN_REASONS),
            previous_unit=unit.code,
        )
        self.at(self.working(rng.uniform(0.2, 4)))
        suffix = rules.REASSIGN_TO.get(unit.code.removeprefix(f"{COUNTY}-"))
        if suffix:
            target = g.w.orgs[rules.department(suffix)]
        elif c.township is not None and unit.pk != c.township.pk:
            target = c.township
        else:
            target = g.w.orgs[rules.department("SFJ")]
        if not target.path.startswith(c.dispatch_center.path):
            county = g.w.county
            c.dispatch_center, c.dispatch_path = county, county.path
        self.dispatch(target, "reassign")

    def handle(self, reopened: bool = False) -> None:
        c, rng = self.c, self.rng
        unit = c.lead_unit
        assert unit is not None and c.acknowledge_due_at is not None and c.due_at is not None
        late_ack = rng.random() < 0.04
        self.at(
            self.share(
                c.dispatched_at or self.t,
                c.acknowledge_due_at,
                rng.uniform(1.05, 2.5) if late_ack else rng.uniform(0.03, 0.7),
            )
        )
        c.acknowledged_at = self.t
        self.transition("acknowledge", State.ACKNOWLEDGED, unit)
        # How much of the handling time the unit will use: most finish well within it.
        roll = rng.random()
        use = (
            rng.uniform(0.1, 0.6)
            if roll < 0.72
            else rng.uniform(0.6, 0.8)
            if roll < 0.88
            else rng.uniform(0.8, 1.0)
            if roll < 0.95
            else rng.uniform(1.0, 2.2)
        )
        start = c.dispatched_at or self.t
        if rng.random() < 0.85:
            self.at(
                max(self.t, self.share(start, c.due_at, min(use, 1.0) * rng.uniform(0.05, 0.3)))
            )
            self.transition("start", State.IN_PROGRESS, unit)
            if self._suspends():
                return
        if c.urgency == Urgency.NORMAL and use > 0.75 and rng.random() < 0.3:
            self.extend(start, use)
        reply_at = max(self.t, self.share(start, c.due_at, use))
        self.at(reply_at)
        resolution = rng.choice(texts.RESOLUTIONS.get(self.group, texts.RESOLUTIONS["QT"]))
        c.reply = f"经{unit.name}核查处理,{resolution}。{rng.choice(texts.CONTACTS)}"
        c.replied_at, c.warn_at = self.t, None
        self.transition("reply", State.REPLIED, unit, c.reply)
        self.at(
            self.calendar(rng.uniform(10, 600))
            if c.urgency != Urgency.NORMAL
            else self.working(rng.uniform(0.2, 6))
        )
        c.closed_at = self.t
        self.transition("close", State.CLOSED, c.dispatch_center)
        if rng.random() < 0.01:
            return  # the citizen could not be reached for the follow-up
        self.at(self.calendar(rng.uniform(60, 3 * 24 * 60)))
        roll = rng.random()
        if reopened:
            rating = Rating.SATISFIED if roll < 0.8 else Rating.BASICALLY_SATISFIED
        else:
            rating = (
                Rating.SATISFIED
                if roll < 0.92
                else Rating.BASICALLY_SATISFIED
                if roll < 0.97
                else Rating.UNSATISFIED
            )
        c.rating = rating
        c.rating_comment = rng.choice(texts.RATING_COMMENTS[rating])
        c.rated_at = self.t
        self.transition("rate", State.RATED, c.dispatch_center, c.rating_comment, rating=rating)
        if rating == Rating.UNSATISFIED and rng.random() < 0.4:
            self.reopen()

    def _suspends(self) -> bool:
        c, rng = self.c, self.rng
        if self.g.now - c.registered_at > timedelta(days=30) or rng.random() > 0.02:
            return False
        assert c.due_at is not None
        self.at(self.working(rng.uniform(0.5, 6)))
        left = deadlines.elapsed(self.t, c.due_at, calendar=c.calendar_clock)
        c.remaining_seconds = max(int(left.total_seconds()), 0)
        c.state_before_suspend, c.suspended_at, c.warn_at = c.state, self.t, None
        self.transition(
            "suspend", State.SUSPENDED, c.dispatch_center, rng.choice(texts.SUSPEND_REASONS)
        )
        return True

    def extend(self, start: datetime, use: float) -> None:
        c, rng = self.c, self.rng
        assert c.due_at is not None and c.lead_unit is not None
        self.at(max(self.t, self.share(start, c.due_at, rng.uniform(0.4, 0.7))))
        days = (
            workcal.add_workdays(timezone.localdate(c.due_at), 5) - timezone.localdate(c.due_at)
        ).days
        until = c.due_at + timedelta(days=days)
        reason = rng.choice(texts.EXTENSION_REASONS)
        c.extension_requested_until, c.extension_reason = until, reason
        self.transition("request_extension", None, c.lead_unit, reason, until=until.isoformat())
        self.at(self.working(rng.uniform(0.3, 4)))
        if rng.random() < 0.2:
            c.extension_requested_until = None
            self.transition("refuse_extension", None, c.dispatch_center, "理由不充分,请按期办结")
            return
        c.due_at, c.extended, c.extension_requested_until = until, True, None
        if c.card != Card.RED:
            warn = deadlines.warn_point(self.t, until, calendar=c.calendar_clock)
            c.card, c.card_at, c.warn_at = Card.NONE, None, max(warn, self.t)
        else:
            c.warn_at = until
        self.transition("approve_extension", None, c.dispatch_center, until=until.isoformat())

    def reopen(self) -> None:
        c, rng = self.c, self.rng
        assert c.lead_unit is not None
        self.at(self.working(rng.uniform(1, 8)))
        unit = c.lead_unit
        c.reopen_count += 1
        c.rating, c.rating_comment, c.rated_at = "", "", None
        c.replied_at, c.closed_at = None, None
        c.dispatched_at, c.acknowledged_at = self.t, None
        self.clock()
        self.transition(
            "reopen", State.DISPATCHED, c.dispatch_center, rng.choice(texts.REOPEN_REASONS)
        )
        c.unit_path = unit.path
        self.handle(reopened=True)


def case_number(day: Any, number: int) -> str:
    return f"{settings.ZHILI_CASE_PREFIX}{day:%Y%m%d}-{number:05d}"
