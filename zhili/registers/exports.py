"""Export of the people list to XLSX (实有人口导出), for the same filters and scope as the
list page (`selectors.people_list`).

ID numbers and phones are masked unless the user asks for them in full and holds
`personal_data.reveal`; anyone else asking is refused (403), never silently given a masked
file. A special group's role is written only where the user may see it (the rule of
`selectors.role_visible`, as sets). Every export is audited: who, the filters, how many
people, whether unmasked, and the special-group roles it held.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhili.core import xlsx
from zhili.core.audit import audit
from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.registers import selectors
from zhili.registers.kinds import KINDS, CareLevel, Kind
from zhili.registers.models import Person, PersonRole

MAX_EXPORT = 100_000  # people per file, as the case export's cases
CHUNK = 2000
_KINDS = dict(Kind.choices)
_CARE = dict(CareLevel.choices)

# (header, width, value of a person)
COLUMNS: list[tuple[str, int, Callable[[Person], xlsx.Value]]] = [
    ("姓名", 10, lambda p: p.name),
    ("性别", 6, lambda p: p.get_sex_display()),
    ("出生日期", 12, lambda p: p.birth_date),
    ("民族", 8, lambda p: p.ethnicity),
    ("籍贯", 12, lambda p: p.native_place),
    ("婚姻状况", 9, lambda p: p.marital_status),
    ("政治面貌", 9, lambda p: p.political_status),
    ("学历", 9, lambda p: p.education),
    ("宗教信仰", 9, lambda p: p.religion),
    ("职业", 10, lambda p: p.occupation),
    ("服务处所", 16, lambda p: p.workplace),
    ("户籍地详址", 24, lambda p: p.registered_address),
    ("现住地详址", 24, lambda p: p.current_address),
    ("所属网格编码", 16, lambda p: p.grid.code),
    ("所属网格", 14, lambda p: p.grid.name),
    ("房屋（楼栋、门牌）", 14, lambda p: p.house),
    ("房间", 8, lambda p: p.room),
    ("人户一致", 8, lambda p: "是" if p.same_as_registered else "否"),
    ("状态", 8, lambda p: "已注销" if p.archived else "在册"),
]
ID_HEADER, PHONE_HEADER, ROLES_HEADER = "公民身份号码", "联系电话", "人员类别（关注程度）"
HEADERS = [
    (ID_HEADER, 22),
    *((h, w) for h, w, _ in COLUMNS),
    (PHONE_HEADER, 14),
    (ROLES_HEADER, 26),
]


def _roles(
    people: list[Person], held: set[int], worked: set[str]
) -> tuple[dict[int, list[str]], int]:
    """person id -> its open roles the user may see (`held`: the grids they hold, `worked`:
    the special groups they work with), as "label（level）" texts; and how many of those are
    a special group's."""
    found: dict[int, list[str]] = {}
    special = 0
    by_id = {p.pk: p for p in people}
    rows = PersonRole.objects.filter(person_id__in=by_id, ended_at__isnull=True).order_by("id")
    for role in rows.only("person_id", "kind", "care_level"):
        spec = KINDS[role.kind]
        if spec.special and role.kind not in worked and by_id[role.person_id].grid_id not in held:
            continue
        special += spec.special
        label = f"{_KINDS[role.kind]}（{_CARE[role.care_level]}）"
        found.setdefault(role.person_id, []).append(label)
    return found, special


def people_export(
    *, user: Actor, grid: str = "", role: str = "", q: str = "", unmasked: bool = False
) -> tuple[IO[bytes], int]:
    """The people `user` sees matching the filters, as an XLSX in a temporary file (rewound),
    and how many rows it holds. Unmasked without `personal_data.reveal`: Forbidden. More
    than MAX_EXPORT people: InvalidInput, nothing written."""
    if unmasked and not can(user, Action.PERSONAL_DATA_REVEAL):
        raise Forbidden("您无权导出完整的身份证号码和电话", field="unmasked")
    people = selectors.people_list(user, grid=grid, role=role, q=q)
    _within_limit(people.count())
    book = xlsx.new_workbook(write_only=True)
    rows = _Rows(
        sheet=xlsx.export_sheet(book, "实有人口", HEADERS),
        held=set(selectors.held_grids(user).values_list("pk", flat=True)),
        worked=selectors.worked_kinds(user),
        unmasked=unmasked,
    )
    rows.write_all(people.select_related("grid").order_by("-created_at", "-id"))
    out = xlsx.saved(book)
    filters = {k: v for k, v in {"grid": grid, "role": role, "q": q}.items() if v}
    _audit_export(user, rows, filters if not q else filters | {"q": "(given)"})
    return out, rows.written


@transaction.atomic
def _audit_export(user: Actor, rows: "_Rows", filters: dict[str, str]) -> None:
    """Who exported, the filters (`q` only as given), how many people, whether unmasked,
    and how many special-group roles the file holds."""
    audit(
        user,
        "registers.people.export",
        None,
        rows=rows.written,
        unmasked=rows.unmasked,
        special_roles=rows.special,
        filters=filters,
    )


def _within_limit(count: int) -> None:
    if count > MAX_EXPORT:
        raise InvalidInput(
            f"符合条件的人员共 {count:,} 人，超过单次导出上限 {MAX_EXPORT:,} 人，"
            "请选择网格或人员类别后分批导出",
            field="export",
        )


@dataclass
class _Rows:
    """An export's rows: ID numbers and phones masked unless `unmasked`, a special group's
    role only where the user may see it (`held`: the grids they hold, `worked`: the groups
    they work with). Counts the rows written and the special-group roles shown."""

    sheet: xlsx.Sheet
    held: set[int]
    worked: set[str]
    unmasked: bool
    written: int = 0
    special: int = 0

    def write_all(self, people: QuerySet[Person]) -> None:
        batch: list[Person] = []
        for person in people.iterator(chunk_size=CHUNK):
            batch.append(person)
            if len(batch) == CHUNK:
                self.write(batch)
                batch = []
        self.write(batch)

    def write(self, people: list[Person]) -> None:
        roles, special = _roles(people, self.held, self.worked)
        for person in people:
            values = [self._id(person.id_number)] + [value(person) for _h, _w, value in COLUMNS]
            values += [self._phone(person.phone), "、".join(roles.get(person.pk, []))]
            xlsx.append(self.sheet, [xlsx.moment_cell(self.sheet, v) for v in values])
        self.written += len(people)
        self.special += special

    def _id(self, number: str) -> str:
        return number if self.unmasked else mask_id_number(number)

    def _phone(self, phone: str) -> str:
        return phone if self.unmasked else mask_phone(phone)


def export_filename(*, unmasked: bool, now: datetime | None = None) -> str:
    moment = timezone.localtime(now or timezone.now())
    suffix = "_完整号码" if unmasked else ""
    return f"实有人口导出_{moment:%Y%m%d_%H%M}{suffix}.xlsx"
