"""The records behind the automatic items that no app lists as they are counted: the key
people's roles of 重点人员按期走访率, the plan tasks' monthly reports of 月度进展按时报送率 and
the learners of 网上培训完成率. Each is read here by the same functions its measure counts with
(zhili/assessment/metrics.py), for one ranked unit and period, so that the page an entry links
lists exactly what the entry counted: all those judged, those that met the mark (`met`), or
those that did not (`missed`).

Who is named: the key people by their masked name, and a special group's role (特殊人群) only
counted, with no name, kind or link, unless the reader may see it (the registers'
`role_checker`, the rule of the person's page); the plan tasks and courses link their pages,
which apply their own sight; the learners are staff, named.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper
from django.urls import reverse

from zhili.assessment.periods import Period, last_day, until_of
from zhili.assessment.units import Owners
from zhili.core.personal import mask_name
from zhili.core.types import Actor
from zhili.orgs.models import Grid, Organization
from zhili.plans.models import Task
from zhili.plans.selectors import REPORT_STATUSES, owed_reports
from zhili.registers.kinds import KINDS, CareLevel, Kind
from zhili.registers.models import Person
from zhili.registers.selectors import role_checker
from zhili.registers.visits import cycle_ends_before, due_from, roles_as_of
from zhili.training.selectors import completed_by_due, courses_due

SHOWS = {"met", "missed"}


@dataclass(frozen=True)
class Record:
    cells: tuple[str, ...]
    met: bool
    url: str = ""  # the first cell's link ("" for none)


@dataclass(frozen=True)
class Spec:
    title: str
    rule: str  # how the measure counts, in words
    columns: tuple[str, ...]
    judged: str  # the links' labels: all of them, those that met the mark, the others
    met: str
    missed: str
    rows: Callable[[Period, Organization, datetime, Actor], Iterator[Record]]


def _owned(owners: Owners, unit: Organization, path: str) -> bool:
    owner = owners.owner(path or "")
    return owner is not None and owner.pk == unit.pk


# --- 重点人员按期走访率 ---------------------------------------------------------------------------


def visit_rows(period: Period, unit: Organization, now: datetime, user: Actor) -> Iterator[Record]:
    """The roles `metrics.visits_on_time` counts for `unit`: open at the period's end (or
    now), of people in its grids; met when not past the care level's cycle."""
    until = until_of(period, now)
    missed = ExpressionWrapper(cycle_ends_before(until), output_field=BooleanField())
    roles = (
        roles_as_of(until)
        .filter(person__grid__village__path__under=unit.path)
        .annotate(missed=missed)
        .values_list(
            "kind",
            "care_level",
            "started_at",
            "last",
            "missed",
            "person_id",
            "person__name",
            "person__grid_id",
            "person__grid__name",
            "person__grid__village__path",
        )
        .order_by("person__grid__code", "pk")
    )
    visible = role_checker(user)
    owners = Owners.load()
    for kind, level, started, last, late, person, name, grid, grid_name, path in roles:
        if not _owned(owners, unit, path):
            continue
        place = Grid(pk=grid, name=grid_name, village=Organization(path=path))
        seen = visible(Person(pk=person, grid=place), kind)
        spec = KINDS[kind]
        yield Record(
            (
                mask_name(name) if seen else "—",
                Kind(kind).label if seen or not spec.special else "特殊人群",
                grid_name,
                CareLevel(level).label,
                f"{last:%Y-%m-%d}" if last else "未走访",
                f"{due_from(level, last or started):%Y-%m-%d}",
                "逾期未走访" if late else "按期",
            ),
            not late,
            reverse("registers:person", args=[person]) if seen else "",
        )


# --- 月度进展按时报送率 ----------------------------------------------------------------------------


def report_rows(period: Period, unit: Organization, now: datetime, user: Actor) -> Iterator[Record]:
    """The monthly reports `metrics.report_on_time` counts for `unit`: owed by it or a unit it
    owns over the period's months, in already or past their deadline as of now; met when in
    by the deadline."""
    owners = Owners.load()
    units = {
        org.pk: org
        for org in Organization.objects.filter(path__under=unit.path)
        if _owned(owners, unit, org.path)
    }
    rows = [
        r for r in owed_reports(first=period.first, last=period.last, now=now, units=units) if r.due
    ]
    tasks = Task.objects.in_bulk({r.task_id for r in rows})
    for r in sorted(rows, key=lambda r: (r.month, tasks[r.task_id].number, units[r.unit_id].path)):
        task = tasks[r.task_id]
        yield Record(
            (
                task.number,
                task.title,
                units[r.unit_id].name,
                f"{r.month:%Y年%m月}",
                REPORT_STATUSES[r.status],
            ),
            r.status == "on_time",
            reverse("plans:detail", args=[task.number]),
        )


# --- 网上培训完成率 ---------------------------------------------------------------------------------


def training_rows(
    period: Period, unit: Organization, now: datetime, user: Actor
) -> Iterator[Record]:
    """The learners `metrics.training_completion` counts for `unit`: of the courses due in the
    period (by today), those whose organization it owns; met when every lesson was done by
    the course's deadline."""
    last = last_day(period, now)
    if last < period.first:
        return
    owners = Owners.load()
    for course, table in courses_due(first=period.first, last=last):
        for person in table.people:
            if not _owned(owners, unit, person.org_path):
                continue
            done = completed_by_due(course, person)
            yield Record(
                (
                    course.number,
                    course.title,
                    f"{course.due_on:%Y-%m-%d}",
                    person.name,
                    person.organization,
                    "按期完成" if done else "未按期完成",
                ),
                done,
                reverse("training:detail", args=[course.number]),
            )


RECORDS: dict[str, Spec] = {
    "visits_on_time": Spec(
        "重点人员按期走访",
        "本单位网格内人员在期末（本期未结束的为现在）仍在册的重点人员类别；距上次走访"
        "（未走访的自列管之日起）未超过其关注程度的走访周期的为按期。",
        ("人员", "类别", "网格", "关注程度", "期末前最近走访", "走访周期截止", "状态"),
        "应走访的重点人员",
        "按期走访",
        "逾期未走访",
        visit_rows,
    ),
    "report_on_time": Spec(
        "月度进展按时报送",
        "本单位（含下级）承担的年度计划任务在本期各月应报送的月度进展，已报送或已过报送"
        "截止时间（次月5日，遇节假日顺延）的计入；截止前报送的为按时。",
        ("任务编号", "任务名称", "报送单位", "报告月份", "报送情况"),
        "应报送（已报送或已到期）",
        "按时报送",
        "逾期报送或未报送",
        report_rows,
    ),
    "training_completion": Spec(
        "网上培训完成情况",
        "完成期限在本期内（本期未结束的截至今天）的网上培训课程中，属于本单位（含下级）的"
        "学员；在期限当天结束前学完全部课时的为按期完成。",
        ("课程编号", "课程名称", "完成期限", "学员", "所在单位", "完成情况"),
        "应参训学员",
        "按期完成",
        "未按期完成",
        training_rows,
    ),
}
