"""Full-text search over cases (jieba tokens; FTS5 on SQLite, tsvector on PostgreSQL): the
lists' text box and the API's `q`, scoped and keyset-paged."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from zhili.cases import text
from zhili.cases.models import Case, CaseText
from zhili.cases.selectors import CaseFilters, case_list, filter_cases, keyset_page
from zhili.orgs.services import token_issue

pytestmark = pytest.mark.django_db

T2_G211 = {"lat": 34.515, "lng": 118.705}


def found(user: Any, q: str) -> set[str]:
    return set(
        filter_cases(case_list(user=user), CaseFilters(q=q)).values_list("case_no", flat=True)
    )


@pytest.fixture
def cases(register: Any, catalog: Any) -> dict[str, Case]:
    return {
        "noise": register(title="夜间施工噪音", description="小区旁工地夜间施工，吵得无法休息"),
        "lamp": register(
            category=catalog.lamp, title="路灯不亮", description="人民路三盏灯损坏，晚上很黑"
        ),
        "t2_noise": register(
            title="广场舞噪音", description="广场舞音响声音太大，老人孩子休息不好", **T2_G211
        ),
        "latin": register(title="WiFi信号差", description="社区服务中心WIFI经常断线"),
    }


def test_finds_cases_by_chinese_words_of_the_title_and_the_description(staff, cases):
    who = staff.dispatcher
    assert found(who, "噪音") == {cases["noise"].case_no, cases["t2_noise"].case_no}
    assert found(who, "施工噪音") == {cases["noise"].case_no}  # every word must be there
    assert found(who, "休息") == {cases["noise"].case_no, cases["t2_noise"].case_no}
    assert found(who, "路灯损坏") == {cases["lamp"].case_no}  # words of the description
    assert found(who, "路灯") == {cases["lamp"].case_no}  # jieba cuts 路灯不亮 as 路 / 灯不亮
    assert found(who, "wifi") == {cases["latin"].case_no}  # Latin letters, any case
    assert found(who, "地铁") == set()


def test_a_case_number_still_finds_its_case(staff, cases):
    assert found(staff.dispatcher, cases["lamp"].case_no) == {cases["lamp"].case_no}


def test_text_without_a_searchable_word_falls_back_to_the_title(staff, cases):
    assert found(staff.dispatcher, "!!") == set()
    assert found(staff.dispatcher, "的") == set()


def test_search_respects_the_scope(staff, cases):
    assert found(staff.t2_officer, "噪音") == {cases["t2_noise"].case_no}
    assert found(staff.outsider, "噪音") == set()


def test_search_is_keyset_paged(staff, register):
    numbers = [register(title=f"噪音扰民{i}", description="楼下噪音").case_no for i in range(5)]
    qs = filter_cases(case_list(user=staff.dispatcher), CaseFilters(q="噪音"))
    first = keyset_page(qs, size=3)
    second = keyset_page(qs, cursor=first.next_cursor, size=3)
    assert second.next_cursor is None
    pages = [c.case_no for c in first.items + second.items]
    assert pages == numbers[::-1]


def test_the_list_page_and_the_api_search(staff, cases):
    client = Client()
    client.force_login(staff.t2_officer)
    page = client.get(reverse("cases:list"), {"q": "噪音"}).content.decode()
    assert cases["t2_noise"].case_no in page and cases["noise"].case_no not in page

    token = token_issue(user=staff.dispatcher, name="test")
    response = Client().get("/api/v1/cases", {"q": "路灯"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert [i["case_no"] for i in response.json()["items"]] == [cases["lamp"].case_no]


def test_index_cases_in_bulk_is_idempotent_and_feeds_the_search(staff, cases):
    CaseText.objects.all().delete()  # as for cases written by a bulk loader
    assert found(staff.dispatcher, "噪音") == set()
    assert text.index_cases(Case.objects.all()) == len(cases)
    assert text.index_cases(Case.objects.all()) == 0
    assert found(staff.dispatcher, "噪音") == {cases["noise"].case_no, cases["t2_noise"].case_no}
    row = CaseText.objects.get(case=cases["noise"])
    assert row.group == "HJ" and row.grid_id == cases["noise"].grid_id
    assert row.township_id == cases["noise"].township_id
    assert row.cell == text.cell_of(cases["noise"].lat, cases["noise"].lng)


def test_the_vendor_index_exists(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'cases_casetext_fts'")
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = 'casetext_search'")
        assert cursor.fetchone() is not None


def test_many_matches_are_searched_through_a_subquery(staff, cases, monkeypatch):
    from zhili.cases import selectors

    monkeypatch.setattr(selectors, "FEW_MATCHES", 1)
    who = staff.dispatcher
    assert found(who, "噪音") == {cases["noise"].case_no, cases["t2_noise"].case_no}
    assert found(staff.t2_officer, "噪音") == {cases["t2_noise"].case_no}
    assert found(who, "路灯") == {cases["lamp"].case_no}  # one match: the id list


@pytest.mark.parametrize(
    "sample",
    [
        "",
        "夜间施工噪音扰民",
        "市民来电反映：和平路18号路灯不亮，已经三天了。请尽快处理！",
        "12345热线：ABC小区3#楼 电梯故障（困人）……  Wi-Fi 坏了 100%",
        "路灯不亮\n路灯不亮\t路灯不亮",
    ],
)
def test_jieba_cut_by_cached_runs_gives_jiebas_words(sample: str) -> None:
    import jieba

    assert text.jieba_cut(sample) == list(jieba.cut(sample))
    assert text.jieba_cut(sample) == list(jieba.cut(sample))  # the second time from the cache
