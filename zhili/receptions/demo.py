"""`zhili demo` for leader reception (runs after the petitions demo).

- County leaders `xld1`..`xld5` (role county_leader, is_demo) besides the persona `leader`
  (王立新), and township secretaries `xsj001`, `xsj002`, `xsj004`, `xsj005` besides the
  persona `secretary` (白塔埠镇, 320722003).
- The county rota for every working day of the last, the current and the next month (the
  leaders in turn), so that days gone exist whatever the day of the month; township rotas on
  Tuesdays and Thursdays for five townships.
- Days gone: 1-3 appointments each, received (with the reception record: in person or by
  video, some joint receptions with departments) or, now and then, not come.
- Days coming (the next five county rota days and the townships' next ones): bookings,
  some for demo petitions.
- 包案: county and township leaders own some open demo petitions, a few overdue, a few
  resolved.

Idempotent: users are got-or-created, a rota day that exists is kept, a day that already
has appointments gets none, a petition that has an owner gets no other. Deterministic
(a fixed seed); a few seconds.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from zhili.core import workcal
from zhili.core.dossier import record_history
from zhili.core.roles import Role
from zhili.orgs.demo.data import COUNTY, PASSWORD, person_name
from zhili.orgs.models import Organization, User
from zhili.petitions.models import Petition
from zhili.petitions.models import State as PetitionState
from zhili.receptions import selectors, workflow
from zhili.receptions.models import (
    Appointment,
    AppointmentState,
    Mode,
    Ownership,
    Reception,
    RotaDay,
)
from zhili.receptions.services import (
    appointment_book,
    next_appointment_no,
    ownership_assign,
    ownership_progress,
    ownership_resolve,
    rota_set,
)

SEED = 20261126
COUNTY_LEADERS = [
    ("xld1", "周建华", "县委书记"),
    ("xld2", "吴晓明", "县委副书记、县长"),
    ("xld3", "郑国强", "县委常委、常务副县长"),
    ("xld4", "冯丽萍", "副县长"),
    ("xld5", "何志远", "副县长、公安局局长"),
]
# Township code suffix -> the secretary's username; 003 is the persona `secretary`.
TOWNSHIP_SECRETARIES = {"001": "xsj001", "002": "xsj002", "004": "xsj004", "005": "xsj005"}
ROTA_TOWNSHIPS = ["001", "002", "003", "004", "005"]
TOWNSHIP_WEEKDAYS = {1, 3}  # Tuesday, Thursday
JOINT_UNITS = ["RSJ", "ZJJ", "ZRZYJ", "SFJ", "GAJ", "MZJ", "STHJJ", "XFJ"]
SLOTS = [time(8, 30), time(9, 0), time(9, 30), time(10, 0), time(10, 30), time(11, 0)]

MATTERS = [
    (
        "企业拖欠农民工工资",
        "反映某建筑公司拖欠其与工友共计十余人2025年度工资，多次讨要未果，要求尽快结清。",
        "责成人社局牵头，会同住建局约谈施工企业，督促十日内足额支付；逾期移送劳动监察立案。",
        "RSJ",
    ),
    (
        "征地补偿标准争议",
        "反映村里征地青苗补偿标准低于周边乡镇，部分农户补偿款至今未到账，要求重新核算。",
        "由自然资源和规划局会同所在镇核实征地批复和补偿台账，十五日内书面答复补偿依据。",
        "ZRZYJ",
    ),
    (
        "小区物业服务纠纷",
        "反映小区物业公司长期不履行维修义务，电梯多次故障，业主委员会与物业矛盾激化。",
        "住建局督促物业公司五日内完成电梯检修，并指导街道召开业主协调会。",
        "ZJJ",
    ),
    (
        "宅基地界址纠纷",
        "与邻居因宅基地界址争议多年，经村组调解未果，担心矛盾激化，请求上级调处。",
        "由司法局指导镇调委会组织现场勘界调解，自然资源部门提供原始登记资料。",
        "SFJ",
    ),
    (
        "养殖场污染扰民",
        "反映村旁养殖场粪污直排，气味刺鼻、污染河沟，多次向镇里反映仍未整改。",
        "生态环境局三日内现场检测取证，依法责令限期整改，镇政府跟踪落实。",
        "STHJJ",
    ),
    (
        "低保资格认定",
        "反映家中老人长期患病无劳动能力，申请低保被认定不符合条件，要求重新评估。",
        "民政局会同镇民政办入户复核家庭经济状况，二十日内出具复核意见。",
        "MZJ",
    ),
    (
        "交通事故赔偿执行难",
        "交通事故判决生效一年多，对方至今未履行赔偿，生活困难，请求协调执行。",
        "告知其向法院申请强制执行的途径，县司法局提供法律援助，信访局跟踪。",
        "SFJ",
    ),
    (
        "房屋漏水质量问题",
        "反映新购商品房交付不足两年即出现严重漏水，开发商推诿不修。",
        "住建局约谈开发企业，督促按质保条款七日内维修，逾期纳入信用记录。",
        "ZJJ",
    ),
]
PROGRESS = [
    "召集相关部门和属地镇召开协调会，明确责任分工和化解时限。",
    "带队入户走访信访人，面对面听取诉求，做好思想疏导。",
    "听取责任单位工作进展汇报，督促加快办理进度。",
    "协调落实救助资金，信访人情绪基本稳定。",
]
RESOLUTIONS = [
    "经多方协调，问题已按政策解决，信访人签字息诉罢访。",
    "相关款项已全部兑付到位，信访人表示满意。",
    "经调解双方达成一致，已签订协议并履行完毕。",
]


class _Progress:
    def __init__(self, stdout: TextIO) -> None:
        self.stdout = stdout

    def __call__(self, message: str) -> None:
        self.stdout.write(f"  领导接访：{message}\n")


def _month_start(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _users(org_by_code: dict[str, Organization]) -> tuple[list[User], dict[str, User]]:
    """The county leaders on the rota (persona first) and the township secretaries."""
    password = None
    groups = {r: Group.objects.get_or_create(name=r)[0] for r in Role.values}

    def ensure(username: str, name: str, role: str, org: Organization, title: str) -> User:
        nonlocal password
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user
        password = password or make_password(PASSWORD)
        user = User.objects.create(
            username=username,
            full_name=name,
            title=title,
            organization=org,
            password=password,
            is_demo=True,
        )
        user.groups.add(groups[role])
        return user

    county = org_by_code[COUNTY]
    leaders = [u for u in [User.objects.filter(username="leader").first()] if u is not None]
    leaders += [ensure(u, n, Role.COUNTY_LEADER, county, t) for u, n, t in COUNTY_LEADERS]
    rng = random.Random(SEED)
    secretaries: dict[str, User] = {}
    persona = User.objects.filter(username="secretary").first()
    if persona is not None:
        secretaries["003"] = persona
    for suffix, username in TOWNSHIP_SECRETARIES.items():
        org = org_by_code.get(f"{COUNTY}{suffix}")
        if org is not None:
            secretaries[suffix] = ensure(
                username, person_name(rng), Role.TOWNSHIP_SECRETARY, org, "党委副书记、政法委员"
            )
    return leaders, secretaries


def _rota(actor: User, org: Organization, days: list[date], leaders: list[User]) -> list[RotaDay]:
    existing = {r.date: r for r in RotaDay.objects.filter(organization=org, date__in=days)}
    out = []
    for n, day in enumerate(days):
        if day in existing:
            out.append(existing[day])
            continue
        leader = leaders[n % len(leaders)]
        out.append(rota_set(actor=actor, organization=org, day=day, leader=leader, allow_past=True))
    return out


def _received_at(day: date, slot: time, rng: random.Random) -> datetime:
    tz = timezone.get_current_timezone()
    return datetime.combine(day, slot, tz) + timedelta(minutes=rng.randint(0, 20))


def _past_day(
    rota_day: RotaDay,
    rng: random.Random,
    units: dict[str, Organization],
    staff: User,
    petitions: list[Petition],
) -> tuple[int, int]:
    """Appointments and their reception records of a day gone (written as they happened)."""
    received = 0
    count = rng.randint(1, 3)
    for slot in sorted(rng.sample(SLOTS[: max(rota_day.slots, 1)], count)):
        title, request, decision, unit_code = rng.choice(MATTERS)
        booked_at = _received_at(rota_day.date, slot, rng) - timedelta(days=rng.randint(2, 6))
        petition = petitions.pop() if petitions and rng.random() < 0.4 else None
        people = [p.petitioner for p in petition.parties.all()] if petition else []
        no_show = rng.random() < 0.1
        appointment = Appointment.objects.create(
            rota_day=rota_day,
            number=next_appointment_no(booked_at),
            org_path=rota_day.org_path,
            visitor_name="" if people else person_name(rng),
            visitor_phone="" if people else f"13{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
            people_count=max(len(people), 1),
            petition=petition,
            slot_time=slot,
            subject=petition.title[:200] if petition else title,
            state=AppointmentState.NO_SHOW if no_show else AppointmentState.RECEIVED,
            booked_by=staff,
            booked_at=booked_at,
            updated_at=booked_at,
        )
        appointment.petitioners.set(people)
        _event(appointment, "book", "", AppointmentState.BOOKED, staff, booked_at)
        at = _received_at(rota_day.date, slot, rng)
        if no_show:
            _event(
                appointment, "no_show", AppointmentState.BOOKED, AppointmentState.NO_SHOW, staff, at
            )
            continue
        joint = rng.random() < 0.3
        unit = units.get(unit_code)
        reception = Reception.objects.create(
            appointment=appointment,
            rota_day=rota_day,
            leader_id=rota_day.leader_id,
            organization_id=rota_day.organization_id,
            org_path=rota_day.org_path,
            received_at=at,
            mode=Mode.VIDEO if rng.random() < 0.25 else Mode.IN_PERSON,
            petition=petition,
            visitor_name=appointment.visitor_name,
            visitor_phone=appointment.visitor_phone,
            people_count=appointment.people_count,
            request=request,
            decision=decision,
            assigned_unit=unit,
            deadline=rota_day.date + timedelta(days=rng.choice([7, 10, 15, 30])),
            recorded_by=staff,
            created_at=at,
        )
        reception.petitioners.set(people)
        # Staff of the rota's level attend: the petition officer at the county, a township
        # officer at a township (as `services.records` requires).
        org = rota_day.organization
        reception.staff.set([staff] if org.level == "county" else selectors.staff_for(org)[:1])
        if joint and unit is not None:
            others = [units[c] for c in rng.sample(JOINT_UNITS, 2) if c in units and c != unit_code]
            reception.departments.set([unit, *others[:1]])
        _event(
            appointment,
            "receive",
            AppointmentState.BOOKED,
            AppointmentState.RECEIVED,
            rota_day.leader,
            at,
        )
        received += 1
    return count, received


def _event(
    appointment: Appointment, action: str, before: str, after: str, actor: User, at: datetime
) -> None:
    record_history(
        workflow.KIND, appointment, action, from_state=before, to_state=after, actor=actor, at=at
    )


def _book_coming(
    rota_day: RotaDay, rng: random.Random, actor: User, petitions: list[Petition]
) -> int:
    count = rng.randint(1, 3)
    for slot in sorted(rng.sample(SLOTS[: max(rota_day.slots, 1)], count)):
        petition = petitions.pop() if petitions and rng.random() < 0.5 else None
        title = rng.choice(MATTERS)[0]
        appointment_book(
            actor=actor,
            rota_day=rota_day,
            slot_time=slot,
            subject="" if petition else title,
            petition=petition,
            visitor_name="" if petition and petition.parties.exists() else person_name(rng),
            visitor_phone=f"13{rng.randint(0, 9)}{rng.randint(10**7, 10**8 - 1)}",
        )
    return count


def _ownerships(
    actor: User,
    leaders: list[User],
    secretaries: dict[str, User],
    petitions: list[Petition],
    rng: random.Random,
    today: date,
) -> int:
    made = 0
    by_code = {f"{COUNTY}{suffix}": user for suffix, user in secretaries.items()}
    for n, petition in enumerate(petitions):
        if Ownership.objects.filter(petition=petition).exists():
            continue
        # County leaders own county-level petitions; a township's, its secretary.
        org = selectors.owner_organization(petition)
        leader = leaders[n % len(leaders)] if org.level == "county" else by_code.get(org.code)
        if leader is None:
            continue
        since = today - timedelta(days=rng.randint(10, 90))
        overdue = n % 5 == 1
        target = (
            today - timedelta(days=rng.randint(1, 9))
            if overdue
            else today + timedelta(days=rng.randint(7, 60))
        )
        target = max(target, since)
        ownership = ownership_assign(
            actor=actor,
            leader=leader,
            petition=petition,
            target_date=target,
            since=since,
            note=f"{leader.display_name}包案，限期化解。",
        )
        ownership_progress(actor=actor, ownership=ownership, note=rng.choice(PROGRESS))
        if n % 4 == 3:
            ownership_resolve(actor=actor, ownership=ownership, resolution=rng.choice(RESOLUTIONS))
        _backdate(ownership, since, today, rng)
        made += 1
    return made


def _by_date(day: RotaDay) -> tuple[date, str]:
    return day.date, day.org_path


def _backdate(ownership: Ownership, since: date, today: date, rng: random.Random) -> None:
    """Spread the notes between the day of taking over and today, as they happened."""
    tz = timezone.get_current_timezone()
    span = max((today - since).days - 1, 1)
    moments = sorted(rng.randint(1, span) for _ in range(ownership.notes.count()))
    for note, offset in zip(ownership.notes.order_by("id"), [0, *moments], strict=False):
        note.created_at = datetime.combine(since + timedelta(days=offset), time(10), tz)
        note.save(update_fields=["created_at"])
    Ownership.objects.filter(pk=ownership.pk).update(
        created_at=datetime.combine(since, time(10), tz)
    )
    if ownership.state == "resolved":
        Ownership.objects.filter(pk=ownership.pk).update(resolved_at=note.created_at)


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    say = _Progress(stdout)
    codes = (
        [COUNTY] + [f"{COUNTY}{s}" for s in ROTA_TOWNSHIPS] + [f"{COUNTY}-{u}" for u in JOINT_UNITS]
    )
    org_by_code = {o.code: o for o in Organization.objects.filter(code__in=codes)}
    actor = User.objects.filter(username="petition").first()
    if COUNTY not in org_by_code or actor is None:
        say("未找到演示组织或信访干部（petition），跳过")
        return
    leaders, secretaries = _users(org_by_code)
    today = timezone.localdate()
    first, last = _month_start(today, -1), _month_start(today, 2) - timedelta(days=1)
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    workdays = [d for d in days if workcal.is_workday(d)]
    county_days = _rota(actor, org_by_code[COUNTY], workdays, leaders)
    township_days: list[RotaDay] = []
    for suffix in ROTA_TOWNSHIPS:
        org = org_by_code.get(f"{COUNTY}{suffix}")
        if org is None or suffix not in secretaries:
            continue
        picked = [d for d in workdays if d.weekday() in TOWNSHIP_WEEKDAYS]
        township_days += _rota(actor, org, picked, [secretaries[suffix]])
    say(f"接访日程 县级 {len(county_days)} 天，乡镇 {len(township_days)} 天")

    rng = random.Random(SEED)
    units = {code.rsplit("-", 1)[1]: o for code, o in org_by_code.items() if "-" in code}
    open_petitions = list(
        Petition.objects.exclude(state=PetitionState.CLOSED)
        .prefetch_related("parties__petitioner")
        .order_by("id")[:80]
    )
    # Petitions linked to appointments (past and coming apart); the first 20 get owners.
    past_pool, coming_pool = open_petitions[20::2], open_petitions[21::2]
    booked = received = 0
    with_appointments = set(
        Appointment.objects.filter(rota_day__in=county_days + township_days).values_list(
            "rota_day_id", flat=True
        )
    )
    fresh = [d for d in county_days + township_days if d.pk not in with_appointments]
    for rota_day in fresh:
        if rota_day.date < today:
            n, r = _past_day(rota_day, rng, units, actor, past_pool)
            booked, received = booked + n, received + r
    # The first coming days get bookings, once: those already booked are skipped.
    coming = sorted((d for d in county_days + township_days if d.date >= today), key=_by_date)
    for rota_day in coming[:12]:
        if rota_day.pk not in with_appointments:
            booked += _book_coming(rota_day, rng, actor, coming_pool)
    say(f"预约 {booked} 个，已接待并记录 {received} 次")
    owned = _ownerships(actor, leaders, secretaries, open_petitions[:20], rng, today)
    say(f"领导包案 {owned} 件")
