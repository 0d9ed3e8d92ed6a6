"""The template: downloadable, documented, and importable once filled."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhili.cases.models import Case
from zhili.imports.columns import CATEGORY_SHEET, COLUMNS, NOTES_SHEET, SHEET_NAME
from zhili.imports.models import JobState
from zhili.imports.services import EXAMPLE_ID
from zhili.imports.tests.conftest import HEADERS, good_row

pytestmark = pytest.mark.django_db


def download(client, user) -> bytes:
    client.force_login(user)
    response = client.get(reverse("imports:template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_the_template_has_the_columns_an_example_and_notes(client, staff, catalog):
    book = load_workbook(BytesIO(download(client, staff.dispatcher)))
    assert book.sheetnames == [SHEET_NAME, NOTES_SHEET, CATEGORY_SHEET]
    rows = list(book[SHEET_NAME].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    example = dict(zip(HEADERS, rows[1], strict=True))
    assert example["原工单编号"] == EXAMPLE_ID
    assert example["事项分类编码"] in {"HJ01", "SZ01", "JF"}  # a real leaf of the catalog
    notes = [r[0] for r in book[NOTES_SHEET].iter_rows(values_only=True)]
    assert all(c.header in notes for c in COLUMNS)
    codes = [r[0] for r in book[CATEGORY_SHEET].iter_rows(min_row=2, values_only=True)]
    assert set(codes) == {"HJ", "HJ01", "SZ", "SZ01", "JF"}


def test_the_template_filled_in_imports_cleanly(client, staff, rules, run_file):
    book = load_workbook(BytesIO(download(client, staff.dispatcher)))
    sheet = book[SHEET_NAME]
    for n in (1, 2):
        row = good_row(n, 受理时间="2025-03-01 10:00")
        sheet.append([row[h] for h in HEADERS])
    out = BytesIO()
    book.save(out)
    job = run_file(out.getvalue())
    assert job.state == JobState.DONE, job.errors
    assert (job.total_rows, job.created_count) == (2, 2)  # the example row is not imported
    assert set(Case.objects.values_list("external_id", flat=True)) == {
        "RX-2025-00001",
        "RX-2025-00002",
    }


def test_the_untouched_template_has_nothing_to_import(client, staff, rules, run_file):
    job = run_file(download(client, staff.dispatcher))
    assert job.state == JobState.REJECTED
    assert "没有工单数据" in job.errors[0]["message"]
    assert Case.objects.count() == 0
