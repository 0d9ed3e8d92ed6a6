"""A reporter always sees what they reported (issue 12, item 3): a grid worker's report whose
point lies outside their grid, their village and their township is still theirs to follow on
the phone (/m/), on the web and through the API, read only: acting on it takes the side
checks of the workflow, which the reporter does not pass."""

import json
import uuid
from typing import Any

import pytest

from zhili.cases import selectors
from zhili.cases.models import Case
from zhili.mobile import selectors as mobile_selectors
from zhili.orgs.services import token_issue

# Inside grid G211 of village V21, township T2: not the grid worker's (G111 of V11, T1).
ELSEWHERE = {"lat": "34.515", "lng": "118.705"}


def report(**fields: Any) -> dict[str, Any]:
    data = {
        "key": str(uuid.uuid4()),
        "category": "SZ01",
        "description": "乙一村路口路灯不亮，回家路上看到的",
        "address": "乙一村路口",
        **ELSEWHERE,
    }
    data.update(fields)
    return data


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(user=user)}"}


@pytest.fixture
def sent(phone: Any, workers: Any) -> Case:
    """The grid worker's report of a place outside their grid, sent from the phone."""
    response = phone.post("/m/api/reports", report())
    assert response.status_code == 201, response.content
    case = Case.objects.get(case_no=response.json()["case_no"])
    assert case.registered_by == workers.me
    assert not case.area_path.startswith(workers.me.organization.path)  # outside their scope
    return case


def test_the_phone_follows_the_report_from_the_link_it_gave(
    phone: Any, workers: Any, sent: Case
) -> None:
    url = f"/m/cases/{sent.case_no}/"
    assert phone.post("/m/api/reports", report()).json()["url"].startswith("/m/cases/")
    detail = phone.get(url)
    assert detail.status_code == 200  # 查看办理进度: was a 404
    assert sent.title in detail.content.decode()

    listed = phone.get("/m/cases/").content.decode()
    assert sent.case_no in listed
    assert f'data-testid="mine-{sent.case_no}"' in listed  # marked 我上报
    mine = phone.get("/m/cases/?show=mine").content.decode()
    assert sent.case_no in mine
    # Only the chosen tab is highlighted.
    assert 'class="active" data-testid="show-mine"' in mine
    assert 'class="" data-testid="show-open"' in mine
    assert sent in mobile_selectors.my_grid_cases(user=workers.me)


def test_my_reports_tab_holds_only_my_reports(
    phone: Any, workers: Any, sent: Case, register: Any
) -> None:
    in_my_grid = register(title="网格内他人受理", lat=34.505, lng=118.705)  # G111, by dispatcher
    page = phone.get("/m/cases/?show=mine").content.decode()
    assert sent.case_no in page and in_my_grid.case_no not in page
    assert in_my_grid.case_no in phone.get("/m/cases/").content.decode()
    assert list(mobile_selectors.my_reports(user=workers.me)) == [sent]


def test_another_worker_does_not_see_my_report(client: Any, workers: Any, sent: Case) -> None:
    client.force_login(workers.other)
    assert client.get(f"/m/cases/{sent.case_no}/").status_code == 404
    assert sent.case_no not in client.get("/m/cases/?show=all").content.decode()


def test_the_web_shows_the_report_read_only(
    client: Any, workers: Any, sent: Case, staff: Any
) -> None:
    client.force_login(workers.me)
    page = client.get(f"/cases/{sent.case_no}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert sent.title in body
    assert "您当前没有可对该工单执行的操作" in body
    # The reporter cannot act: the dispatch center's side is not theirs.
    posted = client.post(f"/cases/{sent.case_no}/act/dispatch/", {"ctx": "detail"})
    assert posted.status_code == 403
    assert Case.objects.get(pk=sent.pk).state == sent.state

    everything = client.get("/cases/").content.decode()
    assert sent.case_no in everything
    mine = client.get("/cases/?mine=1").content.decode()
    assert sent.case_no in mine and 'data-testid="filter-mine"' in mine


def test_the_web_list_filter_mine(client: Any, workers: Any, sent: Case, register: Any) -> None:
    others = register(title="网格内他人受理", lat=34.505, lng=118.705)
    client.force_login(workers.me)
    page = client.get("/cases/?mine=1").content.decode()
    assert sent.case_no in page and others.case_no not in page
    assert others.case_no in client.get("/cases/").content.decode()


def test_the_api_reads_it_and_refuses_actions(client: Any, workers: Any, sent: Case) -> None:
    auth = bearer(workers.me)
    detail = client.get(f"/api/v1/cases/{sent.case_no}", **auth)
    assert detail.status_code == 200
    assert detail.json()["case_no"] == sent.case_no
    assert detail.json()["actions"] == []
    listed = client.get("/api/v1/cases?mine=true", **auth).json()["items"]
    assert [item["case_no"] for item in listed] == [sent.case_no]
    refused = client.post(
        f"/api/v1/cases/{sent.case_no}/actions/dispatch",
        json.dumps({}),
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"

    other = client.get(f"/api/v1/cases/{sent.case_no}", **bearer(workers.other))
    assert other.status_code == 404


def test_the_reporter_finds_it_by_its_words(workers: Any, sent: Case) -> None:
    filters = selectors.CaseFilters(q="路灯")
    found = selectors.filter_cases(selectors.case_list(user=workers.me), filters, user=workers.me)
    assert sent in found


def test_an_inactive_reporter_sees_nothing(workers: Any, sent: Case) -> None:
    workers.me.is_active = False
    workers.me.save()
    assert not selectors.case_list(user=workers.me).exists()
