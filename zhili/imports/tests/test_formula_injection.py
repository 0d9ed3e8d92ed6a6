"""Formula injection (OWASP CSV injection) through the unauthenticated channels into every
XLSX the case pages hand out: the export of the list, the import template and the import
report. Each workbook is opened as a user would get it; no cell is a formula and the text is
what the case holds. The mediation and reception workbooks have the same test beside theirs."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhili.cases.models import Case
from zhili.cases.tests.conftest import make_category
from zhili.core.tests.test_xlsx import PAYLOADS, inert_cells
from zhili.imports.models import ImportJob, JobState
from zhili.integrations.tests.conftest import fallback, order_body, push, sources  # noqa: F401
from zhili.portal.tests.conftest import Citizen

pytestmark = pytest.mark.django_db


def _download(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_case_export_writes_hostile_text_as_text(client, push, staff, catalog):  # noqa: F811
    for n, payload in enumerate(PAYLOADS):
        answer = push(order_body(f"12345-INJ-{n}", content=payload, caller_name=payload))
        assert answer.status_code == 201, answer.content
    citizen = Citizen(client)
    for payload in PAYLOADS[:2]:
        sent = citizen.report(description=f"{payload}\n小区噪音", reporter_name=payload[:20])
        assert sent.status_code in (200, 302), sent.content[:300]
    cases = list(Case.objects.all())
    assert len(cases) == len(PAYLOADS) + 2
    client.force_login(staff.dispatcher)
    texts = inert_cells(_download(client.get(reverse("imports:export_cases"))))
    for case in cases:
        # The text the case holds, exactly (intake may trim a title, the export never).
        assert case.title in texts and case.description in texts and case.reporter_name in texts
    # Intake trims a leading tab or carriage return; the other triggers reach the workbook
    # (the tab and carriage return themselves are covered in zhili/core/tests/test_xlsx.py).
    for payload in PAYLOADS:
        assert payload.strip() in texts


def test_import_template_and_report_write_hostile_text_as_text(client, staff, catalog):
    for n, payload in enumerate(PAYLOADS):
        make_category(f"ZZ{n:02d}", payload)
    job = ImportJob.objects.create(
        name=PAYLOADS[0],
        created_by=staff.dispatcher,
        state=JobState.REJECTED,
        message=PAYLOADS[1],
        errors=[{"row": 2, "column": p, "message": p} for p in PAYLOADS],
        error_count=len(PAYLOADS),
    )
    client.force_login(staff.dispatcher)
    template = inert_cells(_download(client.get(reverse("imports:template"))))
    report = inert_cells(_download(client.get(reverse("imports:job_report", args=[job.pk]))))
    for payload in PAYLOADS:
        assert payload in template and payload in report
    # The sheet is still usable as the officer sees it: the header row is plain text.
    sheet = load_workbook(BytesIO(_download(client.get(reverse("imports:template"))))).active
    assert sheet["A1"].data_type == "s" and not sheet["A1"].quotePrefix
