"""`zhili demo` for mediation: committees for the county, every township and a sample of
villages (with a few composition warnings left in, as real registers have), their mediators
and rooms (with the mediators' qualifications and this year's trainings, a few mediators left
untrained), and about 300 disputes over the last twelve months in every state, with parties,
sessions, agreements (written, with each party's liability, signatures and seal, the
effective date the last of them; some oral; one still waiting for a signature), judicial
confirmations, follow-ups, a few confirmation windows near day 25, a few mediations ended by
a party, a few past their handling target and a few risk flags.

Demo accounts created here: `tjy` (专职调解员, township 320722003) and `tjzr` (调委会主任,
township 320722003), password zhili-demo; and, without a password like the organization
demo's generated staff, one mediator per other committee (`tj<code>`, county `tjxa`) and one
chair per township committee (`tz<code>`, county `tjxzr`). The persona `mediator` (county
矛盾纠纷调处中心) becomes a mediator of the county committee.

Idempotent: committees, accounts and rooms are created when missing; disputes only when the
demo has none yet. Rows are written in bulk; risk alerts and the day-25 warnings go through
the services so that they are exactly what the running system would produce.
"""

import random
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from zhili.cases.text import search_tokens
from zhili.core.audit import audit
from zhili.core.counters import take_block
from zhili.core.models import Series
from zhili.core.personal import id_number_check_digit
from zhili.core.roles import Role
from zhili.mediation import deadlines, workflow
from zhili.mediation.demo_texts import (
    COURTS,
    FAIL_REASONS,
    FOLLOW_UP_NOTES,
    LIABILITIES,
    REFUSE_NOTES,
    RISK_NOTES,
    SESSION_RECORDS,
    TERMINATE_REASONS,
    TEXTS,
)
from zhili.mediation.law import cite
from zhili.mediation.models import (
    Agreement,
    AgreementForm,
    AgreementParty,
    Committee,
    CommitteeMember,
    Consent,
    Dispute,
    DisputeEvent,
    DisputeState,
    Education,
    Employment,
    MediationRoom,
    Mediator,
    MediatorTraining,
    Outcome,
    Party,
    PartyKind,
    Scale,
    Session,
    SessionMode,
    Source,
)
from zhili.mediation.services.common import uscc_check_char
from zhili.mediation.services.risk import risk_alert_open
from zhili.mediation.services.warnings import confirmation_warn_due, handling_warn_due
from zhili.orgs.demo.data import COUNTY, PASSWORD, person_name
from zhili.orgs.demo.hours import office_after, office_before
from zhili.orgs.models import Grid, Level, Organization, User

SEED = 20265
DISPUTES = 300
VILLAGES_PER_TOWNSHIP = 2
PERSONA_TOWNSHIP = "320722003"
PERSONA_VILLAGE = "320722003001"
S = DisputeState

# How often each type occurs (a county's monthly report: family and neighbours lead).
KIND_WEIGHTS = {
    "marriage_family": 16,
    "neighbourhood": 22,
    "housing_homestead": 10,
    "contract": 6,
    "business": 3,
    "damages": 9,
    "land_forest": 8,
    "expropriation": 2,
    "pollution": 2,
    "labour": 6,
    "consumer": 3,
    "medical": 2,
    "traffic": 5,
    "property_mgmt": 3,
    "other": 3,
}
SOURCE_WEIGHTS = {
    Source.SCREENING: 30,
    Source.APPLICATION: 45,
    Source.COURT_REFERRAL: 8,
    Source.POLICE_REFERRAL: 12,
    Source.PETITION_REFERRAL: 5,
}
AMOUNTS = (800, 1200, 1500, 2000, 3000, 3600, 5000, 6800, 8000, 12000, 20000)
PLACES = ("一组", "二组", "三组", "四组", "东头", "西头", "村部附近", "南街", "北街")


def _say(stdout: TextIO, text: str) -> None:
    stdout.write(f"[mediation] {text}\n")
    if hasattr(stdout, "flush"):
        stdout.flush()


def _id_number(rng: random.Random, born: date) -> str:
    first = f"320722{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first + id_number_check_digit(first)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"


def _org_code(rng: random.Random) -> str:
    first = f"91320722MA{rng.randint(0, 9_999_999):07d}"
    return first + uscc_check_char(first)


# --- committees, accounts, rooms ----------------------------------------------------------------
class Setup:
    def __init__(self) -> None:
        self.orgs = {o.code: o for o in Organization.objects.filter(path__startswith=f"/{COUNTY}/")}
        self.created: Counter[str] = Counter()
        self.password = ""

    def user(
        self,
        username: str,
        name: str,
        org: Organization,
        role: str,
        title: str,
        login: bool = False,
    ) -> User:
        """The demo account (created when missing); only `login` accounts get the published
        password, the generated staff have none, as in the organization demo."""
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user
        user = User(username=username, full_name=name, organization=org, title=title, is_demo=True)
        if login:
            self.password = self.password or make_password(PASSWORD)
            user.password = self.password
        else:
            user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        self.created["users"] += 1
        return user


