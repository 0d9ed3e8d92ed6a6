"""The ranked units (被考核单位) of each rank group, and which ranked unit owns a record.

- 乡镇/街道/场区 (`township`): the township-level governance centers; a township owns every
  organization under its path (its village centers), so its figures are theirs together.
- 县直部门 (`department`): the county-level departments; a department owns its subtree (the
  公安局 its 派出所).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhili.assessment.models import Group
from zhili.orgs.models import Kind, Level, Organization

GROUP_FILTERS = {
    Group.TOWNSHIP: Q(kind=Kind.CENTER, level=Level.TOWNSHIP),
    Group.DEPARTMENT: Q(kind=Kind.DEPARTMENT, level=Level.COUNTY),
}


def group_of(org: Organization) -> str | None:
    if org.kind == Kind.CENTER and org.level == Level.TOWNSHIP:
        return Group.TOWNSHIP.value
    if org.kind == Kind.DEPARTMENT and org.level == Level.COUNTY:
        return Group.DEPARTMENT.value
    return None


def ranked_units(groups: Iterable[str] = tuple(Group.values)) -> QuerySet[Organization]:
    q = Q(pk__in=[])
    for group in groups:
        q |= GROUP_FILTERS[Group(group)]
    return Organization.objects.filter(q, is_active=True).order_by("sort_order", "code")


@dataclass
class Owners:
    """Path -> the ranked unit whose subtree holds it (the longest ranked prefix)."""

    by_path: dict[str, Organization]

    @classmethod
    def load(cls, units: Iterable[Organization] | None = None) -> "Owners":
        units = ranked_units() if units is None else units
        return cls({unit.path: unit for unit in units})

    def owner(self, path: str) -> Organization | None:
        parts = path.strip("/").split("/")
        for n in range(len(parts), 0, -1):
            found = self.by_path.get("/" + "/".join(parts[:n]) + "/")
            if found is not None:
                return found
        return None


def ranked_owner(org: Organization) -> Organization | None:
    """The ranked unit `org` belongs to: itself, or the one above it (a village's township)."""
    ancestors = [p for p in _prefixes(org.path)]
    return ranked_units().filter(path__in=ancestors).order_by("-depth").first()


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]
