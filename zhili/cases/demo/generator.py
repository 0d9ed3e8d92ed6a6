"""A year of demo cases, computed in Python and written with bulk inserts.

Each case is routed like a real intake (the responsibility rules through
`routing.best_rule`, the point through the grid index) and then lived through: the services'
field changes are replayed in memory, event by event, with the scheduler's cards falling
between them, and the replay stops at `now`. Recent cases are therefore caught in every
state, and old ones are closed and rated.
"""

import contextlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhili.cases.demo import texts
from zhili.cases.demo.life import Draft, _Life, _Stop
from zhili.cases.demo.sampling import CHANNELS, SEED, Sampler, World, _Place
from zhili.cases.models import Case, Category, Channel, State, Urgency
from zhili.cases.routing import RuleRow, best_rule
from zhili.orgs.models import Organization
from zhili.orgs.selectors import Location

__all__ = ["CHANNELS", "Draft", "Generator", "World", "case_number"]


class Generator(Sampler):
    """Draws `total` cases over the year before `now` and lives each through."""

    def __init__(
        self,
        world: World,
        *,
        total: int,
        now: datetime,
        counters: dict[date, int] | None = None,
        seed: int = SEED,
    ):
        super().__init__(world, total=total, now=now, seed=seed)
        self.counters: dict[date, int] = dict(counters or {})
        self._recent: dict[tuple[int, int], list[int]] = {}
        self.drafts: list[Draft] = []

    # --- the whole batch ------------------------------------------------------------------

    def run(self, progress: Callable[[int], None] | None = None) -> list[Draft]:
        for number, (at, channel) in enumerate(self.registration_times(), start=1):
            self.drafts.append(self.one(at, channel))
            if progress and (number % 5000 == 0 or number == self.total):
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
        opener = rng.choice(texts.OPENERS.get(channel, ("群众反映：",)))
        description = f"{opener}{place.address}{phrase}。{rng.choice(texts.DETAILS)}{rng.choice(texts.REQUESTS)}"
        registrar = self._registrar(channel, location, at)
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

    def _registrar(self, channel: str, location: Location | None, at: datetime) -> int | None:
        """Who registered the request: the grid worker who reported it; nobody for what
        arrives by itself (a citizen's online request, a 110 hand-over: the system); for a
        call, the dispatcher in office hours, the hotline's duty seat outside them."""
        if channel == Channel.GRID_REPORT and location is not None:
            worker = self.w.users.get(f"gw{location.grid.code}a")
            if worker:
                return worker
        if channel in (Channel.WEB, Channel.EMERGENCY):
            return None
        return self.actor(self.w.county, at)

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
            return "位置不在本县任何网格内（辖区外），转县综治中心分拨"
        if row is None:
            return f"权责清单未匹配“{category.name}”，转{center.name}分拨"
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
        return f"匹配权责清单：{rule_category.name} × {area} → {unit.name}"

    def master_for(self, case: Case) -> int | None:
        """An earlier open-or-not case of the same category in the same village, within 3 days."""
        if case.village is None:
            return None
        for index in reversed(self._recent.get((case.category.pk, case.village.pk), [])[-3:]):
            master = self.drafts[index].case
            if case.registered_at - master.registered_at < timedelta(days=3):
                return index
        return None


def case_number(day: Any, number: int) -> str:
    return f"{settings.ZHILI_CASE_PREFIX}{day:%Y%m%d}-{number:05d}"
