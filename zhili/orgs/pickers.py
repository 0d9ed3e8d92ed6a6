"""Choosing a unit (承办单位, 协办单位, 问题属地 ...) among hundreds: the units grouped by kind
and township, each named with its parent where the name alone repeats (花园社区综治中心
（牛山街道）), with the pinyin a search may type. The page's side is
zhili/web/static/web/unit_picker.js, over a plain <select> with these <optgroup>s.

Groups, in this order: the county center and its sub-centers; the county's departments; the
township centers; each department's units in the townships (公安局's 派出所); then the
village centers of each township, one group per township.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from zhili.core.pinyin import pinyin_keys
from zhili.orgs.models import Kind, Level, Organization


@dataclass(frozen=True)
class UnitOption:
    code: str  # the option's value: the unit's code, or what `value` gave
    label: str
    search: str  # pinyin of the name and of its parent, and the code


@dataclass(frozen=True)
class UnitGroup:
    label: str
    search: str
    options: tuple[UnitOption, ...]


def unit_label(org: Organization) -> str:
    """The name, with its parent's in full-width brackets unless the parent is the county
    center (a county unit's name is unique)."""
    parent = org.parent
    if parent is None or parent.parent_id is None:
        return org.name
    return f"{org.name}（{parent.display_area}）"


def _group_of(org: Organization) -> tuple[tuple[int, str], str]:
    parent = org.parent
    if org.level == Level.COUNTY or parent is None:
        if org.kind == Kind.DEPARTMENT:
            return (1, ""), "县职能部门"
        return (0, ""), "县综治中心及入驻平台"
    if org.level == Level.TOWNSHIP:
        if org.kind == Kind.CENTER:
            return (2, ""), "乡镇（街道）综治中心"
        return (3, parent.path), f"{parent.display_area}派驻乡镇单位"
    return (4, parent.path), f"{parent.display_area} · 村（社区）"


def unit_group_label(org: Organization) -> str:
    """The picker's group of a unit (县职能部门, 乡镇（街道）综治中心, 白塔埠镇 · 村（社区）…),
    with a township's villages told as one kind: 村（社区）综治中心."""
    if org.level == Level.VILLAGE and org.kind == Kind.CENTER:
        return "村（社区）综治中心"
    return _group_of(org)[1]


def _option(org: Organization, value: Callable[[Organization], str]) -> UnitOption:
    parent = org.parent.display_area if org.parent else ""
    search = f"{pinyin_keys(org.name)} {pinyin_keys(parent)} {org.code}".strip().lower()
    return UnitOption(code=value(org), label=unit_label(org), search=search)


def _code(org: Organization) -> str:
    return org.code


def unit_groups(
    units: Iterable[Organization], value: Callable[[Organization], str] = _code
) -> list[UnitGroup]:
    """`units` in their groups; each option's value is the unit's code unless `value` says
    otherwise (a form that takes primary keys)."""
    if isinstance(units, QuerySet):
        units = units.select_related("parent")
    grouped: dict[tuple[int, str], tuple[str, list[Organization]]] = {}
    for org in units:
        key, label = _group_of(org)
        grouped.setdefault(key, (label, []))[1].append(org)
    groups = []
    for key in sorted(grouped):
        label, orgs = grouped[key]
        orgs.sort(key=lambda o: (o.sort_order, o.path))
        options = tuple(_option(o, value) for o in orgs)
        groups.append(UnitGroup(label=label, search=pinyin_keys(label), options=options))
    return groups


class UnitSelect(forms.Select):
    """A <select> of grouped units that unit_picker.js turns into a searchable picker; each
    option carries the pinyin of its name and its parent's."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({**(attrs or {}), "data-unit-picker": ""})
        self.search: dict[str, str] = {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        search = self.search.get(str(value))
        if search:
            option["attrs"]["data-search"] = search
        return option


def use_unit_picker(
    field: forms.Field,
    units: Iterable[Organization],
    blank: str,
    value: Callable[[Organization], str] = _code,
) -> None:
    """Make the ChoiceField `field` a unit picker over `units`, with an empty first choice
    labelled `blank`."""
    assert isinstance(field, forms.ChoiceField)
    groups = unit_groups(units, value)
    widget = UnitSelect(field.widget.attrs)
    widget.search = {o.code: o.search for g in groups for o in g.options}
    field.widget = widget
    field.choices = [
        ("", blank),
        *((g.label, [(o.code, o.label) for o in g.options]) for g in groups),
    ]


# --- inviting units: a meeting's, a course's audience ---------------------------------------

# Whole kinds at once (全部乡镇综治中心 …), as a county invites them, beside units one by one.
UNIT_KINDS = [
    ("townships", "全部乡镇（街道）综治中心"),
    ("villages", "全部村（社区）综治中心"),
    ("departments", "全部职能部门"),
]
_KIND_FILTERS: dict[str, dict[str, str]] = {
    "townships": {"level": Level.TOWNSHIP, "kind": Kind.CENTER},
    "villages": {"level": Level.VILLAGE, "kind": Kind.CENTER},
    "departments": {"kind": Kind.DEPARTMENT},
}


def unit_kinds_field(label: str) -> forms.MultipleChoiceField:
    """The checkboxes of whole kinds (UNIT_KINDS) beside a picker of units one by one."""
    return forms.MultipleChoiceField(
        label=label, choices=UNIT_KINDS, required=False, widget=forms.CheckboxSelectMultiple
    )


def invitable_units(scope: Q) -> list[Organization]:
    """The centers, sub-centers and departments of a part of the tree (`scope`: its filter of
    `path`), for a picker of units to invite."""
    kinds = [Kind.CENTER, Kind.SUBCENTER, Kind.DEPARTMENT]
    rows = Organization.objects.filter(scope, kind__in=kinds, is_active=True)
    return list(rows.select_related("parent").order_by("path"))


def invited_codes(scope: Q, kinds: Iterable[str], codes: Iterable[str]) -> list[str]:
    """The units chosen one by one and those of the whole kinds chosen, within `scope`."""
    chosen = list(codes)
    for kind in kinds:
        rows = Organization.objects.filter(scope, is_active=True, **_KIND_FILTERS[kind])
        chosen += list(rows.values_list("code", flat=True))
    return list(dict.fromkeys(chosen))
