"""数据质量 (data quality) of a township: of the records it entered or keeps that fall in the
period, the share with no defect. The one place of the rule: the metric (`data_quality`,
zhili/assessment/metrics.py) counts with these checks, and the defects page lists, with the
same checks, the records it counted as defective.

The records a township answers for (each under the ranked unit that owns the organization of
its `Keeper`: the registering user's, the grid's village):

- 事件工单: the cases registered in the period by its own people (its staff, its villages'
  officers, its grid workers: the organization of `registered_by`); what came by the 12345
  push or was registered at the county is not its entry.
- 实有人口, 实有房屋, 单位场所: the register records created in the period in its grids, still
  open (an archived record is not kept any more).
- 走访记录: the visits made in the period to the people of its grids.

A check is a defect the doors let through and the work needs; what every door already
refuses is not counted again (a category that is not a leaf, a phone or a resident ID number
that fails its check, a record without a grid). A record with several defects counts once.
The records are judged as they stand now: one corrected before the period's entries stand
(the scheduler recomputes a period until the 5th after it) counts as complete.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.urls import reverse

from zhili.assessment.periods import Period
from zhili.assessment.units import Owners
from zhili.cases.models import Case
from zhili.core.personal import mask_id_number
from zhili.orgs.models import Grid, Organization, User
from zhili.registers.models import House, Person, Place, Visit
from zhili.registers.places import PLACE_KINDS

NO_POINT = Q(lat__isnull=True) | Q(lng__isnull=True)
SHOWN = 200  # the defective records listed per kind (the counts are always whole)


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    defect: Q


@dataclass(frozen=True)
class Row:
    """A defective record as the page shows it: no personal data, a link to its own page
    (which applies its own rules of sight)."""

    number: str
    url: str
    at: datetime
    where: str
    by: str
    defects: tuple[str, ...]


@dataclass(frozen=True)
class Keeper:
    """Who keeps a record (its registering user, its grid) and the organization (`org`, a
    reference to one) whose path names the ranked unit answering for it. The counts take
    only the records of the keepers of the organizations a ranked unit owns (`within`),
    grouped by the keeper's id, and read those keepers' paths after: SQLite reads each
    keeper's slice of the period from an index led by the keeper (cases: `case_registrar`,
    cases migration 0018), and the records no ranked unit answers for (the calls the county's
    dispatchers take, most of a year's cases) are not read at all. A join to the paths
    instead would let SQLite loop over the keepers and read the period's records once for
    each."""

    model: type[models.Model]
    org: str

    @property
    def path(self) -> str:
        return f"{self.org}__path"

    def within(self, orgs: list[int]) -> QuerySet[Any]:
        """The ids of the keepers of the organizations `orgs`, as a subquery."""
        return self.model._default_manager.filter(**{f"{self.org}__in": orgs}).values("pk")

    def paths(self, ids: Iterable[int]) -> dict[int, str]:
        rows = self.model._default_manager.filter(pk__in=list(ids)).values_list("pk", self.path)
        return {pk: path or "" for pk, path in rows}

    def under(self, path: str) -> list[int]:
        rows = self.model._default_manager.filter(**{f"{self.path}__startswith": path})
        return list(rows.values_list("pk", flat=True))


USERS = Keeper(User, "organization")
GRIDS = Keeper(Grid, "village")


@dataclass(frozen=True)
class Records:
    code: str
    label: str
    model: type[models.Model]
    when: str  # the field the period is read on
    key: str  # the user or grid that says which ranked unit answers for the record
    keeper: "Keeper"
    checks: tuple[Check, ...]
    kept: Q = field(default_factory=Q)  # which records count at all
    related: tuple[str, ...] = ()

    @property
    def defect(self) -> Q:
        return reduce(or_, (c.defect for c in self.checks))

    def in_period(self, period: Period) -> QuerySet[Any]:
        span = {f"{self.when}__gte": period.start, f"{self.when}__lt": period.end}
        return self.model._default_manager.filter(self.kept, **span)


def _case_row(case: Case, defects: tuple[str, ...]) -> Row:
    by = case.registered_by
    return Row(
        case.case_no,
        reverse("cases:detail", args=[case.case_no]),
        case.registered_at,
        case.grid.name if case.grid else (case.address or "—"),
        by.display_name if by else "",
        defects,
    )


def _person_row(person: Person, defects: tuple[str, ...]) -> Row:
    url = reverse("registers:person", args=[person.pk])
    return Row(
        mask_id_number(person.id_number), url, person.created_at, person.grid.name, "", defects
    )


def _house_row(house: House, defects: tuple[str, ...]) -> Row:
    url = reverse("registers:house", args=[house.pk])
    return Row(house.address, url, house.created_at, house.grid.name, "", defects)


def _place_row(place: Place, defects: tuple[str, ...]) -> Row:
    spec = PLACE_KINDS[place.kind]
    url = reverse("registers:place", kwargs={"slug": spec.slug, "place_id": place.pk})
    return Row(f"{place.name}（{spec.short}）", url, place.created_at, place.grid.name, "", defects)


def _visit_row(visit: Visit, defects: tuple[str, ...]) -> Row:
    # The person's page, not their name or kind here: a special group's record is read there,
    # audited (zhili.registers.selectors).
    person = visit.role.person
    url = reverse("registers:person", args=[person.pk])
    return Row(
        f"走访 {visit.pk}",
        url,
        visit.visited_at,
        person.grid.name,
        visit.by.display_name,
        defects,
    )


RECORDS: tuple[Records, ...] = (
    Records(
        "cases",
        "事件工单（本单位人员登记）",
        Case,
        "registered_at",
        "registered_by",
        USERS,
        (
            # A county case the point or the address did not place on a grid: the dispatchers
            # place it by hand and the grid's figures miss it (a point outside every grid is
            # 辖区外, not a defect).
            Check("no_grid", "未定位到网格", Q(grid__isnull=True, out_of_area=False)),
            # A named reporter who cannot be called back (回访); a case found by a grid worker
            # names no reporter, an anonymous one keeps none.
            Check(
                "no_phone",
                "诉求人未留联系电话",
                Q(anonymous=False, reporter_phone="") & ~Q(reporter_name=""),
            ),
        ),
        Q(registered_by__isnull=False),
        ("registered_by", "grid"),
    ),
    Records(
        "people",
        "实有人口",
        Person,
        "created_at",
        "grid",
        GRIDS,
        (
            # 以房管人: a person is found by their house (楼栋、门牌).
            Check("no_house", "未填写所住房屋（楼栋、门牌）", Q(house="")),
            Check(
                "no_current_address",
                "人户分离但未填写现住地详址",
                Q(same_as_registered=False, current_address=""),
            ),
        ),
        Q(archived=False),
        ("grid",),
    ),
    Records(
        "houses",
        "实有房屋",
        House,
        "created_at",
        "grid",
        GRIDS,
        (Check("no_point", "未在地图上标注位置", NO_POINT),),
        Q(archived=False),
        ("grid",),
    ),
    Records(
        "places",
        "单位场所",
        Place,
        "created_at",
        "grid",
        GRIDS,
        (Check("no_point", "未在地图上标注位置", NO_POINT),),
        Q(archived=False),
        ("grid",),
    ),
    Records(
        "visits",
        "重点人员走访记录",
        Visit,
        "visited_at",
        "role__person__grid",
        GRIDS,
        (
            Check("no_point", "走访未定位", NO_POINT),
            Check("no_notes", "未填写走访情况", Q(notes="")),
        ),
        related=("by", "role__person__grid"),
    ),
)
ROWS: dict[str, Callable[[Any, tuple[str, ...]], Row]] = {
    "cases": _case_row,
    "people": _person_row,
    "houses": _house_row,
    "places": _place_row,
    "visits": _visit_row,
}


def owned_organizations(owners: Owners) -> list[int]:
    """The organizations a ranked unit owns (its own and those under it), by id."""
    rows = Organization.objects.values_list("pk", "path")
    return [pk for pk, path in rows if owners.owner(path) is not None]


def counts(period: Period, owners: Owners) -> dict[int, list[int]]:
    """Ranked unit id -> [records with no defect, records], over every kind of record."""
    out: dict[int, list[int]] = {}
    orgs = owned_organizations(owners)
    for records in RECORDS:
        rows = list(
            records.in_period(period)
            .filter(**{f"{records.key}__in": records.keeper.within(orgs)})
            .values(records.key)
            .annotate(n=Count("pk"), bad=Count("pk", filter=records.defect))
        )
        paths = records.keeper.paths(r[records.key] for r in rows)
        for row in rows:
            owner = owners.owner(paths.get(row[records.key], ""))
            if owner is not None:
                total = out.setdefault(owner.pk, [0, 0])
                total[0] += row["n"] - row["bad"]
                total[1] += row["n"]
    return out


@dataclass
class Section:
    """One kind of record of a unit's period: how many, how many defective, by check, and
    the first of the defective records."""

    records: Records
    total: int
    defective: int
    by_check: list[tuple[Check, int]]
    rows: list[Row]

    @property
    def shown_all(self) -> bool:
        return len(self.rows) == self.defective


def sections(period: Period, path: str) -> Iterator[Section]:
    """The records the unit at `path` answers for in `period`, kind by kind, with the ones
    counted as defective (at most `SHOWN` listed per kind), newest first."""
    for records in RECORDS:
        keepers = records.keeper.under(path)
        mine = records.in_period(period).filter(**{f"{records.key}__in": keepers})
        figures = mine.aggregate(
            total=Count("pk"),
            defective=Count("pk", filter=records.defect),
            **{c.code: Count("pk", filter=c.defect) for c in records.checks},
        )
        flags = {c.code: ExpressionWrapper(c.defect, BooleanField()) for c in records.checks}
        found = (
            mine.filter(records.defect)
            .annotate(**{f"flag_{k}": v for k, v in flags.items()})
            .select_related(*records.related)
            .order_by(f"-{records.when}", "-pk")[:SHOWN]
        )
        yield Section(
            records=records,
            total=figures["total"],
            defective=figures["defective"],
            by_check=[(c, figures[c.code]) for c in records.checks],
            rows=[ROWS[records.code](r, _labels(records.checks, r)) for r in found],
        )


def _labels(checks: Iterable[Check], record: models.Model) -> tuple[str, ...]:
    return tuple(c.label for c in checks if getattr(record, f"flag_{c.code}"))
