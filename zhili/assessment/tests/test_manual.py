"""Manual scores with their evidence, and the 安全感 survey import."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhili.assessment import formulas
from zhili.assessment.manual import score_enter, survey_import
from zhili.assessment.models import Evidence, LedgerEntry, SurveyImport
from zhili.assessment.tests.conftest import YEAR, day
from zhili.core.errors import Forbidden, InvalidInput

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def workbook(rows, header=("单位名称", "安全感率(%)", "样本数")) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("安全感.xlsx", out.getvalue())


def test_a_manual_score_keeps_its_evidence(scheme, tree, assessors, staff, client):
    photo = SimpleUploadedFile("现场.png", PNG)
    entry = score_enter(
        actor=assessors.director,
        unit=tree.t1,
        on=day(11, 20),
        item_code="field_check",
        points=Decimal(9),
        reason="实地考核",
        files=[photo],
    )
    [evidence] = Evidence.objects.filter(entry=entry)
    assert entry.source_url == f"/assessment/evidence/{evidence.pk}/"
    client.force_login(assessors.director)
    page = client.get(f"/assessment/{YEAR}/11/entries/?unit={tree.t1.code}").content.decode()
    assert f'href="/assessment/evidence/{evidence.pk}/"' in page and "现场.png" in page
    assert b"".join(client.get(entry.source_url).streaming_content) == PNG
    client.force_login(staff.t2_officer)  # another township: not theirs
    assert client.get(entry.source_url).status_code == 404


def test_evidence_must_be_a_known_kind(scheme, tree, assessors):
    with pytest.raises(InvalidInput) as exc:
        score_enter(
            actor=assessors.director,
            unit=tree.t1,
            on=day(11, 20),
            item_code="field_check",
            points=Decimal(9),
            reason="实地考核",
            files=[SimpleUploadedFile("a.exe", b"MZ\0\0")],
        )
    assert exc.value.field == "files"
    assert not LedgerEntry.objects.exists()


def test_the_survey_import_scores_each_township_once(scheme, tree, assessors):
    upload = workbook([(tree.t1.name, 96.4, 300), (tree.t2.code, "88%", None)])
    record = survey_import(actor=assessors.director, on=day(10, 31), file=upload)
    item = scheme.items.get(code="safety_survey")
    entries = {e.unit.code: e for e in LedgerEntry.objects.filter(item=item)}
    # (96.4 - 80) x 0.25 = 4.1; (88 - 80) x 0.25 = 2
    assert entries[tree.t1.code].points == Decimal("4.10")
    assert entries[tree.t2.code].points == Decimal("2.00")
    assert entries[tree.t1.code].points == formulas.points(
        item.formula, Decimal("0.964"), item.max_points, item.params
    )
    assert entries[tree.t1.code].source_url == f"/assessment/surveys/{record.pk}/file/"
    survey_import(actor=assessors.director, on=day(10, 31), file=workbook([(tree.t1.name, 50, 1)]))
    assert LedgerEntry.objects.filter(item=item).count() == 2


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([("无此镇", 90, 1)], "第 2 行"),
        ([("甲镇综治中心", 120, 1)], "0 至 100"),
        ([("甲镇综治中心", 90, 1), ("甲镇综治中心", 91, 1)], "重复"),
        ([("甲镇综治中心", 90, "许多")], "样本数"),
        ([], "没有数据行"),
    ],
)
def test_a_bad_survey_writes_nothing(scheme, tree, assessors, rows, words):
    with pytest.raises(InvalidInput) as exc:
        survey_import(actor=assessors.director, on=day(10, 31), file=workbook(rows))
    assert exc.value.field == "file" and words in exc.value.message
    assert not SurveyImport.objects.exists() and not LedgerEntry.objects.exists()


def test_the_survey_needs_a_workbook_and_the_right(scheme, tree, assessors, staff):
    with pytest.raises(InvalidInput):
        survey_import(
            actor=assessors.director, on=day(10, 31), file=SimpleUploadedFile("a.png", PNG)
        )
    with pytest.raises(Forbidden):
        survey_import(actor=staff.township, on=day(10, 31), file=workbook([(tree.t1.name, 90, 1)]))


def test_the_survey_page_imports(scheme, tree, assessors, client):
    client.force_login(assessors.director)
    response = client.post(
        f"/assessment/{YEAR}/surveys/",
        {"on": "2026-10-31", "file": workbook([(tree.t1.name, 92, 10)])},
    )
    assert response.status_code == 302
    assert "安全感.xlsx" in client.get(f"/assessment/{YEAR}/surveys/").content.decode()
    bad = client.post(
        f"/assessment/{YEAR}/surveys/", {"on": "2026-10-31", "file": workbook([("x", 1, 1)])}
    )
    assert bad.status_code == 422 and "第 2 行" in bad.content.decode()


def test_the_ledger_page_enters_a_score_with_files(scheme, tree, assessors, client):
    client.force_login(assessors.director)
    response = client.post(
        f"/assessment/{YEAR}/11/score/",
        {
            "unit": tree.t2.code,
            "item": "honours",
            "on": "2026-11-03",
            "points": "2",
            "reason": "经验被推广",
            "files": [SimpleUploadedFile("表彰.png", PNG)],
        },
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(item__code="honours", unit=tree.t2)
    assert entry.points == Decimal("2.00") and entry.evidence.count() == 1
    refused = client.post(
        f"/assessment/{YEAR}/11/score/",
        {"unit": tree.t2.code, "item": "honours", "on": "2026-11-03", "points": "9", "reason": "x"},
    )
    assert refused.status_code == 302 and LedgerEntry.objects.count() == 1
