"""`zhili demo` for the houses and places registers: in the first grids of the personas'
township (白塔埠镇, whose first village is the grid worker's), a few residents (实有人口) per
grid, houses with their owners, some let with tenants among those residents, some with safety
hazards; and the township's enterprises, schools, lines under protection and key areas.

Deterministic (seeded), written in bulk (well under a second), and idempotent: once the
township's demo houses exist, a second run writes nothing.
"""

import random
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any, TextIO

import shapely
from django.db import transaction
from django.utils import timezone

from zhili.core.demo import progress_line
from zhili.core.dossier import record_history
from zhili.core.dossier.codes import TRACKED
from zhili.core.personal import id_number_check_digit
from zhili.orgs.demo.data import COUNTY, person_name
from zhili.orgs.models import Grid
from zhili.registers.models import (
    Hazard,
    House,
    HouseOwnership,
    HouseStructure,
    HouseUse,
    Mention,
    MentionRelation,
    Person,
    Place,
    RecordChange,
    Sex,
    Tenancy,
)
from zhili.registers.places import CREDIT_ALPHABET, PlaceKind, credit_check_char

SEED = 31000
TOWNSHIP = f"{COUNTY}003"
GRIDS = 12
PEOPLE_PER_GRID = 8
HOUSES_PER_GRID = 5
HAZARDS = [
    "电动车在楼道内充电",
    "私拉乱接电线",
    "出租屋未配备灭火器",
    "群租，隔断使用易燃材料",
    "燃气管道老化",
]
ROADS = ["人民路", "建设路", "解放路", "振兴路", "幸福路", "富民路"]
# Of each tracked kind of dossier (cases, disputes, petitions ...), the first this many whose
# caller or party left a phone have that phone on a resident: most are linked, the last ones
# are left for the dossier's page to suggest.
LINKED_PER_KIND, SUGGESTED_PER_KIND = 4, 2


def _id_number(rng: random.Random, seq: int) -> str:
    born = timezone.localdate() - timedelta(days=rng.randint(18 * 365, 80 * 365))
    first = f"{TOWNSHIP[:6]}{born:%Y%m%d}{seq % 1000:03d}"
    return first + id_number_check_digit(first)


def _point(rng: random.Random, grid: Grid) -> tuple[float, float]:
    """A point inside the grid's polygon (its centre if sampling misses)."""
    shape = shapely.geometry.shape(grid.geometry)
    for _ in range(30):
        lng = rng.uniform(grid.min_lng, grid.max_lng)
        lat = rng.uniform(grid.min_lat, grid.max_lat)
        if shape.contains(shapely.Point(lng, lat)):
            return round(lat, 6), round(lng, 6)
    centre = shape.representative_point()
    return round(centre.y, 6), round(centre.x, 6)


def _people(rng: random.Random, grids: list[Grid]) -> dict[int, list[Person]]:
    people: dict[int, list[Person]] = {}
    rows = []
    taken = set(Person.objects.values_list("id_number", flat=True))
    seq = 0
    for grid in grids:
        for _ in range(PEOPLE_PER_GRID):
            number = _id_number(rng, seq)
            while number in taken:
                seq += 1
                number = _id_number(rng, seq)
            taken.add(number)
            seq += 1
            born = number[6:14]
            person = Person(
                id_number=number,
                name=person_name(rng),
                sex=Sex.MALE if int(number[16]) % 2 else Sex.FEMALE,
                birth_date=f"{born[:4]}-{born[4:6]}-{born[6:]}",
                ethnicity="汉族",
                current_address=f"{grid.village.display_area}{rng.randint(1, 60)}号",
                grid=grid,
                phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            )
            rows.append(person)
            people.setdefault(grid.pk, []).append(person)
    Person.objects.bulk_create(rows, batch_size=500)
    return people


