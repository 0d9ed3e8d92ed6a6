"""The people register's XLSX import (the import framework's kind `people`) and the export
of the list: all-or-nothing with faults by row and column, re-import adds nothing, progress,
scope by grid, masked personal data, audit, the unmasked export refused to a role without
the reveal right."""

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from zhili.core.models import AuditLog
from zhili.imports.models import ImportJob, JobState
from zhili.imports.people import COLUMNS, SHEET_NAME
from zhili.imports.services import import_job_create, import_job_run
from zhili.imports.tests.conftest import workbook_bytes
from zhili.registers.models import Person, PersonChange, PersonRole
from zhili.registers.tests.conftest import People, id_number

HEADERS = [c.header for c in COLUMNS]
G111, G112 = "32072290100101", "32072290100102"
G211 = "32072290200101"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def row(n: int, **cells: Any) -> dict[str, Any]:
    values = {
        "公民身份号码": id_number(born="19850607", seq=f"{n:03d}"),
        "姓名": f"居民{n}",
        "所属网格编码": G111,
        "联系电话": "13912345678",
        "民族": "汉族",
        "现住地详址": f"甲镇甲一村{n}号",
        "人户一致": "是",
    }
    return values | cells


def workbook(rows: list[dict[str, Any]]) -> bytes:
    return workbook_bytes(rows, HEADERS, title=SHEET_NAME)


def run(actor: Any, rows: list[dict[str, Any]] | bytes) -> ImportJob:
    content = rows if isinstance(rows, bytes) else workbook(rows)
    upload = SimpleUploadedFile("人口.xlsx", content)
    job = import_job_create(actor=actor, upload=upload, kind="people")
    return import_job_run(job.pk)


def test_import_writes_people_roles_history_and_audit(people: People) -> None:
    rows = [row(1), row(2, 人员类别="社区矫正人员", 关注程度="高"), row(3, 人户一致="否")]
    job = run(people.township, rows)
    assert job.state == JobState.DONE and job.kind == "people"
    assert (job.created_count, job.skipped_count, job.percent) == (3, 0, 100)
    first = Person.objects.get(name="居民1")
    assert first.birth_date == date(1985, 6, 7) and first.grid.code == G111
    assert first.sex == "male"  # the 17th digit is odd
    role = PersonRole.objects.get(person__name="居民2")
    assert (role.kind, role.care_level) == ("correction", "high")
    assert Person.objects.get(name="居民3").same_as_registered is False
    change = PersonChange.objects.get(person=first)
    assert change.action == "import" and change.changes["import_job"] == [None, job.pk]
    assert first.id_number not in str(change.changes)
    logged = AuditLog.objects.get(action="registers.person.import")
    assert sorted(logged.extra["people"]) == sorted(Person.objects.values_list("pk", flat=True))
    assert AuditLog.objects.filter(action="imports.job.import", actor=people.township).exists()


def test_one_bad_row_imports_nothing_and_names_row_and_column(people: People) -> None:
    good = row(1)
    bad_number = good["公民身份号码"][:17] + ("0" if good["公民身份号码"][17] != "0" else "1")
    rows = [
        good,
        row(2, 公民身份号码=bad_number),
        row(3),
        row(4, 公民身份号码=good["公民身份号码"]),
    ]
    rows.append(row(5, 联系电话="12345"))
    rows.append(row(6, 人员类别="重点上访人员"))  # kept by the petition office's register
    job = run(people.township, rows)
    assert job.state == JobState.REJECTED and Person.objects.count() == 0
    faults = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert faults[(3, "公民身份号码")] == "身份证号码校验位不正确"
    assert faults[(5, "公民身份号码")] == "与第 2 行的身份证号码重复（同一号码只登记一人）"
    assert (6, "联系电话") in faults
    assert faults[(7, "人员类别")] == "无法识别的人员类别“重点上访人员”"
    assert job.error_rows == 4 and "未导入任何人员" in job.message
    text = str(job.errors)
    assert good["公民身份号码"] not in text and bad_number not in text and "12345" not in text
    assert AuditLog.objects.filter(action="imports.job.reject").exists()


def test_reimport_adds_nothing_and_leaves_people_unchanged(people: People) -> None:
    content = workbook([row(1), row(2, 人员类别="留守人员")])
    assert run(people.township, content).created_count == 2
    person = Person.objects.get(name="居民1")
    changed = workbook([row(1, 姓名="改名的居民"), row(2, 人员类别="留守人员")])
    again = run(people.township, content)
    assert (again.state, again.created_count, again.skipped_count) == (JobState.DONE, 0, 2)
    third = run(people.township, changed)
    assert (third.created_count, third.skipped_count) == (0, 2)
    assert Person.objects.count() == 2 and PersonRole.objects.count() == 1
    person.refresh_from_db()
    assert person.name == "居民1" and person.changes.count() == 1


