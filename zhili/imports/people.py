"""The XLSX import of the people register (实有人口导入), the import kind `people` (zhili/imports
/kinds.py): the upload, the two passes, the progress and the all-or-nothing report are the
framework's; this module says what a row is, and writes the rows into zhili/registers (a
lower layer: the register knows nothing of the import).

- A row is a person: the resident ID number (GB 11643 checksum, birth date, province, by
  `services.check_id_number`), the name, the grid by its code and the register's other
  fields; sex and birth date come from the number. An optional 人员类别 (a role kind's
  label) with its 关注程度 adds that role.
- Scope: the uploader keeps people only in the grids they hold (`selectors.held_grids`: a grid
  worker's own grids, a village's or township's subtree); a row for any other grid is a
  row error, as `person_create` refuses it.
- Re-import: a person is identified by the ID number. A row whose number is already
  registered is skipped and the existing person is left unchanged (also their roles):
  re-importing a file adds nothing, and a corrected row never overwrites a record whose
  changes are kept one by one in its history; corrections are made on the person's page.
- Personal data never appears in a fault: faults name the row and the column, and a
  repeated number is named by the row where it first appears.
- Each written person gets a history row (`import`, with the job's number); each batch is
  audited with the people it created; the job's upload and end are audited by the framework.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict, cast

from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.events import emit
from zhili.core.personal import mask_id_number
from zhili.core.roles import Action
from zhili.imports.kinds import Batch, Column, ImportKind, register
from zhili.imports.models import ImportJob
from zhili.imports.reading import MAX_ROWS, Cell, RowError, cell_text
from zhili.imports.validation import Checker, Fault
from zhili.orgs.models import Grid
from zhili.registers import selectors
from zhili.registers.events import PeopleRegistered
from zhili.registers.kinds import CareLevel, Kind
from zhili.registers.models import Changes, Person, PersonChange, PersonRole
from zhili.registers.services import KEPT_ELSEWHERE, TEXT_FIELDS, check_id_number, identity_of

SHEET_NAME = "实有人口"
EXAMPLE_NAME = "示例"  # the template's example row (its 姓名): never imported
EXAMPLE_ID = "320722198001011234"  # a well-formed number; the row is known by its name
# The kinds a grid registers: not those another register keeps (重点上访人员: the petition
# office's key-petitioner register, registers.services.KEPT_ELSEWHERE).
IMPORTED_KINDS = [(code, label) for code, label in Kind.choices if code not in KEPT_ELSEWHERE]
KIND_LABELS = {label: code for code, label in IMPORTED_KINDS} | {c: c for c, _ in IMPORTED_KINDS}
CARE_LABELS = {label: code for code, label in CareLevel.choices} | {c: c for c in CareLevel.values}
YES, NO = {"是", "Y", "y", "1", "TRUE", "true"}, {"否", "N", "n", "0", "FALSE", "false"}

COLUMNS: list[Column] = [
    Column("公民身份号码", "id_number", True, "18位居民身份证号码，校验位须正确；同一号码只登记一人，已登记的跳过（不修改已有信息）", EXAMPLE_ID, 22),
    Column("姓名", "name", True, "不超过60字", "张三", 10),
    Column("所属网格编码", "grid", True, "网格编码（见“网格”页），只能是您管辖范围内的网格", "32072210100101", 18),
    Column("联系电话", "phone", False, "手机11位，或带区号的固定电话", "13912345678", 14),
    Column("曾用名", "former_names", False, "不超过120字", "", 10),
    Column("民族", "ethnicity", False, "如 汉族", "汉族", 8),
    Column("籍贯", "native_place", False, "不超过100字", "江苏东海", 12),
    Column("婚姻状况", "marital_status", False, "如 未婚、已婚、离婚、丧偶", "已婚", 10),
    Column("政治面貌", "political_status", False, "如 群众、中共党员", "群众", 10),
    Column("学历", "education", False, "如 初中、高中、大学本科", "高中", 10),
    Column("宗教信仰", "religion", False, "无则不填", "", 10),
    Column("职业", "occupation", False, "不超过60字", "务农", 10),
    Column("服务处所", "workplace", False, "不超过200字", "", 16),
    Column("户籍地详址", "registered_address", False, "不超过200字", "东海县牛山街道和平路18号", 26),
    Column("现住地详址", "current_address", False, "不超过200字", "东海县牛山街道和平路18号", 26),
    Column("房屋（楼栋、门牌）", "house", False, "不超过120字", "和平路18号", 16),
    Column("房间", "room", False, "不超过40字", "301", 8),
    Column("人户一致", "same_as_registered", False, "是 或 否；不填为“是”", "是", 10),
    Column("人员类别", "role", False, "如有，填写一个：" + "、".join(label for _, label in IMPORTED_KINDS), "", 14),
    Column("关注程度", "care_level", "填写人员类别时选填", "高、中 或 低；不填为“中”", "", 10),
]  # fmt: skip

HEADER = {column.key: column.header for column in COLUMNS}


@dataclass(frozen=True)
class PersonRow:
    """A checked row: plain values only, so that it pickles small between the two passes."""

    row: int
    id_number: str
    grid_id: int
    values: dict[str, str | bool]  # the register's text fields, phone and same_as_registered
    role: str
    care_level: str


class PersonCells(TypedDict):
    """A faultless row's values beside the text fields, as `PeopleChecker.parsers` give them."""

    id_number: str
    grid: int
    phone: str
    same_as_registered: bool
    role: str
    care_level: str


