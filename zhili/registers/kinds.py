"""The kinds of role a person holds in the people register, declared once.

`KINDS` is the one table of a role kind: its label, whether it is a special group (特殊人群,
重点人群: visible only to whoever holds the person and to the roles that work with it), the
action that a working role holds to see it county-wide, and the fields of its own document
(validated by `clean_details`). The key-petitioner register (zhili/petitions KeyPetitioner)
keeps the ``key_petitioner`` kind: each listing is mirrored as a role with these fields
(services.KEPT_ELSEWHERE).
"""

from dataclasses import dataclass
from datetime import date

from django.db import models

from zhili.core.errors import InvalidInput
from zhili.core.roles import Action


class Kind(models.TextChoices):
    FLOATING = "floating", "流动人口"
    FOREIGN = "foreign", "境外人员"
    LEFT_BEHIND = "left_behind", "留守人员"
    RELEASED = "released", "刑满释放人员"
    CORRECTION = "correction", "社区矫正人员"
    MENTAL = "mental", "严重精神障碍患者"
    DRUG = "drug", "吸毒人员"
    AIDS_RISK = "aids_risk", "艾滋病危险人员"
    YOUTH = "youth", "重点青少年"
    KEY_PETITIONER = "key_petitioner", "重点上访人员"


class CareLevel(models.TextChoices):
    HIGH = "high", "高"
    NORMAL = "normal", "中"
    LOW = "low", "低"


@dataclass(frozen=True)
class Field:
    label: str
    type: type = str  # str, date, bool or int
    choices: tuple[str, ...] = ()
    max_length: int = 200
    required: bool = False  # on create (the places' registers; roles have none)


@dataclass(frozen=True)
class KindSpec:
    special: bool
    # The action of the roles that work with this group (司法所, 卫健, 公安 ...): they see its
    # role records county-wide. None: only those who hold the person.
    works_with: str | None
    fields: dict[str, Field]


KINDS: dict[str, KindSpec] = {
    Kind.FLOATING: KindSpec(
        special=False,
        works_with=None,
        fields={
            "reason": Field("流入原因"),
            "permit_no": Field("居住证号码", max_length=40),
            "arrived_on": Field("流入日期", date),
            "permit_until": Field("居住证有效期至", date),
        },
    ),
    Kind.FOREIGN: KindSpec(
        special=False,
        works_with=None,
        fields={
            "foreign_surname": Field("外文姓"),
            "foreign_given_name": Field("外文名"),
            "nationality": Field("国籍（地区）", max_length=60),
            "document_kind": Field("证件种类", max_length=40),
            "document_no": Field("证件号码", max_length=40),
        },
    ),
    Kind.LEFT_BEHIND: KindSpec(
        special=False,
        works_with=None,
        fields={
            "category": Field("留守类型", choices=("儿童", "妇女", "老人")),
            "family_contact": Field("家庭主要成员联系方式", max_length=40),
        },
    ),
    Kind.RELEASED: KindSpec(
        special=True,
        works_with=Action.REGISTERS_JUDICIAL,
        fields={
            "offence": Field("原罪名"),
            "sentence": Field("原判刑期", max_length=60),
            "released_on": Field("释放日期", date),
            "placed": Field("是否安置", bool),
            "aid": Field("帮教情况", max_length=500),
        },
    ),
    Kind.CORRECTION: KindSpec(
        special=True,
        works_with=Action.REGISTERS_JUDICIAL,
        fields={
            "category": Field("矫正类别", choices=("管制", "缓刑", "假释", "暂予监外执行")),
            "starts_on": Field("矫正起始日期", date),
            "ends_on": Field("矫正解除日期", date),
            "out_of_control": Field("是否脱管", bool),
            "missed": Field("是否漏管", bool),
        },
    ),
    Kind.MENTAL: KindSpec(
        special=True,
        works_with=Action.REGISTERS_HEALTH,
        fields={
            "risk_level": Field("危险性评估等级", choices=("0", "1", "2", "3", "4", "5")),
            "guardian": Field("监护人姓名", max_length=60),
            "guardian_phone": Field("监护人电话", max_length=40),
            "treatment": Field("治疗情况", max_length=500),
        },
    ),
    Kind.DRUG: KindSpec(
        special=True,
        works_with=Action.REGISTERS_POLICE,
        fields={
            "found_on": Field("初次发现日期", date),
            "control": Field("管控情况", max_length=500),
        },
    ),
    Kind.AIDS_RISK: KindSpec(
        special=True,
        works_with=Action.REGISTERS_HEALTH,
        fields={
            "route": Field("感染途径", max_length=60),
            "help": Field("帮扶情况", max_length=500),
        },
    ),
    Kind.YOUTH: KindSpec(
        special=True,
        works_with=None,
        fields={
            "category": Field("人员类型", max_length=60),
            "guardian": Field("监护人姓名", max_length=60),
            "assistance": Field("帮扶情况", max_length=500),
        },
    ),
    # Kept by the petition office's key-petitioner register (zhili/petitions KeyPetitioner,
    # the one source: zhili/petitions/services/key_roles.py writes these details from it
    # through services.kept_role_open). The level's choices are KeyLevel's labels.
    Kind.KEY_PETITIONER: KindSpec(
        special=True,
        works_with=Action.KEY_PETITIONERS_VIEW,
        fields={
            "reason": Field("列管原因", max_length=2000),
            "level": Field("关注等级", choices=("一般关注", "重点关注", "高度关注")),
            "responsible_unit": Field("责任单位", max_length=100),
            "measures": Field("稳控化解措施", max_length=2000),
            "since": Field("列管日期", date),
        },
    ),
}


def clean_details(kind: str, details: object) -> dict[str, object]:
    """A role's `details` checked against its kind's fields (`clean_fields`)."""
    return clean_fields(KINDS[kind].fields, details, noun=Kind(kind).label)


def clean_fields(
    fields: dict[str, Field], details: object, *, noun: str, creating: bool = False
) -> dict[str, object]:
    """`details` checked against `fields`: unknown keys, wrong types, values outside the
    choices and (when `creating`) missing required ones are a 422 naming ``details.<key>``.
    Dates are kept as ISO text."""
    if not isinstance(details, dict):
        raise InvalidInput("专项信息应为对象", field="details")
    clean: dict[str, object] = {}
    for key, value in details.items():
        field = fields.get(key)
        if field is None:
            raise InvalidInput(f"{noun}没有字段 {key}", field=f"details.{key}")
        if value not in (None, ""):
            clean[key] = _clean_value(field, value, f"details.{key}")
    if creating:
        for key, field in fields.items():
            if field.required and key not in clean:
                raise InvalidInput(f"请填写{field.label}", field=f"details.{key}")
    return clean


def _clean_value(field: Field, value: object, name: str) -> object:
    if field.type is bool:
        if not isinstance(value, bool):
            raise InvalidInput(f"{field.label}应为是或否", field=name)
        return value
    if field.type is int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**7:
            raise InvalidInput(f"{field.label}应为不小于 0 的整数", field=name)
        return value
    if not isinstance(value, str):
        raise InvalidInput(f"{field.label}应为文本", field=name)
    if field.type is date:
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError as exc:
            raise InvalidInput(f"{field.label}应为日期（如 2026-01-31）", field=name) from exc
    elif len(value) > field.max_length:
        raise InvalidInput(f"{field.label}不能超过{field.max_length}字", field=name)
    if field.choices and value not in field.choices:
        raise InvalidInput(f"{field.label}应为：{'、'.join(field.choices)}", field=name)
    return value
