"""The import pages: who may use them, the upload's checks, the job page and its report."""

import pytest
from django.urls import reverse

from zhili.cases.models import Case
from zhili.imports.models import ImportJob, JobState
from zhili.imports.tests.conftest import good_row, workbook_bytes, xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin", True),
        ("dispatcher", True),
        ("township", False),
        ("police", False),
        ("leader", False),
        ("village", False),
    ],
)
def test_only_dispatchers_and_administrators_may_import(client, staff, persona, allowed):
    user = getattr(staff, persona)
    client.force_login(user)
    page = client.get(reverse("imports:index"))
    assert page.status_code == (200 if allowed else 403)
    assert client.get(reverse("imports:template")).status_code == (200 if allowed else 403)
    upload = client.post(reverse("imports:index"), {"file": xlsx_upload(workbook_bytes([]))})
    assert upload.status_code == (302 if allowed else 403)
    assert ImportJob.objects.exists() == allowed
    home = client.get(reverse("web:home")).content.decode()
    assert ("工单导入" in home) == allowed


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and "/login/" in response.url


def test_the_upload_is_checked_by_its_content(client, staff):
    client.force_login(staff.dispatcher)
    fake = xlsx_upload(b"\x89PNG\r\n\x1a\n" + b"0" * 100, name="工单.xlsx")
    response = client.post(reverse("imports:index"), {"file": fake})
    assert response.status_code == 422
    assert "请上传 Excel 工作簿" in response.content.decode()
    response = client.post(reverse("imports:index"), {})
    assert response.status_code == 422
    assert "请选择要导入的 Excel 文件" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_job_page_shows_the_report_of_a_rejected_file(client, staff, run_file):
    rows = [good_row(1), good_row(2, 联系电话="12345"), good_row(3, 纬度="北纬34度")]
    job = run_file(rows)
    client.force_login(staff.dispatcher)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "未导入任何工单" in page
    assert "第 3 行" in page and "联系电话" in page
    assert "第 4 行" in page and "纬度" in page
    assert "hx-trigger" not in page  # finished: no more polling
    report = client.get(reverse("imports:job_report", args=[job.pk]))
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]


def test_the_job_page_polls_while_the_job_runs(client, staff, rules):
    from zhili.imports.services import import_job_create, import_job_run

    job = import_job_create(
        actor=staff.dispatcher, upload=xlsx_upload(workbook_bytes([good_row(1), good_row(2)]))
    )
    client.force_login(staff.dispatcher)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert (
        'hx-trigger="every 1s"' in page and reverse("imports:job_progress", args=[job.pk]) in page
    )
    import_job_run(job.pk)
    fragment = client.get(reverse("imports:job_progress", args=[job.pk])).content.decode()
    assert 'data-state="done"' in fragment and "hx-trigger" not in fragment
    assert "新增 2 件" in fragment
    assert Case.objects.count() == 2


def test_a_dispatcher_sees_only_own_jobs_an_administrator_all(client, staff, make_user, tree):
    from zhili.core.roles import Role

    other = make_user("dispatcher2", tree.county, Role.DISPATCHER)
    job = ImportJob.objects.create(name="a.xlsx", created_by=other, state=JobState.DONE)
    client.force_login(staff.dispatcher)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:job_report", args=[job.pk])).status_code == 404
    client.force_login(staff.admin)
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 200
