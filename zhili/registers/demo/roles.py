"""The roles of a grid's residents (流动人口, 留守人员 and the special groups), with their care
levels and their visits so far (no database).

Every tenant from elsewhere is 流动人口 (a Hong Kong or Macau resident 境外人员); the people the
household drawing left behind (`Resident.left_behind`) are 留守人员; the special groups are
drawn at about the rates a county of northern Jiangsu registers (严重精神障碍 about 4.5 per
thousand, 刑满释放 within the five years of 安置帮教 about 1.5, 社区矫正 about 0.5 ...). The
grid's first household holds none: the warnings demo gives it the two roles whose visits fell
behind (zhili/warnings/demo.py).

Visits: each role was visited on its cycle (settings.ZHILI_VISIT_DAYS by the care level,
a little early as workers are) over the last `HISTORY_DAYS`, by one of its grid's workers.
Its next visit falls due within the coming cycle; a few (`OVERDUE_SHARE`) are 1–5 days
overdue, under the 走访逾期 warning's 7 days, so the demo's only overdue warning stays the
one the warnings demo sets up, and a grid worker opens the demo with a handful of visits
due this week and one or two late.
"""

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeAlias

from zhili.registers.demo import words
from zhili.registers.demo.people import Drawing, GridDraft, Resident
from zhili.registers.kinds import CareLevel, Kind, clean_details
from zhili.registers.models import PersonRole, Visit

HISTORY_DAYS = 100  # the visits written go back this far: the assessment's last month
OVERDUE_SHARE = 0.04
OVERDUE_DAYS = (1, 5)  # under the 走访逾期 warning's default of 7 days
Details: TypeAlias = dict[str, object]


@dataclass(frozen=True)
class Special:
    kind: str
    rate: float  # of the residents who fit
    fits: Callable[[Resident], bool]


SPECIALS = [
    Special(Kind.RELEASED, 0.004, lambda r: r.person.sex == "male" and 22 <= r.age <= 65),
    Special(Kind.CORRECTION, 0.0009, lambda r: 20 <= r.age <= 65),
    Special(Kind.MENTAL, 0.0065, lambda r: r.age >= 16),
    Special(Kind.DRUG, 0.002, lambda r: 18 <= r.age <= 55),
    Special(Kind.AIDS_RISK, 0.0003, lambda r: 18 <= r.age <= 60),
    Special(Kind.YOUTH, 0.012, lambda r: 12 <= r.age <= 24),
]


@dataclass
class RoleDraft:
    resident: Resident
    role: PersonRole
    visits: list[Visit] = field(default_factory=list)


def draw_roles(
    rng: random.Random, drawing: Drawing, draft: GridDraft, cycles: dict[str, int]
) -> list[RoleDraft]:
    """The grid's roles with their visits; `cycles` is the days of each care level."""
    families: dict[int, list[Resident]] = {}
    for resident in draft.residents:
        families.setdefault(resident.household, []).append(resident)
    facts = _Facts(rng, drawing, families)
    roles = []
    for resident in draft.residents:
        kinds: list[str] = []
        if resident.overseas:
            kinds.append(Kind.FOREIGN)
        elif not resident.local:
            kinds.append(Kind.FLOATING)
        if resident.left_behind:
            kinds.append(Kind.LEFT_BEHIND)
        if not resident.quiet:
            kinds += [s.kind for s in SPECIALS if s.fits(resident) and rng.random() < s.rate]
        for kind in kinds:
            care, details, began = facts.of(kind, resident)
            started = _started(rng, drawing, resident, began)
            role = PersonRole(
                person=resident.person,
                kind=kind,
                care_level=care,
                details=clean_details(kind, details),
                started_at=started,
            )
            roles.append(
                RoleDraft(resident, role, _visits(rng, drawing, draft, resident, role, cycles))
            )
    return roles


def _started(
    rng: random.Random, drawing: Drawing, resident: Resident, began: date | None
) -> datetime:
    """When the role was opened on the register: after the person's own registration, at
    `began` (an arrival, a release, a sentence's start) when later, else some day since."""
    registered = resident.person.created_at
    if began is not None:
        day = max(began, registered.date())
    else:
        since = (drawing.today - registered.date()).days
        day = registered.date() + timedelta(days=rng.randint(0, max(0, since - 1)))
    started = max(drawing.moment(rng, day), registered + timedelta(minutes=10))
    return started if started < drawing.now else registered + (drawing.now - registered) / 2


def _visits(
    rng: random.Random,
    drawing: Drawing,
    draft: GridDraft,
    resident: Resident,
    role: PersonRole,
    cycles: dict[str, int],
) -> list[Visit]:
    workers = draft.plan.workers
    if not workers:
        return []
    cycle = cycles[role.care_level]
    if rng.random() < OVERDUE_SHARE:
        due_in = -rng.uniform(*OVERDUE_DAYS)
    else:
        due_in = rng.uniform(0.2, cycle)
    last = drawing.now + timedelta(days=due_in - cycle)
    since = max(role.started_at, drawing.now - timedelta(days=HISTORY_DAYS))
    days = []
    while last > since:
        days.append(last.date())
        last -= timedelta(days=cycle * rng.uniform(0.75, 1.0))
    home = resident.home
    notes = words.VISIT_NOTES[role.kind]
    visits = []
    for day in reversed(days):
        at = drawing.moment(rng, day)
        if at <= role.started_at:
            continue
        visit = Visit(
            role=role,
            by_id=rng.choice(workers),
            visited_at=at,
            client_uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            notes=rng.choice(notes),
            received_at=min(drawing.now, at + timedelta(minutes=rng.randint(1, 240))),
        )
        if home is not None and home.lat is not None and home.lng is not None:
            visit.lat = round(home.lat + rng.uniform(-0.0002, 0.0002), 6)
            visit.lng = round(home.lng + rng.uniform(-0.0002, 0.0002), 6)
        visits.append(visit)
    return visits


