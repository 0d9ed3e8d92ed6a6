"""What the public page reads: the catalog as groups, a case's public timeline, the map.

Nothing here is scoped to a user: the citizen has none. What a case shows is limited
instead to what its reporter may know: times, steps and unit names, never staff names,
notes or anyone's personal data.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

import shapely
import shapely.geometry
from shapely.geometry.base import BaseGeometry

from zhili.cases.models import Case, Category, State
from zhili.core.stamps import StampedCache
from zhili.orgs.models import Grid, Organization
from zhili.orgs.services import GRID_STAMP, ORG_STAMP

# The steps a citizen sees, in their words. Other timeline lines (cards, extension
# requests, internal notes) stay inside.
PUBLIC_STEPS = {
    "register": "诉求已受理",
    "dispatch": "已转交承办单位",
    "reassign": "已改派承办单位",
    "acknowledge": "承办单位已签收",
    "start": "承办单位正在办理",
    "reply": "承办单位已反馈办理结果",
    "close": "审核通过，已办结",
    "rate": "回访评价",
    "return": "承办单位退回，重新分派",
    "approve_return": "承办单位退回，重新分派",
    "send_back": "审核未通过，继续办理",
    "escalate": "上报县级中心办理",
    "assign_down": "交由乡镇（街道）办理",
    "hand_down": "交由下级单位办理",
    "return_to_source": "不属本县管辖，已退回来源渠道",
    "approve_extension": "办理时限已延长",
    "suspend": "暂缓办理",
    "resume": "恢复办理",
    "merge": "与同一事项合并办理",
    "reopen": "重新办理",
    "master_closed": "合并办理的事项已办结",
    "hold": "已转入矛盾纠纷调解或信访程序办理",
}
# Where the reply is final enough to show the citizen.
REPLY_STATES = {State.REPLIED, State.CLOSED, State.RATED, State.MERGED, State.RETURNED_TO_SOURCE}
# Steps whose unit is the one the case went to, not the one that acted.
TO_UNIT = {"dispatch", "reassign", "hand_down"}


def category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The active catalog as (group name, [(code, name)]): a group without active children
    is its own only choice."""
    rows = list(Category.objects.filter(is_active=True).order_by("path"))
    by_path = {c.path: c for c in rows}
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for category in sorted(rows, key=lambda c: (c.depth, c.sort_order, c.path)):
        if category.depth == 0:
            groups[category.path] = (category.name, [])
    for category in rows:
        if category.depth == 0:
            continue
        top = f"/{category.group_code}/"
        if top not in groups:  # under an inactive group
            continue
        names = [by_path[p].name for p in _ancestor_paths(category.path)[1:] if p in by_path]
        groups[top][1].append((category.code, " › ".join(names)))
    return [
        (name, options or [(by_path[path].code, name)]) for path, (name, options) in groups.items()
    ]


def _ancestor_paths(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return [f"/{'/'.join(parts[: i + 1])}/" for i in range(len(parts))]


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    label: str
    unit: str


def public_timeline(case: Case) -> list[PublicStep]:
    events = list(case.events.filter(action__in=PUBLIC_STEPS).select_related("actor_unit"))
    codes = {e.data.get("unit") for e in events if e.action in TO_UNIT and e.data.get("unit")}
    names = dict(Organization.objects.filter(code__in=codes).values_list("code", "name"))
    steps = []
    for event in events:
        if event.action in TO_UNIT:
            unit = names.get(event.data.get("unit", ""), "")
        elif event.action == "register":
            unit = case.dispatch_center.name if event.actor_unit is None else event.actor_unit.name
        else:
            unit = event.actor_unit.name if event.actor_unit else ""
        label = PUBLIC_STEPS[event.action]
        if event.action == "rate" and event.actor_id is None:
            label = "群众评价"
        steps.append(PublicStep(event.created_at, label, unit))
    return steps


def public_case(case_pk: int) -> Case:
    return Case.objects.select_related("category", "dispatch_center", "lead_unit").get(pk=case_pk)


def shows_reply(case: Case) -> bool:
    return case.state in REPLY_STATES and bool(case.reply) and case.replied_at is not None


class Feature(TypedDict):
    type: str
    properties: dict[str, str]
    geometry: dict[str, object]


class FeatureCollection(TypedDict):
    """A GeoJSON feature collection (RFC 7946)."""

    type: str
    features: list[Feature]


def _build_outlines() -> FeatureCollection:
    """Each township's outline (the union of its grids, simplified) for the citizen's map."""
    parts: dict[int, list[BaseGeometry]] = {}
    for geometry, township_id in Grid.objects.values_list("geometry", "village__parent_id"):
        if township_id is not None:
            parts.setdefault(township_id, []).append(shapely.geometry.shape(geometry))
    names = {org.pk: org.area_name or org.name for org in Organization.objects.filter(pk__in=parts)}
    features: list[Feature] = []
    for pk, shapes in parts.items():
        outline = shapely.union_all(shapes).simplify(0.0005, preserve_topology=True)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": names.get(pk, "")},
                "geometry": shapely.geometry.mapping(outline),
            }
        )
    return {"type": "FeatureCollection", "features": features}


township_outlines: StampedCache[FeatureCollection] = StampedCache(
    (GRID_STAMP, ORG_STAMP), _build_outlines
)
