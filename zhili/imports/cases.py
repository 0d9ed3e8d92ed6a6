"""The import kind `cases`: historical work orders (历史工单导入), written through
`zhili.cases.services.bulk.case_bulk_register`; a row already imported (same channel and
original number) is skipped."""

from openpyxl import Workbook
from openpyxl.styles import Font

from zhili.cases.models import Category, Urgency
from zhili.cases.services import Intake
from zhili.cases.services.bulk import HistoricalCase, case_bulk_register
from zhili.core import xlsx
from zhili.core.events import emit
from zhili.core.roles import Action
from zhili.imports.columns import CATEGORY_SHEET, COLUMNS, SHEET_NAME
from zhili.imports.events import CasesImported
from zhili.imports.kinds import Batch, ImportKind, register
from zhili.imports.models import ImportJob
from zhili.imports.reading import MAX_ROWS
from zhili.imports.validation import RowChecker, ValidRow

EXAMPLE_ID = "示例"  # the template's example row: never imported


def _historical(row: ValidRow, categories: dict[str, Category]) -> HistoricalCase:
    intake = Intake(
        channel=row.channel,
        category=categories[row.category_code],
        title=row.title,
        description=row.description,
        urgency=row.urgency,
        lat=row.lat,
        lng=row.lng,
        address=row.address,
        reporter_name=row.reporter_name,
        reporter_phone=row.reporter_phone,
        external_id=row.external_id,
    )
    return HistoricalCase(
        intake=intake, registered_at=row.registered_at, reply=row.reply, closed_at=row.closed_at
    )


def _write(job: ImportJob, rows: list[ValidRow]) -> Batch:
    categories = {
        c.code: c for c in Category.objects.filter(code__in={r.category_code for r in rows})
    }
    note = f"历史工单导入（批次 #{job.pk}，文件“{job.name}”）。"
    items = [_historical(row, categories) for row in rows]
    result = case_bulk_register(
        actor=job.created_by, items=items, note=note, data={"import_job": job.pk}
    )
    return Batch(created=len(result.created), skipped=result.skipped)


def _finished(job: ImportJob, created: int, skipped: int) -> None:
    emit(CasesImported(job_id=job.pk, created=created, skipped=skipped))


def _notes() -> list[str]:
    return [
        f"1. 在“{SHEET_NAME}”页第一行表头之下逐行填写，每行一条工单；列的顺序可以调整，表头文字不可修改。",
        f"2. 第二行为示例（原工单编号为“{EXAMPLE_ID}”），导入时自动忽略，可保留或删除。",
        "3. 上传后系统逐行校验：只要有一行有误，整个文件都不导入，页面列出每一处错误（行号、列名、原因），改正后重新上传即可。",
        "4. 同一来源渠道下原工单编号已导入过的工单会跳过，重复上传同一文件不会产生重复工单。",
        "5. 有经纬度的工单按网格和权责清单自动确定分拨中心和建议承办单位；只有地址的按全县权责清单分拨。",
        "6. 填写了办结时间的工单以“已办结”状态导入并保留办理结果；未填写的以“已受理”状态进入分拨工作台待派单。",
        f"7. 单个文件不超过 {MAX_ROWS:,} 行、40 MB。",
    ]  # fmt: skip


def _example() -> list[object]:
    leaves = Category.objects.filter(is_active=True, children__isnull=True).order_by("path")
    category = leaves.first()
    example = []
    for column in COLUMNS:
        value = column.example
        if column.key == "external_id":
            value = EXAMPLE_ID
        elif column.key == "category" and category is not None:
            value = category.code
        example.append(value)
    return example


def _category_sheet(book: Workbook) -> None:
    sheet = book.create_sheet(CATEGORY_SHEET)
    xlsx.append(sheet, ["事项分类编码", "名称", "上级分类", "默认紧急程度"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    urgency = dict(Urgency.choices)
    categories = Category.objects.filter(is_active=True).select_related("parent").order_by("path")
    for c in categories:
        parent = c.parent.name if c.parent else ""
        xlsx.append(sheet, [c.code, c.name, parent, urgency.get(c.default_urgency, "")])
    for letter, width in zip("ABCD", (16, 30, 20, 14), strict=True):
        sheet.column_dimensions[letter].width = width


CASES = register(
    ImportKind(
        code="cases",
        label="工单导入",
        noun="工单",
        unit="件",
        action=Action.CASES_IMPORT,
        sheet_name=SHEET_NAME,
        columns=COLUMNS,
        checker=lambda job: RowChecker.for_catalog(),
        write=_write,
        template_name="历史工单导入模板",
        notes=_notes,
        example=_example,
        index_url="imports:index",
        results_url="cases:list",
        text_keys=frozenset({"external_id", "reporter_phone", "category"}),
        finished=_finished,
        extra_sheets=_category_sheet,
        is_example=lambda row: row.external_id == EXAMPLE_ID,
    )
)