@dataclass
class PeopleChecker(Checker[PersonRow]):
    header_of: dict[str, str] = field(default_factory=lambda: HEADER)
    grids: dict[str, int] = field(default_factory=dict)
    today: date = field(default_factory=timezone.localdate)
    seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def for_job(cls, job: ImportJob) -> "PeopleChecker":
        grids = dict(selectors.held_grids(job.created_by).values_list("code", "pk"))
        return cls(grids=grids)

    @property
    def parsers(self) -> dict[str, Callable[[Cell], object]]:
        parsers: dict[str, Callable[[Cell], object]] = {k: self._texter(k) for k in TEXT_FIELDS}
        return parsers | {
            "id_number": self._id_number,
            "name": self._name,
            "grid": self._grid,
            "phone": self.phone,
            "same_as_registered": self._yes_no,
            "role": self._role,
            "care_level": self._care,
        }

    def _texter(self, key: str) -> Callable[[Cell], str]:
        limit = TEXT_FIELDS[key]

        def parse(value: Cell) -> str:
            text = cell_text(value)
            if len(text) > limit:
                raise Fault(f"不能超过{limit}字（现有{len(text)}字）")
            return text

        return parse

    def _id_number(self, value: Cell) -> str:
        number = cell_text(value).upper()
        if not number:
            raise Fault("必填")
        try:
            return check_id_number(number, today=self.today)
        except InvalidInput as exc:  # its message names the rule, never the number
            raise Fault(exc.message) from exc

    def _name(self, value: Cell) -> str:
        name = self._texter("name")(value)
        if not name:
            raise Fault("必填")
        return name

    def _grid(self, value: Cell) -> int:
        code = cell_text(value)
        if not code:
            raise Fault("必填")
        if code not in self.grids:
            raise Fault(f"网格“{code}”不存在或不在您的管辖范围内")
        return self.grids[code]

    def _yes_no(self, value: Cell) -> bool:
        text = cell_text(value)
        if not text or text in YES:
            return True
        if text in NO:
            return False
        raise Fault(f"应为“是”或“否”，而不是“{text}”")

    def _role(self, value: Cell) -> str:
        text = cell_text(value)
        if not text:
            return ""
        if text not in KIND_LABELS:
            raise Fault(f"无法识别的人员类别“{text}”")
        return KIND_LABELS[text]

    def _care(self, value: Cell) -> str:
        text = cell_text(value)
        if not text:
            return CareLevel.NORMAL
        if text not in CARE_LABELS:
            raise Fault(f"无法识别的关注程度“{text}”，应为 高、中 或 低")
        return CARE_LABELS[text]

    def across(self, number: int, values: Mapping[str, object]) -> list[RowError]:
        faults = []
        if values.get("care_level", CareLevel.NORMAL) != CareLevel.NORMAL and not values.get(
            "role", "x"
        ):
            faults.append(RowError(number, HEADER["care_level"], "填写关注程度须同时填写人员类别"))
        id_number = values.get("id_number")
        if isinstance(id_number, str) and id_number and values.get("name") != EXAMPLE_NAME:
            first = self.seen.setdefault(id_number, number)
            if first != number:
                message = f"与第 {first} 行的身份证号码重复（同一号码只登记一人）"
                faults.append(RowError(number, HEADER["id_number"], message))
        return faults

    def check(self, number: int, row: dict[str, Cell]) -> PersonRow | None:
        if _is_example_cells(row):
            self.rows += 1
            return EXAMPLE
        return super().check(number, row)

    def valid(self, number: int, values: Mapping[str, object]) -> PersonRow:
        # Every check passed: each value is what its field's check gives.
        fields = cast("dict[str, str | bool]", {key: values[key] for key in TEXT_FIELDS})
        cells = cast(PersonCells, values)
        fields["phone"] = cells["phone"]
        fields["same_as_registered"] = cells["same_as_registered"]
        return PersonRow(
            row=number,
            id_number=cells["id_number"],
            grid_id=cells["grid"],
            values=fields,
            role=cells["role"],
            care_level=cells["care_level"],
        )


