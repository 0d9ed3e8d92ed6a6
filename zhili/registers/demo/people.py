"""One grid's households, drawn (no database): families in their houses, some houses let to
tenants of the floating population (流动人口), a few shops, workshops and empty houses, and a
few safety hazards. The rows are model instances not yet saved; `loader` writes them.

A household is 2–5 people under one roof: a head, the spouse (a wife keeps her own surname,
as in China), children and grandchildren with the head's surname, an old parent. Its ages
fit (a child is 20–35 years younger than the mother). The kind of household follows the
place: a village has more old couples and children left with grandparents while the
parents work away (留守, `Resident.left_behind`), a community more young families and more
let flats. Locals carry Donghai's region code (320722), tenants the code of their home
county (`words.ORIGINS`), a Hong Kong or Macau resident the 810000/820000 of the 港澳居民居住证.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from zhili.core.personal import id_number_check_digit
from zhili.registers.demo import words
from zhili.registers.demo.grounds import GridPlan, Places
from zhili.registers.models import (
    Hazard,
    House,
    HouseOwnership,
    HouseStructure,
    HouseUse,
    Person,
    Sex,
    Tenancy,
)

COUNTY_CODE = "320722"
# (kind, weight in a village, weight in a community)
HOUSEHOLDS = [
    ("couple", 14, 18),
    ("nuclear", 28, 40),
    ("three_gen", 26, 28),
    ("elderly", 14, 10),
    ("skip_gen", 9, 2),
    ("wife_kids", 9, 2),
]
# Of a grid's households: let houses, empty houses, workshops (village, community).
LET = (0.07, 0.15)
VACANT = 0.03
TENANTS_PER_HOUSEHOLD = 0.82  # a let house's 2.7 tenants over a household's 3.3 people
WORKSHOP = (0.02, 0.0)
OVERSEAS = 10  # one in this many of a community's let houses: a Hong Kong or Macau tenant
# The region codes of the 港澳居民居住证 (GB 11643 numbers of Hong Kong and Macau residents).
OVERSEAS_REGIONS = [
    ("810000", "中国香港", "香港特别行政区"),
    ("820000", "中国澳门", "澳门特别行政区"),
]


@dataclass
class Resident:
    person: Person
    age: int
    local: bool
    quiet: bool  # the grid's first household: the warnings demo gives it its roles
    left_behind: str = ""  # 儿童, 妇女 or 老人
    guardian: Person | None = None  # a child's parent or a patient's kin
    overseas: tuple[str, str] | None = None  # the name in the Latin script (surname, given)
    tenancy: Tenancy | None = None
    household: int = 0  # the household's number in the grid (tenants: their house's)
    home: House | None = None


@dataclass
class GridDraft:
    plan: GridPlan
    residents: list[Resident] = field(default_factory=list)
    houses: list[House] = field(default_factory=list)
    tenancies: list[Tenancy] = field(default_factory=list)
    hazards: list[Hazard] = field(default_factory=list)


class Drawing:
    """The state shared by every grid's drawing: the day, the ID numbers and phones taken
    (the register's and those drawn so far), a counter for residence permits."""

    def __init__(self, now: datetime, taken: set[str], phones: set[str]):
        self.now, self.today = now, now.date()
        self.taken, self.phones = taken, phones
        self.permits = 0

    def id_number(self, rng: random.Random, region: str, born: date, male: bool) -> str:
        while True:
            seq = rng.randrange(0, 500) * 2 + (1 if male else 0)  # the 17th digit: the sex
            first = f"{region}{born:%Y%m%d}{seq:03d}"
            number = first + id_number_check_digit(first)
            if number not in self.taken:
                self.taken.add(number)
                return number

    def phone(self, rng: random.Random) -> str:
        while True:
            number = f"1{rng.choice('35789')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def moment(self, rng: random.Random, day: date) -> datetime:
        """A working-hours moment of `day`, never after now."""
        at = datetime.combine(day, time(8, 30), self.now.tzinfo)
        at += timedelta(minutes=rng.randint(0, 540))
        return min(at, self.now - timedelta(minutes=rng.randint(5, 600)))


def draw_grid(rng: random.Random, drawing: Drawing, plan: GridPlan) -> GridDraft:
    draft = GridDraft(plan)
    places = Places(rng, plan)
    heads: list[Person] = []
    # The wanted residents less the tenants the let houses will bring.
    wanted = plan.people / (1 + TENANTS_PER_HOUSEHOLD * LET[plan.community])
    while len(draft.residents) < wanted:
        quiet = not heads
        members = _household(rng, drawing, plan, quiet)
        head = members[0].person
        heads.append(head)
        use = HouseUse.SHOP if plan.community and rng.random() < 0.06 else HouseUse.HOME
        house = _house(rng, drawing, places, head, use)
        draft.houses.append(house)
        for resident in members:
            places.lodge(resident.person, house)
            resident.household, resident.home = len(draft.houses), house
        draft.residents += members
    households = len(heads)
    for n in range(_share(rng, households, LET[plan.community])):
        house = _house(rng, drawing, places, rng.choice(heads), HouseUse.RENTAL, let=True)
        draft.houses.append(house)
        overseas = plan.community and n % OVERSEAS == OVERSEAS // 2
        tenants = _tenants(rng, drawing, house, overseas=overseas)
        for resident in tenants:
            places.lodge(resident.person, house)
            resident.household, resident.home = len(draft.houses), house
            assert resident.tenancy is not None
            draft.tenancies.append(resident.tenancy)
        draft.residents += tenants
    for use, rate in [
        (HouseUse.VACANT, VACANT),
        (rng.choice([HouseUse.WORKSHOP, HouseUse.WAREHOUSE]), WORKSHOP[plan.community]),
    ]:
        for _ in range(_share(rng, households, rate)):
            draft.houses.append(_house(rng, drawing, places, rng.choice(heads), use))
    draft.hazards = [h for house in draft.houses for h in _hazards(rng, drawing, house)]
    return draft


def _share(rng: random.Random, n: int, rate: float) -> int:
    """About `rate` of `n`, rounded at random (so small grids get some too)."""
    whole = n * rate
    return int(whole) + (rng.random() < whole - int(whole))


def _household(rng: random.Random, drawing: Drawing, plan: GridPlan, quiet: bool) -> list[Resident]:
    kinds = [k for k, _, _ in HOUSEHOLDS]
    weights = [c if plan.community else v for _, v, c in HOUSEHOLDS]
    kind = "nuclear" if quiet else rng.choices(kinds, weights)[0]
    name = words.surname(rng)
    add = _Family(rng, drawing, plan, name, quiet)
    if kind == "couple":
        head = add.man(rng.randint(24, 80))
        add.wife(head)
    elif kind in ("nuclear", "three_gen"):
        head = add.man(rng.randint(30, 58) if kind == "three_gen" else rng.randint(26, 52))
        wife = add.wife(head)
        add.children(wife, rng.choice([1, 1, 2, 2, 3][: 5 if kind == "nuclear" else 4]))
        if kind == "three_gen":
            add.elder(head)
    elif kind == "elderly":
        head = add.man(rng.randint(64, 88))
        add.wife(head)
        for resident in add.members:
            resident.left_behind = "老人" if rng.random() < 0.1 else ""
    elif kind == "skip_gen":
        grandpa = add.man(rng.randint(56, 76))
        grandma = add.wife(grandpa)
        for child in add.children(grandma, rng.choice([1, 1, 2]), grand=True):
            child.left_behind = "儿童" if child.age < 16 and rng.random() < 0.4 else ""
            child.guardian = grandpa.person
    else:  # wife_kids: the husband works away
        mother = add.woman(rng.randint(26, 44))
        mother.left_behind = "妇女" if rng.random() < 0.15 else ""
        for child in add.children(mother, rng.choice([1, 2, 2, 3])):
            child.left_behind = "儿童" if child.age < 16 and rng.random() < 0.15 else ""
    return add.members


class _Family:
    """Draws a local household's members, the head first."""

    def __init__(
        self, rng: random.Random, drawing: Drawing, plan: GridPlan, name: str, quiet: bool
    ):
        self.rng, self.drawing, self.plan, self.name, self.quiet = rng, drawing, plan, name, quiet
        self.members: list[Resident] = []
        # The household is registered at one visit of the grid's registration drive.
        day = drawing.today - timedelta(days=rng.randint(120, 1000))
        self.registered = drawing.moment(rng, day)

    def _add(self, surname: str, male: bool, age: int, married: bool) -> Resident:
        rng, drawing, registered = self.rng, self.drawing, self.registered
        person = _person(rng, drawing, COUNTY_CODE, surname, male, age, registered, married=married)
        _local_facts(self.rng, person, age, self.plan.community)
        resident = Resident(person, age, local=True, quiet=self.quiet)
        self.members.append(resident)
        return resident

    def man(self, age: int) -> Resident:
        return self._add(self.name, True, age, married=True)

    def woman(self, age: int) -> Resident:
        return self._add(words.surname(self.rng), False, age, married=True)

    def wife(self, husband: Resident) -> Resident:
        age = max(20, min(95, husband.age + self.rng.randint(-6, 2)))
        return self._add(words.surname(self.rng), False, age, married=True)

    def children(self, mother: Resident, n: int, grand: bool = False) -> list[Resident]:
        low, high = (46, 62) if grand else (21, 35)  # the mothers are at least `low`
        kids = []
        for _ in range(n):
            age = mother.age - self.rng.randint(low, max(low, min(high, mother.age)))
            if age < 0:  # a young couple's child not born yet
                continue
            kid = self._add(self.name, self.rng.random() < 0.52, age, married=age >= 27)
            kid.guardian = self.members[0].person
            kids.append(kid)
        return kids

    def elder(self, head: Resident) -> Resident:
        male = self.rng.random() < 0.4  # widows outlive widowers
        age = min(96, head.age + self.rng.randint(24, 32))
        surname = self.name if male else words.surname(self.rng)
        elder = self._add(surname, male, age, married=True)
        elder.person.marital_status = "丧偶"
        return elder


def _person(
    rng: random.Random,
    drawing: Drawing,
    region: str,
    surname: str,
    male: bool,
    age: int,
    registered: datetime,
    *,
    married: bool,
) -> Person:
    """A person of `age` registered at `registered` (a baby born since: a month after birth)."""
    born = drawing.today - timedelta(days=age * 365 + rng.randint(0, 364))
    if registered.date() < born + timedelta(days=30):
        day = min(drawing.today, born + timedelta(days=rng.randint(30, 60)))
        registered = drawing.moment(rng, day)
    adult = age >= 18
    return Person(
        created_at=registered,
        updated_at=registered,
        id_number=drawing.id_number(rng, region, born, male),
        name=surname + words.given(rng, male),
        sex=Sex.MALE if male else Sex.FEMALE,
        birth_date=born,
        ethnicity="汉族" if rng.random() < 0.995 else "回族",
        marital_status=("已婚" if married else "未婚") if adult else "",
        political_status=_politics(rng, age),
        education=_education(rng, age),
        religion="无",
        phone=drawing.phone(rng)
        if age >= 16 and rng.random() < (0.95 if age < 75 else 0.6)
        else "",
    )


def _politics(rng: random.Random, age: int) -> str:
    if 14 <= age <= 28 and rng.random() < 0.3:
        return "共青团员"
    if age >= 22 and rng.random() < 0.07:
        return "中共党员"
    return "群众"


def _education(rng: random.Random, age: int) -> str:
    if age < 6:
        return "学龄前"
    if age < 12:
        return "小学在读"
    if age < 15:
        return "初中在读"
    if age < 18:
        return "高中在读"
    return rng.choice(words.OLD_EDUCATION if age >= 60 else words.EDUCATION)


def _local_facts(rng: random.Random, person: Person, age: int, community: bool) -> None:
    person.native_place = "江苏东海"
    if age < 18:
        person.occupation = "学生" if age >= 6 else "学龄前儿童"
    elif age >= 65:
        person.occupation = "农民" if not community and rng.random() < 0.5 else "离退休人员"
    elif age <= 22 and rng.random() < 0.5:
        person.occupation, person.education = "学生", rng.choice(["大专在读", "本科在读"])
    else:
        person.occupation = rng.choice(words.LOCAL_WORK)
        if person.occupation == "外出务工人员":
            person.workplace = f"{rng.choice(words.ABROAD)}（外出务工）"


def _tenants(
    rng: random.Random, drawing: Drawing, house: House, *, overseas: bool
) -> list[Resident]:
    """A let house's tenants: a family from elsewhere, or workers sharing it; now and then
    (a community's) someone from Hong Kong or Macau."""
    start = drawing.today - timedelta(days=rng.randint(20, 1000))
    end = None
    if rng.random() < 0.75:
        years = max(1, math.ceil(((drawing.today - start).days + 15) / 365))
        end = start + timedelta(days=365 * years)
    arrived = drawing.moment(rng, min(drawing.today, start + timedelta(days=rng.randint(0, 14))))
    family = overseas or rng.random() < 0.55  # else workers sharing the house
    if overseas:  # a manager of a Hong Kong or Macau investor, with the spouse
        region, native, origin = rng.choice(OVERSEAS_REGIONS)
        ages = [rng.randint(35, 58)]
        ages.append(ages[0] - rng.randint(0, 5))
    else:
        region, native, origin = rng.choice(words.ORIGINS)
        if family:
            father = rng.randint(24, 46)
            ages = [father, max(20, father - rng.randint(0, 4))]
            ages += [father - rng.randint(22, 30) for _ in range(rng.choice([0, 1, 1, 2]))]
        else:
            ages = [rng.randint(18, 50) for _ in range(rng.randint(2, 4))]
    name = words.surname(rng)
    job, work = words.OVERSEAS_WORK if overseas else rng.choice(words.TENANT_WORK)
    tenants = []
    for n, age in enumerate(a for a in ages if a >= 0):
        male = (n == 0 or (n >= 2 and rng.random() < 0.52)) if family else rng.random() < 0.7
        surname = name if family and n != 1 else words.surname(rng)
        person = _person(rng, drawing, region, surname, male, age, arrived, married=age >= 24)
        person.native_place = native
        if overseas:
            person.registered_address = f"{origin}{rng.choice(words.HK_DISTRICTS[region])}"
        else:
            person.registered_address = (
                f"{origin}{rng.choice(words.HOME_VILLAGE)}{rng.choice('庄集圩岭湖')}村"
                f"{rng.randint(1, 9)}组{rng.randint(1, 60)}号"
            )
        person.same_as_registered = False
        if age < 18:
            person.occupation = "学生" if age >= 6 else "学龄前儿童"
        elif n < 2 or not family:
            person.occupation, person.workplace = job, work
        tenancy = Tenancy(house=house, person=person, starts_on=start, ends_on=end)
        latin = None
        if overseas:
            (person.name, latin_surname), (given, latin_given) = _overseas_name(rng, male)
            person.name += given
            latin = (latin_surname, latin_given)
        tenants.append(Resident(person, age, False, False, overseas=latin, tenancy=tenancy))
    return tenants


def _overseas_name(rng: random.Random, male: bool) -> tuple[tuple[str, str], tuple[str, str]]:
    """A Hong Kong or Macau name and its romanization (as on the 通行证)."""
    return rng.choice(words.HK_SURNAMES), rng.choice(words.HK_GIVEN[male])


def _hazards(rng: random.Random, drawing: Drawing, house: House) -> list[Hazard]:
    if rng.random() >= (0.12 if house.let else 0.02):
        return []
    found = drawing.today - timedelta(days=rng.randint(1, 200))
    found = max(found, house.created_at.date())
    fixed = found + timedelta(days=rng.randint(3, 20)) if rng.random() < 0.5 else None
    return [
        Hazard(
            house=house,
            found_on=found,
            description=rng.choice(words.HAZARDS),
            fixed_on=fixed if fixed and fixed <= drawing.today else None,
        )
    ]


def _house(
    rng: random.Random,
    drawing: Drawing,
    places: Places,
    owner: Person,
    use: str,
    let: bool = False,
) -> House:
    community = places.plan.community
    address, lat, lng = places.next(use)
    if community:
        structure = rng.choice([HouseStructure.CONCRETE] * 3 + [HouseStructure.BRICK_CONCRETE] * 2)
        area = rng.randint(60, 140)
    else:
        structure = rng.choice(
            [HouseStructure.BRICK_CONCRETE] * 7
            + [HouseStructure.BRICK_WOOD] * 2
            + [HouseStructure.CONCRETE]
        )
        area = rng.randint(90, 260)
    registered = owner.created_at  # registered with its owner's household
    return House(
        grid=places.plan.grid,
        address=address,
        lat=lat,
        lng=lng,
        use=use,
        ownership=HouseOwnership.PRIVATE if rng.random() < 0.93 else HouseOwnership.COLLECTIVE,
        structure=structure,
        area_m2=Decimal(area),
        owner=owner,
        let=let,
        created_at=registered,
        updated_at=registered,
    )
