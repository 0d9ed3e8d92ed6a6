"""The report pages through the Django client: figures on the page and in the workbook,
the marking actions, the anthology download, the rankings, refusals and field errors."""

from io import BytesIO

import pytest
from django.urls import resolve, reverse
from docx import Document
from openpyxl import load_workbook

from zhili.core.models import AuditLog
from zhili.mediation.reports import views
from zhili.mediation.reports.tests.conftest import at, make_dispute

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
ID_NUMBER = "320722199001011237"


@pytest.fixture
def data(world):
    wall = make_dispute(
        world.c1,
        title="张建国与李明宅基地纠纷",
        kind="housing_homestead",
        outcome="agreement",
        outcome_at=at(2026, 11, 5),
        people=3,
        risk_criminal=True,
        lead=world.m1,
        room=world.r1,
        summary=f"张建国（身份证{ID_NUMBER}，电话13812345678）称邻居李明新砌围墙占用其宅基地。",
        parties=(("张建国", ID_NUMBER, "13812345678"), ("李明", "", "")),
        sessions=("调解员王芳实地丈量，张建国与李明同意以原界址为准。",),
        terms="李明于十日内拆除越界围墙，张建国不再追究。",
    )
    failed = make_dispute(world.c1, title="宅基地通行纠纷", outcome="no_agreement",
                          outcome_at=at(2026, 11, 6))  # fmt: skip
    other = make_dispute(world.c2, title="乙乡宅基地纠纷", outcome="agreement")
    return {"wall": wall, "failed": failed, "other": other}


def login(client, user):
    client.force_login(user)
    return client


def test_urls_resolve_to_the_report_views():
    for name, view in (
        ("mediation:monthly", views.monthly),
        ("mediation:collection", views.collection),
        ("mediation:rankings", views.rankings),
        ("mediation:search", views.search),
    ):
        match = resolve(reverse(name))
        # No dossier address shadows ours: the address resolves to the report view.
        assert match.func.__module__ == view.__module__ and match.func.__name__ == view.__name__