def _committee_orgs(rng: random.Random, orgs: dict[str, Organization]) -> list[Organization]:
    centers = sorted((o for o in orgs.values() if o.kind == "center"), key=lambda o: o.path)
    townships = [o for o in centers if o.level == Level.TOWNSHIP]
    chosen = [orgs[COUNTY], *townships]
    for township in townships:
        villages = [o for o in centers if o.parent_id == township.pk]
        picks = rng.sample(villages, min(VILLAGES_PER_TOWNSHIP, len(villages)))
        if township.code == PERSONA_TOWNSHIP and PERSONA_VILLAGE in orgs:
            picks = [orgs[PERSONA_VILLAGE], *[v for v in picks if v.code != PERSONA_VILLAGE]][:2]
        chosen += picks
    return chosen


def _committee_name(org: Organization) -> str:
    if org.level == Level.COUNTY:
        return "东海县人民调解委员会"
    return f"{org.area_name or org.name}人民调解委员会"


def _ensure_committee(setup: Setup, rng: random.Random, org: Organization, index: int) -> Committee:
    existing = Committee.objects.filter(organization=org, is_demo=True).first()
    if existing is not None:
        return existing
    # A few committees past their term and a few without a woman member: the register's
    # warnings have something to show.
    start = date(2023, 1, 1) if index % 17 == 5 else date(rng.choice((2024, 2025)), 1, 1)
    end = start.replace(year=start.year + 3) - timedelta(days=1)
    committee = Committee.objects.create(
        name=_committee_name(org),
        level=org.level,
        organization=org,
        path=org.path,
        term_start=start,
        term_end=end,
        address=org.address or f"{org.area_name or org.name}综治中心",
        phone=org.phone,
        is_demo=True,
    )
    size = rng.randint(3, 5) if org.level == Level.VILLAGE else rng.randint(5, 9)
    no_woman = index % 13 == 7
    members = []
    for i in range(size):
        position = "chair" if i == 0 else ("vice_chair" if i == 1 and size > 4 else "member")
        gender = (
            "male" if no_woman else ("female" if i in (1, 3) else rng.choice(("male", "female")))
        )
        members.append(
            CommitteeMember(
                committee=committee,
                name=person_name(rng),
                gender=gender,
                position=position,
                since=start,
            )
        )
    CommitteeMember.objects.bulk_create(members)
    setup.created["committees"] += 1
    return committee


def _ensure_room(
    setup: Setup, committee: Committee, name: str, video: bool = False
) -> MediationRoom:
    room, created = MediationRoom.objects.get_or_create(
        committee=committee,
        name=name,
        defaults={
            "organization": committee.organization,
            "path": committee.path,
            "address": committee.address,
            "is_demo": True,
        },
    )
    setup.created["rooms"] += int(created)
    return room


def _ensure_mediator(
    setup: Setup,
    user: User,
    committee: Committee,
    rooms: list[MediationRoom],
    employment: str,
    specialities: list[str],
) -> Mediator:
    mediator = Mediator.objects.filter(user=user).first()
    if mediator is None:
        own = random.Random(f"{SEED}-{user.username}")  # the other draws stay as they were
        mediator = Mediator.objects.create(
            user=user,
            committee=committee,
            employment=employment,
            specialities=specialities,
            is_demo=True,
            **_qualification(own, employment, committee),
        )
        mediator.rooms.set(rooms)
        setup.created["mediators"] += 1
        setup.created["trainings"] += _trainings(own, mediator, setup.created["mediators"])
    return mediator


QUALIFICATIONS = ("法律职业资格", "人民调解员资格证书", "心理咨询师", "")
ORGANIZERS = ("东海县司法局", "连云港市司法局", "江苏省司法厅")
TRAININGS = (
    "人民调解法及民法典婚姻家庭编专题培训",
    "矛盾纠纷排查化解技能培训",
    "调解文书制作规范培训",
    "视频调解平台操作培训",
)


def _qualification(rng: random.Random, employment: str, committee: Committee) -> dict[str, Any]:
    """What 人民调解法 第十四条 asks to know of a mediator: education, certificate."""
    full_time = employment == Employment.FULL_TIME
    education = rng.choice(
        [Education.COLLEGE, Education.BACHELOR]
        if full_time
        else [Education.SENIOR, Education.COLLEGE, Education.BACHELOR]
    )
    qualification = rng.choice(QUALIFICATIONS[:2] if full_time else QUALIFICATIONS)
    return {
        "education": education,
        "qualification": qualification,
        "certificate_no": f"TJ{committee.term_start.year}{rng.randint(0, 99999):05d}"
        if qualification
        else "",
        "appointed_on": committee.term_start,
    }