def _houses(
    rng: random.Random, grids: list[Grid], people: dict[int, list[Person]]
) -> tuple[list[House], int, int]:
    houses, tenancies, hazards = [], [], []
    today = timezone.localdate()
    for grid in grids:
        residents = people[grid.pk]
        for n in range(HOUSES_PER_GRID):
            owner = residents[n]
            let = rng.random() < 0.4
            lat, lng = _point(rng, grid)
            house = House(
                grid=grid,
                address=f"{grid.village.display_area}{rng.choice(ROADS)}{rng.randint(1, 99)}号",
                lat=lat,
                lng=lng,
                use=HouseUse.RENTAL if let else rng.choice([HouseUse.HOME, HouseUse.SHOP]),
                ownership=rng.choice([HouseOwnership.PRIVATE, HouseOwnership.COLLECTIVE]),
                structure=rng.choice([HouseStructure.BRICK_CONCRETE, HouseStructure.CONCRETE]),
                area_m2=Decimal(rng.randint(60, 260)),
                owner=owner,
                let=let,
            )
            houses.append(house)
            if let:
                for tenant in rng.sample(residents[HOUSES_PER_GRID:], rng.randint(1, 2)):
                    start = today - timedelta(days=rng.randint(30, 700))
                    tenancies.append(
                        Tenancy(
                            house=house,
                            person=tenant,
                            starts_on=start,
                            ends_on=start + timedelta(days=rng.choice([365, 730, 1095])),
                        )
                    )
            if rng.random() < 0.3:
                found = today - timedelta(days=rng.randint(1, 90))
                fixed = found + timedelta(days=7) if rng.random() < 0.5 else None
                hazards.append(
                    Hazard(
                        house=house,
                        found_on=found,
                        description=rng.choice(HAZARDS),
                        fixed_on=fixed if fixed and fixed <= today else None,
                    )
                )
    House.objects.bulk_create(houses, batch_size=500)
    Tenancy.objects.bulk_create(tenancies, batch_size=500)
    Hazard.objects.bulk_create(hazards, batch_size=500)
    return houses, len(tenancies), len(hazards)


def _credit_code(rng: random.Random, kind: str = "91") -> str:
    """A code of the demo county (registration kind 91: a company, 51: a social group)."""
    body = f"{kind}{COUNTY}MA" + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(7))
    return body + credit_check_char(body)


