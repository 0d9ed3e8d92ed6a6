"""What the assessors bring in by hand: manual scores with their evidence (佐证材料), and the
安全感 survey results imported from a workbook. Both end as ledger entries through
`services.ledger_post` (their keys keep them from doubling); the files stay, and the entries
link to them."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO
from zipfile import BadZipFile

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zhili.assessment import formulas
from zhili.assessment.models import Evidence, LedgerEntry, SurveyImport
from zhili.assessment.services import _item, ledger_post, manual_score
from zhili.assessment.units import ranked_units
from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.core.uploads import check_upload
from zhili.orgs.models import Organization

MAX_EVIDENCE = 5
SURVEY_ITEM = "safety_survey"
UNIT_COLUMNS = ("单位编码", "单位名称")
RATE_COLUMN = "安全感率(%)"
SAMPLE_COLUMN = "样本数"


@transaction.atomic
def score_enter(
    *,
    actor: Actor,
    unit: Organization,
    on: date,
    item_code: str,
    points: Decimal,
    reason: str,
    files: Sequence[UploadedFile] = (),
) -> LedgerEntry:
    """A manual score with up to MAX_EVIDENCE files; the entry's source is the first file."""
    if len(files) > MAX_EVIDENCE:
        raise InvalidInput(f"佐证材料最多 {MAX_EVIDENCE} 个文件", field="files")
    kinds = [check_upload(f, field="files") for f in files]
    entry = manual_score(
        actor=actor, unit=unit, on=on, item_code=item_code, points=points, reason=reason
    )
    if entry.evidence.exists():  # type: ignore[attr-defined]
        return entry  # entered before: the first entry and its files stand
    for upload, kind in zip(files, kinds, strict=True):
        Evidence.objects.create(
            entry=entry,
            file=upload,
            name=upload.name or "佐证材料",
            mime=kind.mime,
            uploaded_by=actor,
        )
    first = entry.evidence.order_by("pk").first()  # type: ignore[attr-defined]
    if first is not None:
        entry.source_url = reverse("assessment:evidence", args=[first.pk])
        entry.source_label = f"佐证材料（{entry.evidence.count()} 个文件）"  # type: ignore[attr-defined]
        entry.save(update_fields=["source_url", "source_label"])
    return entry


@dataclass(frozen=True)
class SurveyRow:
    line: int
    unit: Organization
    rate: Decimal  # percent, 0..100
    samples: int | None


def _cells(file: IO[bytes]) -> Iterator[tuple[int, dict[str, object]]]:
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput("无法读取该文件，请上传 Excel 工作簿（.xlsx）", field="file") from exc
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    if RATE_COLUMN not in header or not any(c in header for c in UNIT_COLUMNS):
        raise InvalidInput(f"表头应有“单位编码”或“单位名称”，以及“{RATE_COLUMN}”", field="file")
    for number, values in enumerate(rows, start=2):
        if any(v not in (None, "") for v in values):
            yield number, dict(zip(header, values, strict=False))
    book.close()


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _row(line: int, cells: dict[str, object], units: dict[str, Organization]) -> SurveyRow:
    key = _text(cells.get("单位编码")) or _text(cells.get("单位名称"))
    unit = units.get(key)
    if unit is None:
        raise InvalidInput(f"第 {line} 行：找不到乡镇（街道、场区）“{key}”", field="file")
    try:
        rate = Decimal(_text(cells.get(RATE_COLUMN)).rstrip("%"))
    except InvalidOperation:
        rate = Decimal("NaN")
    if not rate.is_finite() or not 0 <= rate <= 100:
        raise InvalidInput(f"第 {line} 行：{RATE_COLUMN}应为 0 至 100 之间的数", field="file")
    samples = _text(cells.get(SAMPLE_COLUMN))
    if samples and not samples.isdigit():
        raise InvalidInput(f"第 {line} 行：样本数应为整数", field="file")
    return SurveyRow(line, unit, rate, int(samples) if samples else None)


def read_survey(file: IO[bytes]) -> list[SurveyRow]:
    """Every row checked first: the first fault is a 422 naming the row; a unit twice too."""
    townships = list(ranked_units(["township"]))
    units = {u.code: u for u in townships} | {u.name: u for u in townships}
    units |= {u.area_name: u for u in townships if u.area_name}
    rows = [_row(line, cells, units) for line, cells in _cells(file)]
    seen: set[int] = set()
    for row in rows:
        if row.unit.pk in seen:
            raise InvalidInput(f"第 {row.line} 行：{row.unit.name} 重复", field="file")
        seen.add(row.unit.pk)
    if not rows:
        raise InvalidInput("表中没有数据行", field="file")
    return rows


@transaction.atomic
def survey_import(*, actor: Actor, on: date, file: UploadedFile) -> SurveyImport:
    """The survey's results as `safety_survey` entries of `on`'s year (one per township, keyed
    ``survey:<year>:<unit>:<on>``: importing the same survey again adds nothing)."""
    require(actor, Action.ASSESSMENT_MANAGE)
    if check_upload(file, field="file").extension != "xlsx":
        raise InvalidInput("请上传 Excel 工作簿（.xlsx）", field="file")
    item = _item(on.year, SURVEY_ITEM)
    rows = read_survey(file)
    file.seek(0)
    record = SurveyImport.objects.create(
        year=on.year,
        on=on,
        file=file,
        name=file.name or "安全感调查.xlsx",
        imported_by=actor,
        rows=[{"unit": r.unit.code, "rate": str(r.rate), "samples": r.samples} for r in rows],
    )
    url = reverse("assessment:survey_file", args=[record.pk])
    for row in rows:
        points = formulas.points(item.formula, row.rate / 100, item.max_points, item.params)
        samples = f"，样本 {row.samples} 份" if row.samples else ""
        ledger_post(
            actor=actor,
            unit=row.unit,
            on=on,
            item_code=SURVEY_ITEM,
            points=points,
            reason=f"安全感调查 {row.rate}%{samples}，记 {points} 分",
            source_label="安全感调查（导入）",
            source_url=url,
            key=f"survey:{on.year}:{row.unit.code}:{on:%Y-%m-%d}",
        )
    audit(actor, "assessment.survey.import", record, rows=len(rows))
    return record