def _trainings(rng: random.Random, mediator: Mediator, index: int) -> int:
    """This year's trainings (one or two), except for every sixth mediator, whose last one
    was last year: the warning 本年度未参加培训 has something to show."""
    today = timezone.localdate()
    year_start = date(today.year, 1, 1)
    if index % 6 == 5 or today == year_start:
        days = [date(today.year - 1, rng.randint(3, 11), rng.randint(1, 28))]
    else:
        span = (today - year_start).days
        days = sorted(year_start + timedelta(days=rng.randint(0, span - 1)) for _ in range(2))
        days = days[: rng.randint(1, 2)]
    MediatorTraining.objects.bulk_create(
        MediatorTraining(
            mediator=mediator,
            trained_on=day,
            hours=rng.choice((4, 8, 12, 16)),
            organizer=rng.choice(ORGANIZERS),
            content=rng.choice(TRAININGS),
        )
        for day in days
    )
    return len(days)


def _specialities(rng: random.Random) -> list[str]:
    return rng.sample(list(KIND_WEIGHTS), 3)


def ensure_committees(setup: Setup, rng: random.Random) -> dict[int, dict[str, Any]]:
    """Every committee with its rooms, mediators and chair: {committee id: {...}}."""
    staff: dict[int, dict[str, Any]] = {}
    for index, org in enumerate(_committee_orgs(rng, setup.orgs)):
        committee = _ensure_committee(setup, rng, org, index)
        if org.level == Level.COUNTY:
            rooms = [
                _ensure_room(setup, committee, "县矛盾纠纷调处中心第一调解室"),
                _ensure_room(setup, committee, "县矛盾纠纷调处中心第二调解室"),
            ]
            mdtc = setup.orgs.get(f"{COUNTY}-MDTC", org)
            people = [
                (User.objects.filter(username="mediator").first(), Employment.FULL_TIME),
                (
                    setup.user("tjxa", person_name(rng), mdtc, Role.MEDIATOR, "专职调解员"),
                    Employment.FULL_TIME,
                ),
            ]
            chair = setup.user("tjxzr", person_name(rng), mdtc, Role.MEDIATION_CHAIR, "调委会主任")
        elif org.level == Level.TOWNSHIP:
            rooms = [_ensure_room(setup, committee, f"{org.area_name or org.name}人民调解室")]
            if org.code == PERSONA_TOWNSHIP:
                mediator = setup.user("tjy", "韩雪梅", org, Role.MEDIATOR, "专职调解员", login=True)
                chair = setup.user(
                    "tjzr", "吕国栋", org, Role.MEDIATION_CHAIR, "调委会主任", login=True
                )
            else:
                mediator = setup.user(
                    f"tj{org.code}", person_name(rng), org, Role.MEDIATOR, "专职调解员"
                )
                chair = setup.user(
                    f"tz{org.code}", person_name(rng), org, Role.MEDIATION_CHAIR, "调委会主任"
                )
            people = [(mediator, Employment.FULL_TIME)]
        else:
            rooms = [_ensure_room(setup, committee, f"{org.name}调解室")]
            people = [
                (
                    setup.user(f"tj{org.code}", person_name(rng), org, Role.MEDIATOR, "兼职调解员"),
                    Employment.PART_TIME,
                )
            ]
            chair = None
        mediators = [
            _ensure_mediator(setup, user, committee, rooms, employment, _specialities(rng))
            for user, employment in people
            if user is not None
        ]
        if chair is not None:
            mediators.append(
                _ensure_mediator(
                    setup, chair, committee, rooms, Employment.PART_TIME, _specialities(rng)
                )
            )
        staff[committee.pk] = {
            "committee": committee,
            "rooms": rooms,
            "mediators": [m for m in mediators if m.user_id != getattr(chair, "pk", None)]
            or mediators,
            "chair": chair,
        }
    return staff