EXAMPLE = PersonRow(row=0, id_number="", grid_id=0, values={}, role="", care_level="")


def _is_example_cells(row: dict[str, Cell]) -> bool:
    """The template's example row (its name and its number, whose check digit is wrong)."""
    return cell_text(row.get("name")) == EXAMPLE_NAME and cell_text(row.get("id_number")) in (
        EXAMPLE_ID,
        "",
    )


def _person(row: PersonRow, now: datetime) -> Person:
    born, sex = identity_of(row.id_number)
    return Person(
        id_number=row.id_number,
        birth_date=born,
        sex=sex,
        grid_id=row.grid_id,
        created_at=now,
        updated_at=now,
        **row.values,
    )


def people_write(job: ImportJob, rows: list[PersonRow]) -> Batch:
    """One batch in the caller's transaction: the people not yet registered, their roles,
    their history rows, one audit row naming them. Already registered: skipped, unchanged."""
    fresh = _not_registered(rows)
    now = timezone.now()
    people = Person.objects.bulk_create([_person(row, now) for row in fresh], batch_size=500)
    written = list(zip(fresh, people, strict=True))
    roles = _add_roles(written, now)
    _add_history(job, written, now)
    if people:
        audit(
            job.created_by,
            "registers.person.import",
            job,
            people=[p.pk for p in people],
            roles=roles,
        )
        emit(PeopleRegistered(count=len(people), by_id=job.created_by_id))
    return Batch(created=len(people), skipped=len(rows) - len(people))


def _not_registered(rows: list[PersonRow]) -> list[PersonRow]:
    numbers = [row.id_number for row in rows]
    known = set(Person.objects.filter(id_number__in=numbers).values_list("id_number", flat=True))
    return [row for row in rows if row.id_number not in known]


def _add_roles(written: list[tuple[PersonRow, Person]], now: datetime) -> int:
    """The roles the rows of the people written give them; how many."""
    roles = [
        PersonRole(person=person, kind=row.role, care_level=row.care_level, started_at=now)
        for row, person in written
        if row.role
    ]
    PersonRole.objects.bulk_create(roles, batch_size=500)
    return len(roles)


def _add_history(job: ImportJob, written: list[tuple[PersonRow, Person]], now: datetime) -> None:
    """Each person written gets a history row: `import`, with the job's number."""
    grid_ids = {row.grid_id for row, _ in written}
    grids = dict(Grid.objects.filter(pk__in=grid_ids).values_list("pk", "code"))
    history = [
        PersonChange(
            person=person,
            actor=job.created_by,
            at=now,
            action="import",
            changes=_changes(row, grids, job),
        )
        for row, person in written
    ]
    PersonChange.objects.bulk_create(history, batch_size=500)


def _changes(row: PersonRow, grids: dict[int, str], job: ImportJob) -> Changes:
    changes: Changes = {"id_number": [None, mask_id_number(row.id_number)]}
    changes["grid"] = [None, grids.get(row.grid_id, "")]
    if row.role:
        changes["role"] = [None, row.role]
    changes["import_job"] = [None, job.pk]
    return changes


def _notes() -> list[str]:
    return [
        f"1. 在“{SHEET_NAME}”页第一行表头之下逐行填写，每行一人；列的顺序可以调整，表头文字不可修改。",
        f"2. 第二行为示例（姓名为“{EXAMPLE_NAME}”），导入时自动忽略，可保留或删除。",
        "3. 性别和出生日期由身份证号码自动得出，无须填写；号码校验位、出生日期、省级代码有误的行会被指出。",
        "4. 上传后系统逐行校验：只要有一行有误，整个文件都不导入，页面列出每一处错误（行号、列名、原因），错误说明中不显示身份证号码和电话。",
        "5. 身份证号码已登记的人员跳过，已有信息不被修改（修改请到人员页面办理，留有变更记录）；重复上传同一文件不会新增任何人员。",
        "6. 只能导入您管辖范围内的网格；其他网格的行作为错误列出。",
        f"7. 单个文件不超过 {MAX_ROWS:,} 行、40 MB。",
    ]  # fmt: skip


def _example() -> list[object]:
    return [EXAMPLE_NAME if c.key == "name" else c.example for c in COLUMNS]


PEOPLE = register(
    ImportKind(
        code="people",
        label="实有人口导入",
        noun="人员",
        unit="人",
        action=Action.REGISTERS_EDIT,
        sheet_name=SHEET_NAME,
        columns=COLUMNS,
        checker=PeopleChecker.for_job,
        write=people_write,
        template_name="实有人口导入模板",
        notes=_notes,
        example=_example,
        index_url="imports:people_import",
        results_url="registers:people",
        is_example=lambda row: row is EXAMPLE or row == EXAMPLE,
        text_keys=frozenset({"id_number", "grid", "phone"}),
    )
)
