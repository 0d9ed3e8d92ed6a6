"""The full township's organizations and places (no database): its enterprises, farmers'
cooperatives and social organizations, schools and kindergartens, the lines under protection
that cross it and its key areas under rectification, each on one of its grids, with the
kind's own facts (places.PLACE_KINDS, checked by `clean_fields` as the service checks them).

About what a town of 77,000 in Donghai keeps: some forty enterprises (quartz and crystal
first, the county's trade), a kindergarten for every few villages, a primary school for
every four or five, the town's middle school and central primary school in its seat.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from zhili.registers.demo import words
from zhili.registers.demo.grounds import GridPlan
from zhili.registers.demo.people import Drawing
from zhili.registers.kinds import clean_fields
from zhili.registers.places import CREDIT_ALPHABET, PLACE_KINDS, PlaceKind, credit_check_char

COUNTY_CODE = "320722"
ENTERPRISES = 36


@dataclass(frozen=True)
class PlaceDraft:
    kind: str
    name: str
    credit_code: str
    details: dict[str, object]
    plan: GridPlan  # the grid it stands on


def credit_code(rng: random.Random, kind: str, taken: set[str]) -> str:
    """A code of the demo county (registration kind 91: a company, 93: a farmers'
    cooperative, 51: a social group, 52: a private non-enterprise unit)."""
    while True:
        body = f"{kind}{COUNTY_CODE}MA" + "".join(rng.choice(CREDIT_ALPHABET) for _ in range(7))
        code = body + credit_check_char(body)
        if code not in taken:
            taken.add(code)
            return code


def draw_places(
    rng: random.Random,
    drawing: Drawing,
    town: str,
    plans: list[GridPlan],
    taken: set[str],
    name: Any,
) -> list[PlaceDraft]:
    """`town` is the township's name (白塔埠镇); `name(rng)` draws a person's name."""
    township, town = town, town.removesuffix("镇").removesuffix("乡").removesuffix("街道")
    seat = [p for p in plans if p.community] or plans[:1]
    villages: dict[str, GridPlan] = {}
    for plan in plans:
        villages.setdefault(plan.area, plan)
    rows: list[PlaceDraft] = []

    def add(
        kind: str, title: str, details: dict[str, object], plan: GridPlan, code: str = ""
    ) -> None:
        spec = PLACE_KINDS[kind]
        clean = clean_fields(spec.fields, details, noun=PlaceKind(kind).label, creating=True)
        rows.append(PlaceDraft(kind, title, code, clean, plan))

    brands = list(words.BRAND_WORDS)
    rng.shuffle(brands)
    for n in range(ENTERPRISES):
        suffix, industry, (low, high), goods = words.INDUSTRIES[n % len(words.INDUSTRIES)]
        brand = brands[n % len(brands)] + ("" if n < len(brands) else rng.choice("兴达源"))
        employees = rng.randint(low, high)
        details: dict[str, object] = {
            "category": "非公有制经济组织",
            "industry": industry,
            "legal_representative": name(rng),
            "security_head": name(rng),
            "employees": employees,
            "party_organization": employees >= 50,
            "union_organization": employees >= 25,
        }
        if employees >= 50:
            details["party_members"] = rng.randint(3, 9)
        if employees >= 25:
            details["union_members"] = employees - rng.randint(0, employees // 5)
        if goods:
            details["hazardous_goods"] = goods
        add(
            PlaceKind.ORGANIZATION,
            f"东海县{brand}{suffix}",
            details,
            rng.choice(plans),
            credit_code(rng, "91", taken),
        )
    for _, plan in rng.sample(sorted(villages.items()), min(4, len(villages))):
        village = plan.village.removesuffix("村").removesuffix("社区")
        coop = rng.choice(words.COOPERATIVES)
        details = {
            "category": "非公有制经济组织",
            "industry": "农业",
            "legal_representative": name(rng),
            "employees": rng.randint(5, 30),
        }
        add(
            PlaceKind.ORGANIZATION,
            f"东海县{township}{village}{coop}",
            details,
            plan,
            credit_code(rng, "93", taken),
        )
    for association in words.SOCIAL:
        details = {
            "category": "社会组织",
            "legal_representative": name(rng),
            "employees": rng.randint(2, 8),
        }
        add(
            PlaceKind.ORGANIZATION,
            f"{township}{association}",
            details,
            rng.choice(seat),
            credit_code(rng, "51", taken),
        )
    _schools(rng, township, seat, villages, add, name)
    _lines(rng, town, plans, add)
    deadline = drawing.today + timedelta(days=rng.randint(60, 150))
    for title, problem, lead, progress, results in [
        ("火车站周边", "非法营运、强行拉客", "县公安局", "整治中", "已查处非法营运车辆 12 辆"),
        (
            "镇区农贸市场",
            "占道经营、电动车乱停放，偷盗时有发生",
            "镇综治办",
            "整治中",
            "已施划停车位 200 个",
        ),
        (
            "石英加工集中区",
            "出租屋群租、流动人口底数不清",
            "镇派出所",
            "已完成",
            "登记流动人口 320 人，清理群租房 14 户",
        ),
    ]:
        details = {
            "problem": problem,
            "lead_unit": lead,
            "deadline": deadline.isoformat(),
            "progress": progress,
            "results": results,
        }
        add(PlaceKind.KEY_AREA, f"{town}{title}", details, rng.choice(seat))
    return rows


def _schools(
    rng: random.Random,
    township: str,
    seat: list[GridPlan],
    villages: dict[str, GridPlan],
    add: Any,
    name: Any,
) -> None:
    def school(title: str, kind: str, students: int, plan: GridPlan, guards: int) -> None:
        details = {
            "school_type": kind,
            "students": students,
            "staff": max(8, students // 14),
            "security_head": name(rng),
            "guards": guards,
            "surroundings": rng.choice(
                [
                    "校门口设护学岗，上下学高峰有民警值守",
                    "校园周边 200 米内无网吧、娱乐场所",
                    "校门口道路已设减速带和警示标志",
                ]
            ),
        }
        add("school", title, details, plan)

    town = township.removesuffix("镇").removesuffix("乡").removesuffix("街道")
    school(f"东海县{town}中学", "初级中学", rng.randint(900, 1300), rng.choice(seat), 4)
    school(f"东海县{town}中心小学", "小学", rng.randint(1100, 1500), rng.choice(seat), 4)
    school(f"{township}中心幼儿园", "幼儿园", rng.randint(350, 480), rng.choice(seat), 2)
    ordered = sorted(villages.items())
    for n, (_, plan) in enumerate(ordered):
        village = plan.village.removesuffix("村")
        if plan.community:
            continue
        if n % 4 == 1:
            school(f"{township}{village}小学", "小学", rng.randint(180, 420), plan, 1)
        if n % 3 == 0:
            school(f"{township}{village}幼儿园", "幼儿园", rng.randint(60, 160), plan, 1)


def _lines(rng: random.Random, town: str, plans: list[GridPlan], add: Any) -> None:
    for title, kind, owner, unit, length, level, hazards in [
        (
            "陇海铁路",
            "铁路",
            "中国铁路上海局集团有限公司",
            "派出所",
            "6.8",
            "一般",
            "沿线有村民穿越铁路抄近道",
        ),
        ("连霍高速", "公路", "江苏交通控股有限公司", "派出所", "5.2", "无", ""),
        ("310国道", "公路", "东海县交通运输局", "派出所", "7.5", "一般", "交叉路口夜间照明不足"),
        (
            "110千伏输电线路",
            "输电线路",
            "国网东海县供电公司",
            "供电所",
            "9.1",
            "较大",
            "线下有违章搭建和树木",
        ),
        (
            "西气东输支线",
            "油气管道",
            "中石化管道储运有限公司",
            "派出所",
            "4.3",
            "一般",
            "管道上方有村民取土",
        ),
        ("通信光缆干线", "通信线路", "中国电信东海分公司", "派出所", "11.0", "无", ""),
    ]:
        details = {
            "line_type": kind,
            "owner": owner,
            "responsible_unit": f"{town}{unit}",
            "length_km": length,
            "hazard_level": level,
        }
        if hazards:
            details["hazards"] = hazards
        add(PlaceKind.LINE, f"{title}{town}段", details, rng.choice(plans))