# --- disputes ---------------------------------------------------------------------------------
class Plan:
    """One dispute's life, decided in memory before anything is written."""

    def __init__(self, rng: random.Random, now: datetime, registered: datetime) -> None:
        self.rng = rng
        self.now = now
        self.registered = registered
        self.steps: list[tuple[str, datetime, str]] = []  # (action, when, to_state)
        self.state: str = S.REGISTERED
        self.outcome = ""
        self.kind = ""  # the ending: agreement, failed, refused, terminated, window ...
        self.oral = False  # an oral agreement (人民调解法 第二十八条)
        self.reason = ""  # why a party ended the mediation

    def at(self, previous: datetime, low_hours: float, high_hours: float) -> datetime:
        """Some hours after `previous`, when the committee's people are at work."""
        return office_after(previous + timedelta(hours=self.rng.uniform(low_hours, high_hours)))

    def step(self, action: str, when: datetime, to_state: str) -> bool:
        if when > self.now:
            return False
        self.steps.append((action, when, to_state))
        self.state = to_state
        return True


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _registered_times(rng: random.Random, now: datetime, count: int) -> list[datetime]:
    times = []
    for _ in range(count):
        day = now - timedelta(days=rng.uniform(0, 365))
        local = timezone.localtime(day).replace(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
        times.append(office_before(min(local, now - timedelta(minutes=30))))
    return sorted(times)


def _plan(rng: random.Random, now: datetime, registered: datetime, ending: str) -> Plan:
    """Walk the flow from `registered` with realistic gaps, stopping at `now`."""
    p = Plan(rng, now, registered)
    p.kind = ending
    consented = p.at(registered, 2, 48)
    if ending == "refused":
        if p.step("consent", consented, S.NOT_MEDIATED):
            p.outcome = Outcome.REFUSED
            p.step("archive", p.at(consented, 72, 240), S.ARCHIVED)
        return p
    if not p.step("consent", consented, S.REGISTERED):
        return p
    accepted = p.at(consented, 1, 24)
    if not p.step("accept", accepted, S.ACCEPTED):
        return p
    started = p.at(accepted, 2, 72)
    if not p.step("start", started, S.MEDIATING):
        return p
    when = started
    for _ in range(rng.randint(1, 3)):
        when = p.at(when, 24, 120)
        if not p.step("session", when, S.MEDIATING):
            return p
    if ending == "failed":
        if p.step("fail", p.at(when, 1, 4), S.FAILED):
            p.outcome = Outcome.NO_AGREEMENT
            p.step("archive", p.at(p.steps[-1][1], 72, 480), S.ARCHIVED)
        return p
    if ending == "terminated":  # a party ends it (第二十三条), not 调解不成
        if p.step("terminate", p.at(when, 1, 48), S.TERMINATED):
            p.outcome = Outcome.TERMINATED
            p.reason = rng.choice(TERMINATE_REASONS)
            p.step("archive", p.at(p.steps[-1][1], 72, 480), S.ARCHIVED)
        return p
    if ending == "long":  # still being mediated: the handling target's demo
        return p
    signed = p.at(when, 0.5, 2)
    if not p.step("agree", signed, S.AGREED):
        return p
    p.outcome = Outcome.AGREEMENT
    p.oral = ending == "agreement" and rng.random() < 0.08
    if ending in ("window", "unsigned"):  # stays agreed: day-25 warning, missing signature
        return p
    followed = p.at(signed, 24 * 7, 24 * 21)
    if not p.step("follow_up", followed, S.FOLLOWING_UP):
        return p
    p.step("archive", p.at(followed, 24, 24 * 30), S.ARCHIVED)
    return p


def _ending(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return "refused"
    if roll < 0.13:
        return "failed"
    return "terminated" if roll < 0.17 else "agreement"


class Writer:
    """Collects the rows of all disputes, then writes them in bulk."""

    def __init__(self, rng: random.Random, staff: dict[int, dict[str, Any]]) -> None:
        self.rng = rng
        self.staff = staff
        self.grids = self._grids()

    def _grids(self) -> dict[str, list[Grid]]:
        by_path: dict[str, list[Grid]] = defaultdict(list)
        for grid in Grid.objects.select_related("village").filter(
            village__path__startswith=f"/{COUNTY}/"
        ):
            by_path[grid.village.path].append(grid)
        return by_path

    def grid_for(self, committee: Committee) -> Grid | None:
        if committee.level == Level.COUNTY:
            return None
        paths = [p for p in self.grids if p.startswith(committee.path)]
        if not paths:
            return None
        return self.rng.choice(self.grids[self.rng.choice(paths)])


def _committee_weights(staff: dict[int, dict[str, Any]]) -> dict[int, int]:
    weights = {}
    for pk, entry in staff.items():
        committee = entry["committee"]
        weight = {Level.COUNTY: 12, Level.TOWNSHIP: 10, Level.VILLAGE: 3}[committee.level]
        if committee.organization.code == PERSONA_TOWNSHIP:
            weight *= 4
        weights[pk] = weight
    return weights


def _township_of(committee: Committee) -> Organization | None:
    org = committee.organization
    if org.level == Level.TOWNSHIP:
        return org
    return org.parent if org.level == Level.VILLAGE else None


def _slots(
    rng: random.Random, a: str, b: str, committee: Committee, registered: datetime
) -> dict[str, str]:
    place = committee.organization.area_name or committee.organization.name
    month = timezone.localtime(registered - timedelta(days=rng.randint(40, 200)))
    return {"a": a, "b": b, "v": place, "n": str(rng.choice(AMOUNTS)), "m": f"{month:%Y年%m月}"}


def generate(
    stdout: TextIO, staff: dict[int, dict[str, Any]], count: int = DISPUTES
) -> dict[str, int]:
    rng = random.Random(SEED)
    now = timezone.now()
    writer = Writer(rng, staff)
    weights = _committee_weights(staff)
    times = _registered_times(rng, now, count)
    endings = [_ending(rng) for _ in times]
    # A few agreements signed 24 to 27 days ago, nobody having applied to a court yet.
    windows = [_plan_window(rng, now, back) for back in (24, 25, 26, 27)]
    prepared = {len(times) + i: plan for i, plan in enumerate(windows)}
    times += [plan.registered for plan in windows]
    endings += ["window"] * len(windows)
    persona = next(
        (e for e in staff.values() if e["committee"].organization.code == PERSONA_TOWNSHIP), None
    )
    # Two disputes still mediated long after acceptance (past the handling target), and an
    # agreement of three days ago still waiting for the respondent's signature.
    extra = [_plan_long(rng, now, back) for back in (45, 38)]
    extra.append(_plan_window(rng, now, 3, "unsigned"))
    extra.append(_plan_accepted(rng, now))
    prepared |= {len(times) + i: plan for i, plan in enumerate(extra)}
    times += [plan.registered for plan in extra]
    endings += [plan.kind for plan in extra]
    # And a refusal, a failure and a party's termination of the last few days, not archived.
    recent = {}
    for back, ending, state in (
        (3, "refused", S.NOT_MEDIATED),
        (16, "failed", S.FAILED),
        (9, "terminated", S.TERMINATED),
    ):
        recent[len(times)] = plan = _plan_ending_in(now, back, ending, state)
        times.append(plan.registered)
        endings.append(ending)
    order = sorted(range(len(times)), key=lambda i: times[i])
    per_year = Counter(timezone.localtime(times[i]).year for i in order)
    next_no = {y: take_block(Series.DISPUTE, str(y), n) for y, n in per_year.items()}

    disputes, plans = [], []
    for i in order:
        registered, ending = times[i], endings[i]
        entry = staff[_weighted(rng, weights)]
        if i in prepared and persona is not None:  # the windows show on the persona's pages
            entry = persona
        committee = entry["committee"]
        kind = _weighted(rng, KIND_WEIGHTS)
        plan = prepared.get(i) or recent.get(i) or _plan(rng, now, registered, ending)
        a, b = person_name(rng), person_name(rng)
        text = rng.choice(TEXTS[kind])
        slots = _slots(rng, a, b, committee, registered)
        year = timezone.localtime(registered).year
        number = f"TJ{year}-{next_no[year]:06d}"
        next_no[year] += 1
        lead = rng.choice(entry["mediators"])
        grid = writer.grid_for(committee)
        group = kind in ("expropriation", "pollution", "labour") and rng.random() < 0.5
        disputes.append(
            Dispute(
                number=number,
                title=text[0].format(**slots),
                source=_weighted(rng, SOURCE_WEIGHTS),
                kind=kind,
                scale=Scale.GROUP
                if group
                else (Scale.MAJOR if rng.random() < 0.06 else Scale.ORDINARY),
                people_count=rng.randint(6, 40) if group else rng.randint(2, 4),
                committee=committee,
                path=committee.path,
                level=committee.level,
                township=_township_of(committee),
                grid=grid,
                place=f"{(grid.village.area_name or grid.village.name) if grid else '县城'}{rng.choice(PLACES)}",
                summary=text[1].format(**slots),
                state=plan.state,
                registered_by=lead.user,
                registered_at=registered,
                outcome=plan.outcome,
                lead_mediator=lead,
                room=entry["rooms"][0],
                is_demo=True,
                updated_at=plan.steps[-1][1] if plan.steps else registered,
            )
        )
        plans.append((plan, entry, lead, a, b, text, slots))
    _fill_times(disputes, plans)
    Dispute.objects.bulk_create(disputes, batch_size=200)
    counts = _children(rng, disputes, plans)
    counts["disputes"] = len(disputes)
    counts["risk_alerts"] = _risks(rng, disputes)
    return counts


def _plan_ending_in(now: datetime, back: int, ending: str, state: str) -> Plan:
    """A dispute registered about `back` days ago that `now` finds in `state`: the first of
    the nearby days whose walk (in office hours, so its pace depends on the calendar) ends
    there, each day with its own generator so that the rest of the demo does not move."""
    plan = None
    for days in range(back, back + 30):
        rng = random.Random(f"{SEED}-{ending}-{days}")
        registered = office_before(now - timedelta(days=days, hours=rng.randint(1, 6)))
        plan = _plan(rng, now, registered, ending)
        if plan.state == state:
            break
    assert plan is not None
    return plan


def _plan_long(rng: random.Random, now: datetime, back: int) -> Plan:
    """A dispute accepted `back` days ago and still being mediated."""
    registered = office_before(now - timedelta(days=back, hours=rng.randint(2, 6)))
    plan = Plan(rng, now, registered)
    plan.kind = "long"
    plan.step("consent", office_after(registered + timedelta(hours=3)), S.REGISTERED)
    plan.step("accept", office_after(registered + timedelta(days=1)), S.ACCEPTED)
    plan.step("start", office_after(registered + timedelta(days=2)), S.MEDIATING)
    for day in (9, back - 6):
        plan.step("session", office_after(registered + timedelta(days=day, hours=2)), S.MEDIATING)
    return plan


def _plan_accepted(rng: random.Random, now: datetime) -> Plan:
    """A dispute the chair accepted a few hours ago, its mediation not yet begun: the state
    is on the pages whatever the day the demo is loaded."""
    accepted = office_before(now - timedelta(hours=rng.randint(1, 4)))
    registered = office_before(accepted - timedelta(days=1, hours=rng.randint(1, 6)))
    plan = Plan(rng, now, registered)
    plan.kind = "accepted"
    consented = office_after(registered + timedelta(hours=1))
    if consented >= accepted:
        consented = registered + timedelta(minutes=10)
    plan.step("consent", consented, S.REGISTERED)
    plan.step("accept", accepted, S.ACCEPTED)
    return plan


def _plan_window(rng: random.Random, now: datetime, back: int, kind: str = "window") -> Plan:
    """A dispute whose agreement was reached `back` days ago and is still agreed."""
    plan = _plan(rng, now, office_before(now - timedelta(days=90)), kind)
    signed = next(at for action, at, _ in plan.steps if action == "agree")
    # Whole days, so that each step keeps its hour (in office hours) and the agreement is
    # `back` days old.
    shift = timedelta(days=(timezone.localdate(now) - timezone.localdate(signed)).days - back)
    plan.registered += shift
    plan.steps = [(action, at + shift, state) for action, at, state in plan.steps]
    return plan


def _fill_times(disputes: list[Dispute], plans: list[tuple]) -> None:
    for dispute, (plan, *_rest) in zip(disputes, plans, strict=True):
        when = {action: at for action, at, _ in plan.steps}
        dispute.accepted_at = when.get("accept")
        dispute.mediation_started_at = when.get("start")
        ended = (
            when.get("agree")
            or when.get("fail")
            or when.get("terminate")
            or (when.get("consent") if plan.outcome == Outcome.REFUSED else None)
        )
        dispute.outcome_at = ended
        dispute.closed_at = when.get("archive")
        if dispute.accepted_at is not None:
            dispute.handling_due = deadlines.handling_due(timezone.localdate(dispute.accepted_at))
        reasons = {
            Outcome.REFUSED: "因被申请人不同意调解",
            Outcome.NO_AGREEMENT: "经调解未能达成协议",
            Outcome.TERMINATED: f"因被申请人要求终止调解（理由：{plan.reason}）",
        }
        if plan.outcome in reasons:
            dispute.routes_notice = workflow.routes_notice(
                number=dispute.number, reason=reasons[plan.outcome]
            )
            dispute.termination_reason = plan.reason


def _children(rng: random.Random, disputes: list[Dispute], plans: list[tuple]) -> dict[str, int]:
    parties, sessions, session_mediators, agreements, events, dm = [], [], [], [], [], []
    pairs: dict[int, tuple[Party, Party]] = {}  # dispute id -> (applicant, respondent)
    through = Dispute.mediators.through
    for dispute, (plan, entry, lead, a, b, text, slots) in zip(disputes, plans, strict=True):
        dm.append(through(dispute_id=dispute.pk, mediator_id=lead.pk))
        chair = entry["chair"] or lead.user
        steps = {action: at for action, at, _ in plan.steps}
        consent_at = steps.get("consent")
        refused = plan.outcome == Outcome.REFUSED
        born_a = date(rng.randint(1950, 1998), rng.randint(1, 12), rng.randint(1, 28))
        organization = (
            dispute.kind in ("labour", "property_mgmt", "consumer") and rng.random() < 0.5
        )
        parties.append(
            Party(
                dispute=dispute,
                side="applicant",
                name=a,
                id_number=_id_number(rng, born_a),
                phone=_phone(rng),
                address=dispute.place,
                consent=Consent.AGREED if consent_at else Consent.PENDING,
                consent_at=consent_at,
            )
        )
        parties.append(
            Party(
                dispute=dispute,
                side="respondent",
                kind=PartyKind.ORGANIZATION if organization else PartyKind.PERSON,
                name=f"东海县{b[0]}氏{rng.choice(('建筑劳务', '物业服务', '商贸'))}有限公司"
                if organization
                else b,
                id_number=""
                if organization
                else _id_number(rng, born_a.replace(year=born_a.year + rng.randint(-8, 8))),
                org_code=_org_code(rng) if organization else "",
                phone=_phone(rng),
                address=dispute.place,
                consent=(Consent.REFUSED if refused else Consent.AGREED)
                if consent_at
                else Consent.PENDING,
                consent_at=consent_at,
            )
        )
        pairs[dispute.pk] = (parties[-2], parties[-1])
        events.append(
            DisputeEvent(
                dispute=dispute,
                action="register",
                from_state="",
                to_state=S.REGISTERED,
                actor=lead.user,
                note="登记",
                created_at=dispute.registered_at,
            )
        )
        state = S.REGISTERED
        for action, at, to_state in plan.steps:
            actor = chair if action in ("accept", "archive") else lead.user
            note = _note(rng, action, a, b, dispute, plan)
            if action == "session":
                session = Session(
                    dispute=dispute,
                    held_at=at,
                    room=entry["rooms"][0],
                    mode=SessionMode.VIDEO if rng.random() < 0.15 else SessionMode.IN_PERSON,
                    record=rng.choice(SESSION_RECORDS).format(a=a, b=b, s=text[2].format(**slots)),
                    created_by=lead.user,
                    created_at=at,
                )
                sessions.append(session)
                session_mediators.append((session, lead.pk))
                note = f"{session.get_mode_display()}：{timezone.localtime(at):%Y-%m-%d %H:%M}"
            events.append(
                DisputeEvent(
                    dispute=dispute,
                    action=action,
                    from_state=state,
                    to_state=to_state,
                    actor=actor,
                    note=note,
                    created_at=at,
                )
            )
            state = to_state
        if plan.outcome == Outcome.AGREEMENT:
            agreements.append(_agreement(rng, dispute, plan, text, slots, a, b))
    Party.objects.bulk_create(parties, batch_size=500)
    terminated = [d for d in disputes if d.outcome == Outcome.TERMINATED]
    for dispute in terminated:
        dispute.terminated_by = pairs[dispute.pk][1]
    Dispute.objects.bulk_update(terminated, ["terminated_by"], batch_size=200)
    Session.objects.bulk_create(sessions, batch_size=500)
    Session.mediators.through.objects.bulk_create(
        [Session.mediators.through(session_id=s.pk, mediator_id=m) for s, m in session_mediators],
        batch_size=500,
    )
    through.objects.bulk_create(dm, batch_size=500)
    Agreement.objects.bulk_create(agreements, batch_size=500)
    AgreementParty.objects.bulk_create(_signatories(rng, agreements, pairs), batch_size=500)
    DisputeEvent.objects.bulk_create(events, batch_size=1000)
    _tokens(disputes, sessions, agreements)
    return {"parties": len(parties), "sessions": len(sessions), "agreements": len(agreements)}


def _note(rng: random.Random, action: str, a: str, b: str, dispute: Dispute, plan: Plan) -> str:
    if action == "consent":
        if dispute.outcome == Outcome.REFUSED:
            return f"被申请人{b}不同意调解（{rng.choice(REFUSE_NOTES)}），不予调解"
        return f"申请人{a}、被申请人{b}均同意调解"
    if action == "accept" and dispute.handling_due is not None:
        return f"办理目标：{dispute.handling_due:%Y年%m月%d日}前调结（{deadlines.target_text()}）"
    if action == "fail":
        return rng.choice(FAIL_REASONS)
    if action == "terminate":
        return f"被申请人{b}要求终止调解（{cite(23)}）：{plan.reason}"
    if action == "agree":
        if plan.oral:
            return "达成口头调解协议，调解员记录协议内容"
        if plan.kind == "unsigned":
            return f"达成书面调解协议。待签名盖章：被申请人{b}、调委会印章"
        return "达成书面调解协议，各方当事人当场签名，调解员签名，调委会盖章，协议即日生效"
    return ""


def _signatories(
    rng: random.Random, agreements: list[Agreement], pairs: dict[int, tuple[Party, Party]]
) -> list[AgreementParty]:
    """Each party's liability and signature on the written agreements (第二十九条)."""
    rows = []
    for agreement in agreements:
        if agreement.form != AgreementForm.WRITTEN:
            continue
        applicant, respondent = pairs[agreement.dispute_id]
        texts = rng.choice(LIABILITIES)
        for party, liability in zip((applicant, respondent), texts, strict=True):
            unsigned = party is respondent and agreement.effective_at is None
            rows.append(
                AgreementParty(
                    agreement=agreement,
                    party=party,
                    liability=liability.format(a=applicant.name, b=respondent.name),
                    signed_at=None if unsigned else agreement.signed_at,
                    method=""
                    if unsigned
                    else ("seal" if party.kind == PartyKind.ORGANIZATION else "sign"),
                )
            )
    return rows


def _agreement(
    rng: random.Random, dispute: Dispute, plan: Plan, text: tuple, slots: dict, a: str, b: str
) -> Agreement:
    """The agreement of a dispute that reached one: oral (recorded by the mediator, in effect
    when reached) or written, every signature and the seal on the day it was reached (the
    `unsigned` demo waits for the respondent's signature and the seal)."""
    steps = {action: at for action, at, _ in plan.steps}
    signed = steps["agree"]
    lead = dispute.lead_mediator
    agreement = Agreement(
        dispute=dispute,
        form=AgreementForm.ORAL if plan.oral else AgreementForm.WRITTEN,
        matters=text[2].format(**slots),
        terms=text[3].format(**slots),
        performance=text[4].format(**slots),
        signed_at=signed,
        effective_at=None if plan.kind == "unsigned" else signed,
        created_by=lead.user if lead else None,
        created_at=signed,
    )
    if plan.oral:
        _follow_up(rng, agreement, steps, a, b)
        return agreement
    agreement.mediator, agreement.mediator_signed_at = lead, signed
    if plan.kind == "unsigned":
        return agreement
    agreement.sealed_at = signed
    window = deadlines.confirmation_window(timezone.localdate(signed))
    agreement.confirmation_due, agreement.confirmation_warn_on = window.due, window.warn_on
    agreement.confirmation_provisional = window.provisional
    window_open = timezone.localdate(plan.now) <= window.due
    if "follow_up" in steps and rng.random() < 0.18:
        applied = signed + timedelta(days=rng.randint(3, 20))
        if applied < plan.now:
            agreement.confirmation_applied_at = applied
            agreement.court = rng.choice(COURTS)
            decided = applied + timedelta(days=rng.randint(10, 25))
            if decided < plan.now:
                agreement.confirmation_result = "confirmed"
                agreement.result_at = decided
            else:
                agreement.confirmation_result = "pending"
    elif not window_open and agreement.confirmation_applied_at is None:
        # The window closed unused: the system warned on day 25.
        warn = datetime.combine(window.warn_on, datetime.min.time()).replace(hour=1)
        agreement.confirmation_warned_at = timezone.make_aware(warn)
    _follow_up(rng, agreement, steps, a, b)
    return agreement


def _follow_up(
    rng: random.Random, agreement: Agreement, steps: dict[str, datetime], a: str, b: str
) -> None:
    if "follow_up" in steps:
        performed = rng.choices(("yes", "partly", "no"), weights=(85, 10, 5))[0]
        agreement.performed = performed
        agreement.performance_note = FOLLOW_UP_NOTES[performed].format(a=a, b=b)
        agreement.performance_checked_at = steps["follow_up"]


def _tokens(disputes: list[Dispute], sessions: list[Session], agreements: list[Agreement]) -> None:
    records: dict[int, list[str]] = defaultdict(list)
    for session in sessions:
        records[session.dispute_id].append(session.record)
    terms = {ag.dispute_id: [ag.matters, ag.terms] for ag in agreements}
    archived = [d for d in disputes if d.state == S.ARCHIVED]
    for dispute in archived:
        parts = [dispute.title, dispute.summary, *records[dispute.pk], *terms.get(dispute.pk, [])]
        dispute.search_tokens = " ".join(search_tokens("\n".join(parts)))
    Dispute.objects.bulk_update(archived, ["search_tokens"], batch_size=200)


def _risks(rng: random.Random, disputes: list[Dispute]) -> int:
    flagged = 0
    candidates = [d for d in disputes if d.state != S.REGISTERED and d.outcome != Outcome.REFUSED]
    for dispute in rng.sample(candidates, min(12, len(candidates))):
        kind = "group_petition" if dispute.scale == Scale.GROUP or flagged % 3 == 2 else "criminal"
        field = "risk_criminal" if kind == "criminal" else "risk_group_petition"
        when = office_after(
            (dispute.accepted_at or dispute.registered_at) + timedelta(hours=rng.randint(2, 48))
        )
        Dispute.objects.filter(pk=dispute.pk).update(
            **{field: True}, risk_note=RISK_NOTES[kind], risk_flagged_at=when
        )
        DisputeEvent.objects.create(
            dispute=dispute,
            action="flag_risk",
            from_state=dispute.state,
            to_state=dispute.state,
            actor=dispute.registered_by,
            note=f"风险：{RISK_NOTES[kind]}",
            created_at=when,
        )
        alert = risk_alert_open(
            dispute_id=dispute.pk, kind=kind, note=RISK_NOTES[kind], opened_at=when
        )
        if alert is not None:
            flagged += 1
    return flagged


def load(*, stdout: TextIO) -> dict[str, Any]:
    """Write the mediation demo; a second run creates only what is missing (nothing)."""
    started = time.monotonic()
    rng = random.Random(SEED)
    with transaction.atomic():
        setup = Setup()
        if COUNTY not in setup.orgs:
            _say(stdout, "未找到演示组织机构，跳过（请先加载组织机构演示数据）")
            return {"created": {}}
        staff = ensure_committees(setup, rng)
    _say(
        stdout,
        f"调委会 {Committee.objects.count()}、调解员 {Mediator.objects.count()}、"
        f"调解室 {MediationRoom.objects.count()}（新建 {sum(setup.created.values())}） ... "
        f"{time.monotonic() - started:.1f}s",
    )
    created: dict[str, int] = dict(setup.created)
    if Dispute.objects.filter(is_demo=True).exists():
        _say(stdout, f"已有演示纠纷 {Dispute.objects.filter(is_demo=True).count()} 件，跳过生成")
        return {"created": created}
    with transaction.atomic():
        created |= generate(stdout, staff)
        created["warned"] = confirmation_warn_due()
        created["late"] = handling_warn_due()
        audit(None, "mediation.demo.load", None, created=created)
    states = Counter(Dispute.objects.filter(is_demo=True).values_list("state", flat=True))
    labels = dict(DisputeState.choices)
    summary = "、".join(f"{labels[s]} {n}" for s, n in sorted(states.items()))
    _say(
        stdout,
        f"矛盾纠纷 {created['disputes']} 件（{summary}），风险预警 {created['risk_alerts']} 条，"
        f"司法确认到期提醒 {created['warned']} 条，超过办理目标 {created['late']} 件 ... "
        f"{time.monotonic() - started:.1f}s",
    )
    return {"created": created}
