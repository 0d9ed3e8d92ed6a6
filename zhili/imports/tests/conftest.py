"""Import fixtures: the case fixtures (catalog, rules, staff) and workbooks built in memory."""

import io
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401  (fixtures)
from zhili.imports.columns import COLUMNS
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401  (fixtures)

HEADERS = [c.header for c in COLUMNS]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def good_row(n: int, **cells: Any) -> dict[str, Any]:
    """A valid order in township T1 (grid G111), registered on 2025-03-01."""
    row: dict[str, Any] = {
        "原工单编号": f"RX-2025-{n:05d}",
        "来源渠道": "12345热线",
        "受理时间": datetime(2025, 3, 1, 9, 30),
        "事项分类编码": "HJ01",
        "标题": f"夜间施工噪音扰民 {n}",
        "诉求内容": "小区旁工地夜间施工，噪音很大，影响休息",
        "紧急程度": "一般",
        "地址": "甲镇甲一村和平路18号",
        "纬度": 34.505,
        "经度": 118.705,
        "诉求人": "王先生",
        "联系电话": "13912345678",
        "办理结果": "",
        "办结时间": None,
    }
    row.update(cells)
    return row


def workbook_bytes(
    rows: list[dict[str, Any]], headers: list[str] | None = None, title: str = "工单"
) -> bytes:
    headers = headers or HEADERS
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_upload(content: bytes, name: str = "历史工单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def run_file(staff: Any, rules: Any) -> Callable[..., Any]:  # noqa: F811
    """Upload `rows` as `actor` (the county dispatcher) and run the job as the worker would."""
    from zhili.imports.services import import_job_create, import_job_run

    def run(rows: list[dict[str, Any]] | bytes, actor: Any = None, **kwargs: Any):
        content = rows if isinstance(rows, bytes) else workbook_bytes(rows, **kwargs)
        job = import_job_create(actor=actor or staff.dispatcher, upload=xlsx_upload(content))
        return import_job_run(job.pk)

    return run