def _place_rows(
    rng: random.Random, grids: list[Grid]
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(kind, name, credit code, details) of the township's organizations and places."""
    deadline = (timezone.localdate() + timedelta(days=120)).isoformat()
    rows: list[tuple[str, str, str, dict[str, Any]]] = []
    for name, industry, employees, goods in [
        ("东海县白塔埠晶润石英制品有限公司", "石英制品加工", 86, "氢氟酸 2 吨（专库存放）"),
        ("东海县恒通物流有限公司", "道路货运", 42, ""),
        ("东海县白塔埠镇惠民农资店", "农资零售", 6, "农药 1.5 吨"),
        ("江苏金岭食品有限公司", "食品加工", 130, "液氨 0.8 吨"),
    ]:
        details = {
            "category": "非公有制经济组织",
            "industry": industry,
            "legal_representative": person_name(rng),
            "security_head": person_name(rng),
            "employees": employees,
            "party_organization": employees > 50,
            "union_organization": employees > 30,
        }
        if goods:
            details["hazardous_goods"] = goods
        rows.append((PlaceKind.ORGANIZATION, name, _credit_code(rng), details))
    rows.append(
        (
            PlaceKind.ORGANIZATION,
            "白塔埠镇老年人协会",
            _credit_code(rng, "51"),
            {"category": "社会组织", "legal_representative": person_name(rng), "employees": 5},
        )
    )
    for name, school_type, students, staff, guards in [
        ("东海县白塔埠中心小学", "小学", 1260, 84, 4),
        ("东海县白塔埠中学", "初级中学", 980, 76, 4),
        ("白塔埠镇中心幼儿园", "幼儿园", 420, 38, 2),
    ]:
        details = {
            "school_type": school_type,
            "students": students,
            "staff": staff,
            "security_head": person_name(rng),
            "guards": guards,
            "surroundings": "校门口设护学岗，上下学高峰有民警值守",
        }
        rows.append((PlaceKind.SCHOOL, name, "", details))
    for name, line_type, owner, hazard in [
        ("陇海铁路白塔埠段", "铁路", "中国铁路上海局集团有限公司", "一般"),
        ("连霍高速白塔埠段", "公路", "江苏交通控股有限公司", "无"),
        ("110千伏白塔线", "输电线路", "国网东海县供电公司", "较大"),
    ]:
        details = {
            "line_type": line_type,
            "owner": owner,
            "responsible_unit": "白塔埠派出所",
            "hazard_level": hazard,
        }
        rows.append((PlaceKind.LINE, name, "", details))
    rows.append(
        (
            PlaceKind.KEY_AREA,
            "白塔埠火车站周边",
            "",
            {
                "problem": "非法营运、强行拉客",
                "lead_unit": "县公安局",
                "deadline": deadline,
                "progress": "整治中",
                "results": "已查处非法营运车辆 12 辆",
            },
        )
    )
    return rows


def _places(rng: random.Random, grids: list[Grid]) -> list[Place]:
    places = []
    for kind, name, code, details in _place_rows(rng, grids):
        grid = rng.choice(grids)
        lat, lng = _point(rng, grid)
        places.append(
            Place(
                kind=kind,
                name=name,
                credit_code=code,
                details=details,
                grid=grid,
                address=f"{grid.village.display_area}{rng.choice(ROADS)}{rng.randint(1, 99)}号",
                lat=lat,
                lng=lng,
            )
        )
    Place.objects.bulk_create(places)
    return places


def load(*, stdout: TextIO) -> dict[str, object]:
    """Write the demo's residents, houses and places; running it again writes nothing."""
    started, rng = time.monotonic(), random.Random(SEED)
    grids = list(
        Grid.objects.filter(village__path__startswith=f"/{COUNTY}/{TOWNSHIP}/")
        .select_related("village")
        .order_by("code")[:GRIDS]
    )
    if not grids or House.objects.filter(grid__in=grids).exists():
        progress_line(stdout, "[1/1] 实有房屋与单位场所：已存在，跳过", started)
        return {"created": 0}
    with transaction.atomic():
        people = _people(rng, grids)
        houses, tenancies, hazards = _houses(rng, grids, people)
        places = _places(rng, grids)
        linked = _links([p for rows in people.values() for p in rows])
        RecordChange.objects.bulk_create(
            [RecordChange(house=h, action="create", changes={"demo": [None, True]}) for h in houses]
            + [
                RecordChange(place=p, action="create", changes={"demo": [None, True]})
                for p in places
            ]
        )
    progress_line(
        stdout,
        f"[1/1] 实有人口 {sum(len(p) for p in people.values())}，房屋 {len(houses)}"
        f"（承租 {tenancies}，隐患 {hazards}），单位场所 {len(places)}，档案关联 {linked}",
        started,
    )
    return {"created": len(houses) + len(places)}


def _links(residents: list[Person]) -> int:
    """一人一档 in the demo: residents are the callers and parties of the dossiers the loaders
    above wrote (the resident takes the phone the dossier names), linked to them with a row on
    the dossier's timeline; a few are left unlinked, for the dossier's page to suggest."""
    free = iter(residents)
    mentions = []
    for _, tracked in TRACKED.items():
        wanted = LINKED_PER_KIND + SUGGESTED_PER_KIND
        records = tracked.kind.model._default_manager.order_by("pk")[: wanted * 3]
        taken = 0
        for record in records:
            phones = [c for c in tracked.contacts(record) if len(c) == 11 and c.isdigit()]
            resident = next(free, None) if phones and taken < wanted else None
            if resident is None:
                continue
            resident.phone = phones[0]
            resident.save(update_fields=["phone"])
            taken += 1
            if taken > LINKED_PER_KIND:
                continue
            # A dispute's phones are its parties'; a case's or a petition's, who reported it.
            disputed = tracked.name.endswith("dispute")
            relation = MentionRelation.PARTY if disputed else MentionRelation.REPORTER
            mentions.append(
                Mention(
                    dossier=tracked.name,
                    record_id=record.pk,
                    code=tracked.code(record),
                    person=resident,
                    relation=relation,
                )
            )
            state = str(getattr(record, "state", ""))
            note = f"关联人员（{relation.label}）"
            record_history(
                tracked.kind,
                record,
                "mention",
                from_state=state,
                to_state=state,
                actor=None,
                note=note,
            )
    Mention.objects.bulk_create(mentions)
    return len(mentions)
