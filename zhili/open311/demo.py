"""`zhili demo` for Open311: the questions some services of the demo catalog ask when a
request comes in through GeoReport v2. Idempotent: existing definitions are kept as edited."""

from typing import Any, TextIO

from django.db import transaction

from zhili.cases.models import Category
from zhili.core.audit import audit
from zhili.open311.models import Datatype, ServiceAttribute, ServiceAttributeValue

S, N, D, T = Datatype.STRING, Datatype.NUMBER, Datatype.DATETIME, Datatype.TEXT
ONE, MANY = Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST

NOISE_SOURCES = [("construction", "建筑施工"), ("shop", "商铺经营"), ("home", "邻里生活")]
PERIODS = [("day", "白天"), ("evening", "傍晚"), ("night", "夜间22时后"), ("dawn", "凌晨")]

# category code -> questions: (code, datatype, question, options)
DEFINITIONS: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {
    "SZ01": [  # 路灯损坏
        ("FAULT", ONE, "故障情况", {"required": True, "values": [
            ("off", "不亮"), ("flicker", "闪烁"), ("daylight", "白天常亮"),
            ("tilt", "灯杆倾斜或破损"),
        ]}),
        ("LAMP_NO", S, "路灯杆编号", {"datatype_description": "灯杆上喷印的编号，如 DH-0123"}),
        ("COUNT", N, "不亮的路灯数量（盏）", {}),
    ],
    "SZ03": [  # 井盖缺失
        ("WARNING", T, "井盖缺失易致人员坠落，请远离现场，紧急情况请拨打110",
         {"variable": False}),
        ("PLACE", ONE, "所在位置", {"values": [
            ("road", "机动车道"), ("walk", "人行道"), ("yard", "小区内部"),
        ]}),
        ("MARKED", ONE, "现场是否已设置警示", {"required": True, "values": [
            ("yes", "已设置"), ("no", "未设置"),
        ]}),
    ],
    "SZ04": [  # 供水问题
        ("KIND", ONE, "问题类型", {"required": True, "values": [
            ("outage", "停水"), ("pressure", "水压低"), ("quality", "水质发黄或有异味"),
        ]}),
        ("HOUSEHOLDS", N, "影响户数（约）", {}),
        ("SINCE", D, "开始时间", {"datatype_description": "如 2026-11-26T07:30:00+08:00"}),
    ],
    "HB01": [  # 社会生活噪音
        ("SOURCE", ONE, "噪音来源", {"required": True, "values": NOISE_SOURCES}),
        ("PERIOD", MANY, "发生时段", {"values": PERIODS}),
    ],
    "HB02": [  # 建筑施工噪音
        ("PERIOD", MANY, "发生时段", {"required": True, "values": PERIODS}),
        ("SITE", S, "工地名称", {"datatype_description": "围挡上公示的项目名称"}),
        ("NOTE", T, "夜间（22时至次日6时）施工须持有夜间施工许可", {"variable": False}),
    ],
    "JT02": [  # 违章停车
        ("PLACE", ONE, "占用位置", {"required": True, "values": [
            ("exit", "消防通道或出入口"), ("walk", "人行道"), ("blind", "盲道"), ("other", "其他"),
        ]}),
        ("PLATE", S, "车牌号", {"datatype_description": "如 苏G12345，看不清可不填"}),
    ],
    "SR02": [  # 占道经营
        ("KIND", MANY, "经营类型", {"values": [
            ("food", "餐饮摊点"), ("fruit", "果蔬摊点"), ("goods", "日用百货"),
        ]}),
        ("DETAIL", T, "补充说明", {"datatype_description": "摊位数量、经营时段等"}),
    ],
}  # fmt: skip


def _say(stdout: TextIO, text: str) -> None:
    stdout.write(f"[open311] {text}\n")


def _ensure(category: Category, order: int, spec: tuple[str, str, str, dict[str, Any]]) -> bool:
    code, datatype, description, options = spec
    options = dict(options)
    values = options.pop("values", [])
    attribute, created = ServiceAttribute.objects.get_or_create(
        category=category,
        code=code,
        defaults={
            "datatype": datatype,
            "description": description,
            "order": order,
            "is_demo": True,
            **options,
        },
    )
    if created:
        ServiceAttributeValue.objects.bulk_create(
            ServiceAttributeValue(attribute=attribute, key=key, name=name, order=index)
            for index, (key, name) in enumerate(values)
        )
    return created


def load(*, stdout: TextIO) -> dict[str, Any]:
    categories = Category.objects.in_bulk(list(DEFINITIONS), field_name="code")
    created = 0
    with transaction.atomic():
        for code, specs in DEFINITIONS.items():
            category = categories.get(code)
            if category is None:
                continue
            for order, spec in enumerate(specs, start=1):
                created += _ensure(category, order, spec)
        audit(None, "open311.demo.load", None, created=created)
    services = sum(code in categories for code in DEFINITIONS)
    _say(stdout, f"{services} 个服务类型的附加信息项，新建 {created} 项")
    return {"created": created}