def test_township_officer_imports_only_into_own_grids(people: People) -> None:
    job = run(people.township, [row(1), row(2, 所属网格编码=G211), row(3, 所属网格编码="X9")])
    assert job.state == JobState.REJECTED and Person.objects.count() == 0
    faults = {(e["row"], e["column"]) for e in job.errors}
    assert faults == {(3, "所属网格编码"), (4, "所属网格编码")}
    assert run(people.other_township, [row(2, 所属网格编码=G211)]).created_count == 1


def test_grid_worker_imports_only_into_their_grid(people: People) -> None:
    job = run(people.gridworker, [row(1, 所属网格编码=G112)])
    assert job.state == JobState.REJECTED
    assert job.errors[0]["column"] == "所属网格编码"
    assert run(people.gridworker, [row(1)]).created_count == 1


def test_progress_moves_in_batches(people: People, monkeypatch: Any) -> None:
    from zhili.imports import services

    seen: list[tuple[str, int]] = []
    real = services._progress

    def spy(job: Any, **fields: Any) -> None:
        real(job, **fields)
        stored = ImportJob.objects.get(pk=job.pk)
        seen.append((stored.state, stored.percent))

    monkeypatch.setattr(services, "BATCH", 2)
    monkeypatch.setattr(services, "_progress", spy)
    job = run(people.village, [row(n) for n in range(1, 6)])
    assert job.created_count == 5
    importing = [p for state, p in seen if state == JobState.IMPORTING]
    assert importing == sorted(importing) and 50 <= importing[0] < importing[-1] < 100
    assert seen[-1] == (JobState.DONE, 100)


def test_the_pages_upload_show_progress_and_the_template(client: Any, people: People) -> None:
    client.force_login(people.township)
    page = client.get("/registers/people/import/").content.decode()
    assert "实有人口导入" in page and "公民身份号码" in page
    template = client.get("/registers/people/import/template.xlsx")
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book[SHEET_NAME][1]] == HEADERS
    assert book[SHEET_NAME]["B2"].value == "示例"
    upload = SimpleUploadedFile("人口.xlsx", workbook([row(1)]))
    response = client.post("/registers/people/import/", {"file": upload})
    job = ImportJob.objects.get(kind="people")
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert "排队中" in client.get(f"/imports/{job.pk}/_progress/").content.decode()
    import_job_run(job.pk)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "导入完成" in page and "新增人员" in page and "返回实有人口导入" in page
    # The template's example row is not imported.
    assert run(people.township, template.content).state == JobState.REJECTED  # no data rows
    client.force_login(people.dispatcher)  # a county dispatcher keeps no register
    assert client.get("/registers/people/import/").status_code == 403
    assert client.get(f"/imports/{job.pk}/").status_code == 404


def _export(client: Any, query: str = "") -> Any:
    response = client.get(f"/registers/people/export.xlsx{query}")
    return response, response.status_code


def test_export_is_masked_and_audited(client: Any, people: People) -> None:
    run(people.township, [row(1, 人员类别="社区矫正人员"), row(2)])
    number = Person.objects.get(name="居民1").id_number
    client.force_login(people.village)
    response, status = _export(client, f"?grid={G111}")
    assert status == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == "公民身份号码" and len(values) == 3
    flat = str(values)
    assert number not in flat and "13912345678" not in flat and "139****5678" in flat
    assert "社区矫正人员（中）" in flat
    logged = AuditLog.objects.get(action="registers.people.export", actor=people.village)
    assert logged.extra["rows"] == 2 and logged.extra["unmasked"] is False
    assert logged.extra["special_roles"] == 1 and logged.extra["filters"] == {"grid": G111}


def test_unmasked_export_for_a_permitted_role_only(client: Any, people: People) -> None:
    run(people.township, [row(1)])
    number = Person.objects.get().id_number
    client.force_login(people.gridworker)  # keeps the register, may not reveal
    _response, status = _export(client, "?unmasked=1")
    assert status == 403
    assert not AuditLog.objects.filter(action="registers.people.export").exists()
    client.force_login(people.village)
    response, status = _export(client, "?unmasked=1")
    assert status == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A2"].value == number
    logged = AuditLog.objects.get(action="registers.people.export")
    assert logged.extra["unmasked"] is True


def test_export_keeps_scope(client: Any, people: People) -> None:
    run(people.township, [row(1)])
    client.force_login(people.other_township)
    response, status = _export(client)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert status == 200 and sheet.max_row == 1
    client.force_login(people.outsider)
    assert _export(client)[1] == 403
