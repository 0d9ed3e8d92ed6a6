"""The kinds of organization and place in the base registers (GB/T 31000-2015), declared once.

`PLACE_KINDS` is the one table of a place kind: its label, the path of its API and pages, and
the fields of its own document (validated by `kinds.clean_fields`, like a person's roles). The
four registers share one model (`models.Place`), one scope, one list, one API and one set of
pages; a kind adds a line here, nothing else.

The unified social credit code (统一社会信用代码, GB 32100-2015) is checked by
`check_credit_code`: 18 characters of its alphabet, a six-digit region code and the check
character (weights 3^i mod 31).
"""

from dataclasses import dataclass
from datetime import date

from django.db import models

from zhili.core.errors import InvalidInput
from zhili.registers.kinds import Field


class PlaceKind(models.TextChoices):
    ORGANIZATION = "organization", "非公有制经济组织和社会组织"
    SCHOOL = "school", "学校"
    LINE = "line", "护路护线"
    KEY_AREA = "key_area", "重点地区排查整治"


@dataclass(frozen=True)
class PlaceSpec:
    short: str  # the page title and the navigation's entry
    slug: str  # /api/v1/<slug> and /registers/<slug>/
    name_label: str  # what the record's name is called
    fields: dict[str, Field]
    # The fields shown as columns of the list (the rest on the record's page).
    columns: tuple[str, ...]
    credit_code: bool = False  # a unified social credit code (unique among open records)


PLACE_KINDS: dict[str, PlaceSpec] = {
    PlaceKind.ORGANIZATION: PlaceSpec(
        short="企业和社会组织",
        slug="organizations-registry",
        name_label="单位名称",
        credit_code=True,
        columns=("category", "legal_representative", "employees"),
        fields={
            "category": Field(
                "类别",
                choices=("非公有制经济组织", "社会组织"),
                required=True,
            ),
            "industry": Field("所属行业", max_length=60),
            "legal_representative": Field("法定代表人", max_length=60, required=True),
            "security_head": Field("治安保卫负责人", max_length=60),
            "employees": Field("从业人数", int),
            "hazardous_goods": Field("危险物品情况", max_length=500),
            "party_organization": Field("是否建立党组织", bool),
            "party_members": Field("党员人数", int),
            "union_organization": Field("是否建立工会", bool),
            "union_members": Field("工会会员人数", int),
        },
    ),
    PlaceKind.SCHOOL: PlaceSpec(
        short="学校",
        slug="schools",
        name_label="学校名称",
        columns=("school_type", "students", "guards"),
        fields={
            "school_type": Field(
                "学校类型",
                choices=(
                    "幼儿园",
                    "小学",
                    "初级中学",
                    "九年一贯制学校",
                    "高级中学",
                    "职业学校",
                    "特殊教育学校",
                ),
                required=True,
            ),
            "students": Field("在校学生数", int),
            "staff": Field("教职工数", int),
            "security_head": Field("安全保卫负责人", max_length=60, required=True),
            "guards": Field("专职保安人数", int),
            "surroundings": Field("周边治安情况", max_length=500),
        },
    ),
    PlaceKind.LINE: PlaceSpec(
        short="护路护线",
        slug="lines",
        name_label="线路名称",
        columns=("line_type", "responsible_unit", "hazard_level"),
        fields={
            "line_type": Field(
                "线路类型",
                choices=("铁路", "公路", "输电线路", "油气管道", "通信线路", "其他"),
                required=True,
            ),
            "owner": Field("权属单位", max_length=100),
            "responsible_unit": Field("治安责任单位", max_length=100, required=True),
            "length_km": Field("境内长度（公里）", max_length=20),
            "hazard_level": Field(
                "隐患等级", choices=("无", "一般", "较大", "重大"), required=True
            ),
            "hazards": Field("隐患情况", max_length=500),
        },
    ),
    PlaceKind.KEY_AREA: PlaceSpec(
        short="重点地区",
        slug="key-areas",
        name_label="地区名称",
        columns=("lead_unit", "deadline", "progress"),
        fields={
            "problem": Field("突出治安问题", max_length=500, required=True),
            "lead_unit": Field("整治牵头单位", max_length=100, required=True),
            "deadline": Field("整治时限", date, required=True),
            "progress": Field("整治进度", choices=("整治中", "已完成", "已验收")),
            "results": Field("整治成效", max_length=1000),
        },
    ),
}
BY_SLUG = {spec.slug: kind for kind, spec in PLACE_KINDS.items()}

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str:
    """A unified social credit code (GB 32100-2015), upper-cased; a 422 naming
    ``credit_code`` otherwise."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise InvalidInput("统一社会信用代码应为18位", field="credit_code")
    if any(c not in CREDIT_ALPHABET for c in code):
        raise InvalidInput(
            "统一社会信用代码含有无效字符（不使用 I、O、Z、S、V）", field="credit_code"
        )
    if not code[2:8].isdigit():
        raise InvalidInput("统一社会信用代码第3至8位应为行政区划码", field="credit_code")
    if credit_check_char(code[:17]) != code[17]:
        raise InvalidInput("统一社会信用代码校验位错误", field="credit_code")
    return code
