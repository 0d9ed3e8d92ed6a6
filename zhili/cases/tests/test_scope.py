"""Who sees which case, in the selectors and through the API: out of scope is a 404 exactly
like a case that does not exist."""

from typing import Any

import pytest

from zhili.cases import selectors
from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.core.errors import NotFound
from zhili.orgs.services import token_issue

V11 = {"lat": 34.505, "lng": 118.705}
V12 = {"lat": 34.505, "lng": 118.725}
V21 = {"lat": 34.515, "lng": 118.705}


def visible(user: Any) -> set[str]:
    return set(selectors.case_list(user=user).values_list("case_no", flat=True))


def api_get(client: Any, user: Any, url: str) -> Any:
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")


def api_list(client: Any, user: Any) -> set[str]:
    response = api_get(client, user, "/api/v1/cases?limit=200")
    assert response.status_code == 200
    return {item["case_no"] for item in response.json()["items"]}


@pytest.fixture
def cases(register: Any, catalog: Any) -> Any:
    class Cases:
        v11 = register(category=catalog.dispute, **V11)  # rule: V11 handles, T1 holds
        v12 = register(category=catalog.dispute, **V12)  # no rule: county holds
        v21 = register(category=catalog.lamp, **V21)  # 住建局 suggested, county holds
        t1_noise = register(category=catalog.noise, **V12)  # T1 handles and holds

    return Cases


def test_village_officer_of_v11_gets_404_for_a_v12_case(
    client: Any, staff: Any, cases: Any
) -> None:
    officer = staff.village
    assert selectors.case_get(user=officer, case_no=cases.v11.case_no) == cases.v11
    with pytest.raises(NotFound):
        selectors.case_get(user=officer, case_no=cases.v12.case_no)
    assert visible(officer) == {cases.v11.case_no}
    assert api_get(client, officer, f"/api/v1/cases/{cases.v11.case_no}").status_code == 200
    response = api_get(client, officer, f"/api/v1/cases/{cases.v12.case_no}")
    assert response.status_code == 404
    missing = api_get(client, officer, "/api/v1/cases/DH20000101-00001")
    assert response.json() == missing.json()  # not yours == does not exist
    assert api_list(client, officer) == {cases.v11.case_no}
    action = client.post(
        f"/api/v1/cases/{cases.v12.case_no}/actions/dispatch",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(user=officer)}",
    )
    assert action.status_code == 404


def test_village_officer_of_v12_mirrors(client: Any, staff: Any, cases: Any) -> None:
    assert visible(staff.v12_officer) == {cases.v12.case_no, cases.t1_noise.case_no}
    assert (
        api_get(client, staff.v12_officer, f"/api/v1/cases/{cases.v11.case_no}").status_code == 404
    )


def test_a_department_sees_only_what_it_was_given(
    client: Any, staff: Any, cases: Any, rules: Any
) -> None:
    assert visible(staff.zjj_handler) == set()
    assert api_list(client, staff.zjj_handler) == set()
    # suggested is not given: only a dispatch hands a case over
    assert (
        api_get(client, staff.zjj_handler, f"/api/v1/cases/{cases.v21.case_no}").status_code == 404
    )
    case_act(actor=staff.dispatcher, case=cases.v21, action="dispatch")
    assert visible(staff.zjj_handler) == {cases.v21.case_no}
    assert api_list(client, staff.zjj_handler) == {cases.v21.case_no}
    assert visible(staff.cgj_handler) == set()
    assert visible(staff.police) == set()


def test_an_assisting_unit_sees_the_case(staff: Any, cases: Any, rules: Any, tree: Any) -> None:
    case_act(actor=staff.dispatcher, case=cases.v21, action="dispatch", assisting=[tree.gaj.code])
    assert visible(staff.police) == {cases.v21.case_no}
    assert visible(staff.cgj_handler) == set()


def test_returned_case_leaves_the_department(staff: Any, cases: Any) -> None:
    case = case_act(actor=staff.dispatcher, case=cases.v21, action="dispatch")
    case_act(actor=staff.zjj_handler, case=case, action="return", reason="非本单位职责")
    assert visible(staff.zjj_handler) == set()


def test_township_sees_its_area_what_it_holds_and_what_its_units_handle(
    staff: Any, cases: Any, tree: Any
) -> None:
    every = {cases.v11.case_no, cases.v12.case_no, cases.t1_noise.case_no}
    assert visible(staff.township) == every  # its area (V11, V12)
    assert visible(staff.t2_officer) == {cases.v21.case_no}
    # a T2 case handed to T1's center: T1 now handles it
    case_act(actor=staff.dispatcher, case=cases.v21, action="dispatch", unit=tree.t1.code)
    assert visible(staff.township) == every | {cases.v21.case_no}
    assert visible(staff.t2_officer) == {cases.v21.case_no}  # still in T2's area


def test_township_sees_what_it_dispatches_even_outside_its_area(
    register: Any, staff: Any, catalog: Any, tree: Any
) -> None:
    case = register(category=catalog.noise, lat=31.2, lng=121.5)  # out of the county
    assert case.dispatch_center == tree.county and case.out_of_area
    assert case.case_no not in visible(staff.township)
    case_act(actor=staff.dispatcher, case=case, action="assign_down", township=tree.t1.code)
    assert case.case_no in visible(staff.township)
    assert case.case_no not in visible(staff.t2_officer)


def test_county_sees_everything_and_an_outsider_nothing(
    client: Any, staff: Any, cases: Any
) -> None:
    everything = set(Case.objects.values_list("case_no", flat=True))
    assert visible(staff.dispatcher) == everything
    assert visible(staff.leader) == everything
    assert visible(staff.petition) == everything  # a county sub-center
    assert visible(staff.outsider) == set()
    assert api_list(client, staff.outsider) == set()
    response = api_get(client, staff.outsider, f"/api/v1/cases/{cases.v11.case_no}")
    assert response.status_code == 404


def test_workbench_and_inbox_views(client: Any, staff: Any, cases: Any) -> None:
    held = {c.case_no for c in selectors.workbench_cases(user=staff.township)}
    assert held == {cases.v11.case_no, cases.t1_noise.case_no}  # T1 dispatches these two
    case_act(actor=staff.township, case=cases.t1_noise, action="dispatch")
    inbox = {c.case_no for c in selectors.inbox_cases(user=staff.township)}
    assert inbox == {cases.t1_noise.case_no}
    response = api_get(client, staff.township, "/api/v1/cases?view=workbench")
    assert {i["case_no"] for i in response.json()["items"]} == held
    assert selectors.inbox_cases(user=staff.outsider).count() == 0