class _Facts:
    """A role's care level, its own facts (kinds.KINDS' fields) and the day it began."""

    def __init__(self, rng: random.Random, drawing: Drawing, families: dict[int, list[Resident]]):
        self.rng, self.drawing, self.families = rng, drawing, families

    def _ago(self, low: int, high: int) -> date:
        return self.drawing.today - timedelta(days=self.rng.randint(low, high))

    def _kin(self, resident: Resident) -> str:
        """Who in the household looks after `resident`: a child's guardian, else the
        eldest other adult."""
        if resident.guardian is not None:
            return resident.guardian.name
        others = [r for r in self.families[resident.household] if r is not resident and r.age >= 18]
        return max(others, key=lambda r: r.age).person.name if others else ""

    def of(self, kind: str, resident: Resident) -> tuple[str, Details, date | None]:
        rng = self.rng
        details: Details
        if kind == Kind.FLOATING:
            return self._floating(resident)
        if kind == Kind.FOREIGN:
            assert resident.overseas is not None
            surname, given = resident.overseas
            hk = resident.person.id_number.startswith("81")
            details = {
                "foreign_surname": surname,
                "foreign_given_name": given,
                "nationality": "中国香港" if hk else "中国澳门",
                "document_kind": "港澳居民来往内地通行证",
                "document_no": f"{'H' if hk else 'M'}{rng.randint(10**7, 10**8 - 1)}",
            }
            return CareLevel.LOW, details, None
        if kind == Kind.LEFT_BEHIND:
            category = resident.left_behind
            away = {"儿童": "父母", "妇女": "丈夫", "老人": "子女"}[category]
            contact = f"{away}在{rng.choice(words.ABROAD)}务工 {self.drawing.phone(rng)}"
            care = CareLevel.NORMAL if category == "儿童" or rng.random() < 0.4 else CareLevel.LOW
            details = {"category": category, "family_contact": contact}
            return care, details, None
        if kind == Kind.RELEASED:
            offence, sentence = rng.choice(words.OFFENCES)
            released = self._ago(30, 1800)  # the five years of 安置帮教
            recent = (self.drawing.today - released).days < 365
            details = {
                "offence": offence,
                "sentence": sentence,
                "released_on": released.isoformat(),
                "placed": rng.random() < 0.85,
                "aid": rng.choice(words.RELEASE_AID),
            }
            return (CareLevel.NORMAL if recent else CareLevel.LOW), details, released
        if kind == Kind.CORRECTION:
            starts = self._ago(20, 700)
            ends = starts + timedelta(days=365 * rng.randint(1, 3))
            if ends <= self.drawing.today:
                ends = self.drawing.today + timedelta(days=rng.randint(30, 300))
            details = {
                "category": rng.choice(words.CORRECTION),
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat(),
                "out_of_control": False,
                "missed": False,
            }
            care = CareLevel.HIGH if rng.random() < 0.7 else CareLevel.NORMAL
            return care, details, starts
        if kind == Kind.MENTAL:
            risk = rng.choice(words.MENTAL_RISK)
            care = (
                CareLevel.HIGH
                if risk >= "3"
                else CareLevel.NORMAL
                if risk >= "1"
                else CareLevel.LOW
            )
            details = {
                "risk_level": risk,
                "guardian": self._kin(resident),
                "guardian_phone": self.drawing.phone(rng),
                "treatment": rng.choice(words.TREATMENT),
            }
            return care, details, None
        if kind == Kind.DRUG:
            care = rng.choice([CareLevel.HIGH, CareLevel.NORMAL, CareLevel.NORMAL, CareLevel.LOW])
            found = self._ago(400, 3000)
            return (
                care,
                {"found_on": found.isoformat(), "control": rng.choice(words.DRUG_CONTROL)},
                None,
            )
        if kind == Kind.AIDS_RISK:
            details = {"route": rng.choice(words.AIDS_ROUTE), "help": rng.choice(words.AIDS_HELP)}
            return CareLevel.NORMAL, details, None
        category, assistance = rng.choice(words.YOUTH)
        details = {"category": category, "guardian": self._kin(resident), "assistance": assistance}
        return CareLevel.NORMAL, details, None

    def _floating(self, resident: Resident) -> tuple[str, Details, date | None]:
        rng, today = self.rng, self.drawing.today
        tenancy = resident.tenancy
        arrived = tenancy.starts_on if tenancy is not None else resident.person.created_at.date()
        details: Details = {
            "reason": rng.choice(words.FLOAT_REASONS),
            "arrived_on": arrived.isoformat(),
        }
        if resident.age >= 16 and rng.random() < 0.8:  # a residence permit (居住证)
            self.drawing.permits += 1
            details["permit_no"] = f"320722{arrived:%y}{self.drawing.permits:06d}"
            until = arrived + timedelta(days=365)
            while until < today and rng.random() < 0.8:  # renewed each year, mostly
                until += timedelta(days=365)
            details["permit_until"] = until.isoformat()
        care = CareLevel.NORMAL if rng.random() < 0.15 else CareLevel.LOW
        return care, details, arrived