def test_monthly_page_and_workbook_show_the_same_figures(client, world, data):
    login(client, world.chair)
    response = client.get(reverse("mediation:monthly"), {"month": "2026-11"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="line-kind-housing_homestead"' in page
    total = response.context["table"].total
    assert (total.registered, total.mediated, total.succeeded, total.criminal_cases) == (2, 2, 1, 1)
    export = client.get(reverse("mediation:monthly_xlsx"), {"month": "2026-11"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    totals = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "合计"]
    assert [sheet.cell(totals[0], c).value for c in range(2, 6)] == [2, 2, 1, 1]
    assert AuditLog.objects.filter(action="mediation.monthly.export").count() == 1


def test_monthly_refuses_bad_month_and_foreign_unit(client, world, data):
    login(client, world.chair)
    bad = client.get(reverse("mediation:monthly"), {"month": "2026-13"})
    assert bad.status_code == 422 and 'data-testid="error-month"' in bad.content.decode()
    foreign = client.get(reverse("mediation:monthly"), {"month": "2026-11", "unit": "320722902"})
    assert foreign.status_code == 422 and 'data-testid="error-unit"' in foreign.content.decode()
    assert foreign.context["table"].unit_name == "甲镇综治中心"


def test_pages_are_closed_to_users_without_dispute_access(client, personas, world):
    login(client, personas.gridworker)
    for name in ("monthly", "collection", "rankings", "search"):
        assert client.get(reverse(f"mediation:{name}")).status_code == 403


def test_search_and_mark_from_a_result_row(client, world, data):
    wall = data["wall"]
    login(client, world.chair)
    response = client.get(reverse("mediation:search"), {"q": "宅基地"})
    page = response.content.decode()
    assert wall.number in page and data["failed"].number in page
    assert data["other"].number not in page
    assert f'data-testid="mark-{wall.number}"' in page
    assert f'data-testid="mark-{data["failed"].number}"' not in page  # no agreement
    assert ID_NUMBER not in page and "13812345678" not in page
    url = reverse("mediation:mark_exemplary", args=[wall.number])
    assert 'data-testid="mark-form' in client.get(url, **HTMX).content.decode()
    empty = client.post(url, {"note": " "}, **HTMX)
    assert empty.status_code == 422 and 'data-testid="error-note"' in empty.content.decode()
    done = client.post(url, {"note": "实地丈量，依界址化解。"}, **HTMX)
    assert done.status_code == 200 and "已评为典型案例" in done.content.decode()
    wall.refresh_from_db()
    assert wall.is_exemplary
    again = client.post(url, {"note": "再次"}, **HTMX)
    assert again.status_code == 409 and "已是典型案例" in again.content.decode()


def test_marking_is_refused_outside_role_or_scope(client, world, data):
    url = reverse("mediation:mark_exemplary", args=[data["wall"].number])
    login(client, world.viewer)
    assert client.post(url, {"note": "x"}, **HTMX).status_code == 403
    page = client.get(reverse("mediation:search"), {"q": "宅基地"}).content.decode()
    assert "评为典型案例" not in page
    login(client, world.chair2)
    assert client.post(url, {"note": "x"}, **HTMX).status_code == 404


def test_collection_lists_unmarks_and_exports_the_anthology(client, world, data):
    login(client, world.chair)
    wall = data["wall"]
    client.post(reverse("mediation:mark_exemplary", args=[wall.number]), {"note": "以案释法。"})
    page = client.get(reverse("mediation:collection")).content.decode()
    assert wall.number in page and "以案释法" in page
    response = client.get(reverse("mediation:anthology"))
    assert response.status_code == 200 and response["Content-Type"] == views.DOCX
    doc = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "张某与李某宅基地纠纷" in text and "李某于十日内拆除越界围墙" in text
    assert "以案释法" in text and "调解员王芳" in text
    assert "张建国" not in text and "李明" not in text
    assert ID_NUMBER not in text and "13812345678" not in text
    assert AuditLog.objects.filter(action="mediation.anthology.export").exists()
    # Filters: another type has no case, and the anthology is not produced.
    empty = client.get(reverse("mediation:anthology"), {"kind": "labour"})
    assert empty.status_code == 302
    unmark = client.post(reverse("mediation:unmark_exemplary", args=[wall.number]), **HTMX)
    assert unmark.status_code == 200 and "已取消典型案例" in unmark.content.decode()
    assert wall.number not in client.get(reverse("mediation:collection")).content.decode()


def test_rankings_page_shows_formula_and_names(client, world):
    for day in range(1, 6):
        make_dispute(world.c1, outcome="agreement", outcome_at=at(2026, 11, day), lead=world.m1,
                     room=world.r1, performed="yes")  # fmt: skip
    login(client, world.chair)
    response = client.get(reverse("mediation:rankings"), {"start": "2026-11-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "十佳调解能手" in page and "十佳调解室" in page and "协议履行率" in page
    assert 'data-testid="mediators-rank-1"' in page and "王芳" in page and "甲镇调解室" in page
    assert response.context["mediators"][0].score == 100.0
    bad = client.get(reverse("mediation:rankings"), {"start": "2026-11-02", "end": "2026-11-01"})
    assert bad.status_code == 422 and 'data-testid="error-end"' in bad.content.decode()
    assert client.get(reverse("mediation:rankings"), {"min_cases": "0"}).status_code == 422


def test_monthly_workbook_writes_hostile_names_as_text(client, world, data):
    from zhili.core.tests.test_xlsx import PAYLOADS, inert_cells

    world.chair.full_name = PAYLOADS[1]
    world.chair.save(update_fields=["full_name"])
    unit = world.chair.organization
    unit.name = PAYLOADS[0]
    unit.save(update_fields=["name"])
    login(client, world.chair)
    export = client.get(reverse("mediation:monthly_xlsx"), {"month": "2026-11"})
    assert export.status_code == 200
    texts = inert_cells(export.content)
    assert f"填报单位：{PAYLOADS[0]}" in texts
    assert f"填表人：{PAYLOADS[1]}" in texts


def test_the_reports_index_leads_to_each_report(client, world, data):
    """/mediation/reports/ (the README's address): one card per report, the exemplary count
    of the user's scope, the anthology offered once there is a case in it."""
    login(client, world.chair)
    page = client.get(reverse("mediation:reports")).content.decode()
    for name in ("monthly", "collection", "search", "rankings"):
        assert f'href="{reverse(f"mediation:{name}")}"' in page
    assert "<strong>0</strong> 件典型案例" in page and reverse("mediation:anthology") not in page
    client.post(reverse("mediation:mark_exemplary", args=[data["wall"].number]), {"note": "释法"})
    page = client.get(reverse("mediation:reports")).content.decode()
    assert "<strong>1</strong> 件典型案例" in page and reverse("mediation:anthology") in page
    login(client, world.chair2)  # another township: not in its scope
    assert (
        "<strong>0</strong> 件典型案例" in client.get(reverse("mediation:reports")).content.decode()
    )
