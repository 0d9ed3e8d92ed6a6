"""A course's completion as an XLSX workbook (培训完成情况表): a sheet of units and a sheet of
people, each lesson's share watched and best score; written with `zhili.core.xlsx`."""

from typing import IO

from zhili.core import xlsx
from zhili.training.models import Course
from zhili.training.selectors import Completion

UNIT_COLUMNS = [
    ("单位", 30),
    ("参训人数", 10),
    ("已开始", 10),
    ("已完成", 10),
    ("完成率", 10),
    ("观看时长（分钟）", 16),
]


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


def completion_xlsx(course: Course, table: Completion) -> IO[bytes]:
    book = xlsx.new_workbook(write_only=True)
    units = xlsx.export_sheet(book, "按单位", UNIT_COLUMNS)
    for org in table.orgs:
        rate = f"{org.rate * 100:.1f}%" if org.rate is not None else "—"
        values = [org.name, org.learners, org.started, org.complete, rate, _minutes(org.watched_s)]
        xlsx.append(units, values)
    columns = [("单位", 30), ("姓名", 12)]
    for lesson in table.lessons:
        columns += [(f"第{lesson.order}课时观看（%）", 14), (f"第{lesson.order}课时测验", 12)]
    columns += [("已完成课时", 10), ("观看时长（分钟）", 16), ("是否完成", 10), ("完成时间", 18)]
    people = xlsx.export_sheet(book, "按人员", columns)
    for person in table.people:
        row: list[object] = [person.organization, person.name]
        for status in person.statuses:
            row += [status.percent, "—" if status.best_score is None else status.best_score]
        row += [
            person.done,
            _minutes(person.watched_s),
            "是" if person.complete else "否",
            xlsx.local(person.completed_at),
        ]
        xlsx.append(people, [xlsx.moment_cell(people, v) for v in row])  # type: ignore[arg-type]
    return xlsx.saved(book)


def xlsx_filename(course: Course) -> str:
    return f"培训完成情况_{course.number}.xlsx"
