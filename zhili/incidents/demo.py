"""`zhili demo` for the incidents (指挥事件): the plans (预案) of issue 16 on the catalog's
categories (through `plans.plan_create`: version 1 with its revision), and a few open
incidents, each with a dispatch of its nearest idle force and that force's first answers. Runs after the forces' loader; running it again creates nothing.
"""

import time
from typing import TextIO

from django.db import transaction

from zhili.cases.models import Category
from zhili.core.audit import audit
from zhili.core.demo import progress_line
from zhili.core.roles import Role
from zhili.forces.models import TeamType
from zhili.forces.selectors import nearest_available
from zhili.incidents import plans, services
from zhili.incidents.models import Incident, Level, Plan
from zhili.orgs.models import User

# A team type the forces' demo does not have: the publicity office that watches 舆情.
PUBLICITY = ("publicity", "宣传舆情组", 20)

# (code, name, category name in the catalog, level, [(team type, role, task, minutes)])
PLANS = [
    (
        "YA-QTJJ",
        "群体性聚集事件处置预案",
        "矛盾纠纷",
        "",
        [
            ("police_patrol", "公安", "控制现场，维护秩序，防止事态扩大", 10),
            ("petition", "信访", "接谈群众，登记诉求", 30),
            ("grid", "乡镇", "牵头化解，摸清人员和诉求", 60),
            ("publicity", "宣传", "监测网络舆情，及时发布权威信息", 60),
        ],
    ),
    (
        "YA-HZ",
        "火灾事故处置预案",
        "消防隐患",
        "",
        [
            ("rescue", "应急救援", "赶赴现场灭火救援，疏散群众", 10),
            ("police_patrol", "公安", "封控现场，疏导交通", 15),
            ("grid", "网格", "核实受影响住户，协助疏散", 30),
        ],
    ),
    (
        "YA-JTSG",
        "道路交通事故处置预案",
        "道路交通安全",
        "",
        [
            ("police_patrol", "公安", "保护现场，救助伤员，疏导交通", 10),
            ("rescue", "应急救援", "破拆救援，清理路障", 20),
            ("city_enforcement", "城管", "清理散落物，恢复通行", 60),
        ],
    ),
    (
        "YA-FX",
        "防汛排涝应急预案",
        "防汛排涝",
        "",
        [
            ("rescue", "应急救援", "转移受困群众，抢险排涝", 15),
            ("linkage_110", "联动单位", "抢修供电供水设施", 60),
            ("grid", "网格", "逐户排查低洼地带住户", 30),
        ],
    ),
]

# (title, plan code, level, lat, lng): open incidents of the demo, near the county town.
INCIDENTS = [
    ("县政府门前群众聚集反映拆迁补偿", "YA-QTJJ", Level.LARGE, 34.5446, 118.7581),
    ("牛山街道某小区电动车棚起火", "YA-HZ", Level.ORDINARY, 34.5378, 118.7702),
    ("310 国道两车相撞有人员受伤", "YA-JTSG", Level.LARGE, 34.5301, 118.7395),
]


def _plans() -> int:
    publicity, _ = TeamType.objects.get_or_create(
        code=PUBLICITY[0], defaults={"name": PUBLICITY[1], "speed_kmh": PUBLICITY[2]}
    )
    types = {t.code: t for t in TeamType.objects.all()}
    types[publicity.code] = publicity
    made = 0
    for code, name, category_name, level, steps in PLANS:
        category = Category.objects.filter(name=category_name).order_by("depth").first()
        if category is None or Plan.objects.filter(code=code).exists():
            continue
        plans.plan_create(
            actor=None,
            code=code,
            name=name,
            category=category.code,
            level=level,
            steps=[
                plans.StepIn(team_type, role, task, minutes)
                for team_type, role, task, minutes in steps
                if team_type in types
            ],
        )
        made += 1
    return made


def _incidents() -> tuple[int, int]:
    desk = (
        User.objects.filter(groups__name=Role.DISPATCHER, organization__level="county")
        .order_by("pk")
        .first()
    )
    if desk is None:
        return 0, 0
    made = sent = 0
    for title, plan_code, level, lat, lng in INCIDENTS:
        plan = Plan.objects.filter(code=plan_code).select_related("category").first()
        if plan is None or Incident.objects.filter(title=title).exists():
            continue
        incident = services.incident_open(
            actor=desk,
            category=plan.category.code,
            title=title,
            lat=lat,
            lng=lng,
            level=str(level),
            plan=plan.code,
        )
        made += 1
        for candidate in nearest_available(user=desk, lat=lat, lng=lng, limit=2):
            services.incident_act(desk, incident, "dispatch", {"force": candidate.force.code})
            sent += 1
    return made, sent


def load(*, stdout: TextIO) -> dict[str, object]:
    """Write the demo's plans and open incidents; running it again creates nothing."""
    started = time.monotonic()
    with transaction.atomic():
        plans = _plans()
        progress_line(stdout, f"[1/2] 预案 {Plan.objects.count()}（新建 {plans}）", started)
        made, sent = _incidents()
        audit(None, "incidents.demo.load", None, created=made)
    progress_line(stdout, f"[2/2] 指挥事件 {made}，派遣力量 {sent}", started)
    return {"created": made, "dispatches": sent}
