"""Passing work down and giving it back (issue 12, item 10).

交办 (``hand_down``): a handling unit passes a case to a unit of its own subtree (公安局 to
one of its 派出所, a township center to a village center), with history, audit and event;
the deadline is kept; the receiving unit acknowledges, handles and replies; the passing
unit still sees the case. Outside its subtree: a 4xx naming the unit.

退回来源 (``return_to_source``): a case flagged 辖区外 goes back to the channel that brought it,
its reason being the answer the citizen sees.
"""

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhili.cases import selectors
from zhili.cases.models import Case, CaseEvent, State
from zhili.cases.services import actions_for, case_act
from zhili.conftest import Tree, make_org
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog, OutboxEvent
from zhili.core.roles import Role
from zhili.orgs.models import Organization
from zhili.orgs.services import token_issue

pytestmark = pytest.mark.django_db

T1_V11 = {"lat": 34.505, "lng": 118.705}  # grid G111 of village V11, township T1
T2_V21 = {"lat": 34.515, "lng": 118.705}  # grid G211 of village V21, township T2
LINSHU = {"lat": 34.95, "lng": 118.55, "address": "临沭县郑山街道某小区"}  # not in the county
HX = {"HX-Request": "true"}


@pytest.fixture
def police(tree: Tree, staff: Tree, make_user: Any) -> Tree:
    """公安局 with two 派出所 under it, a handler in each."""
    station = make_org("320722-GAJ-320722901", "甲镇派出所", "department", "township", tree.gaj)
    other = make_org("320722-GAJ-320722902", "乙乡派出所", "department", "township", tree.gaj)
    return Tree(
        bureau=staff.police,
        station=station,
        other=other,
        officer=make_user("pcs1", station, Role.DEPARTMENT_HANDLER),
        other_officer=make_user("pcs2", other, Role.DEPARTMENT_HANDLER),
    )


@pytest.fixture
def at_bureau(register: Any, catalog: Tree, staff: Tree, tree: Tree, police: Tree) -> Case:
    """A county-held case dispatched to 公安局 and acknowledged there."""
    case = register(category=catalog.lamp, title="路口打架斗殴隐患", **T2_V21)
    case = case_act(actor=staff.dispatcher, case=case, action="dispatch", unit=tree.gaj.code)
    return case_act(actor=police.bureau, case=case, action="acknowledge")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(client: Client, user: Any, case: Case, action: str, body: dict) -> Any:
    return client.post(
        f"/api/v1/cases/{case.case_no}/actions/{action}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}",
    )


# --- 交办: the service ------------------------------------------------------------------------


def test_the_bureau_hands_a_case_down_to_its_station(at_bureau: Case, police: Tree) -> None:
    before = at_bureau
    case = case_act(actor=police.bureau, case=before, action="hand_down", unit=police.station.code)
    assert case.state == State.DISPATCHED
    assert case.lead_unit == police.station and case.unit_path == police.station.path
    assert case.acknowledged_at is None
    # The citizen's clock does not restart: deadline, warning point and card are kept.
    assert (case.due_at, case.warn_at, case.card) == (before.due_at, before.warn_at, before.card)
    assert case.dispatched_at == before.dispatched_at
    assert case.acknowledge_due_at is not None and case.acknowledge_due_at <= case.due_at

    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.action, event.from_state, event.to_state) == (
        "hand_down",
        State.ACKNOWLEDGED,
        State.DISPATCHED,
    )
    assert event.actor == police.bureau and event.note == f"交办至{police.station.name}"
    assert event.data == {"unit": police.station.code, "previous_unit": "320722-GAJ"}
    assert AuditLog.objects.filter(action="cases.case.hand_down", target_id=str(case.pk)).exists()
    outbox = OutboxEvent.objects.filter(name="cases.transitioned", payload__action="hand_down")
    assert outbox.get().payload["lead_unit"] == police.station.code


def test_the_station_handles_and_replies_and_the_bureau_still_sees_it(
    at_bureau: Case, police: Tree, staff: Tree
) -> None:
    case = case_act(
        actor=police.bureau, case=at_bureau, action="hand_down", unit="320722-GAJ-320722901"
    )
    assert case in selectors.inbox_cases(user=police.officer)
    assert case in selectors.inbox_cases(user=police.bureau)  # the parent still sees it
    assert selectors.case_get(user=police.bureau, case_no=case.case_no) == case
    with pytest.raises(NotFound):  # the other station: not in its scope
        selectors.case_get(user=police.other_officer, case_no=case.case_no)

    case = case_act(actor=police.officer, case=case, action="acknowledge")
    case = case_act(actor=police.officer, case=case, action="reply", reply="已出警调解，双方和解")
    assert case.state == State.REPLIED and case.reply == "已出警调解，双方和解"
    case = case_act(actor=staff.dispatcher, case=case, action="close")
    assert case.state == State.CLOSED


def test_the_bureau_may_pass_it_on_or_take_it_back(at_bureau: Case, police: Tree) -> None:
    case = case_act(
        actor=police.bureau, case=at_bureau, action="hand_down", unit=police.station.code
    )
    case = case_act(actor=police.bureau, case=case, action="hand_down", unit=police.other.code)
    assert case.lead_unit == police.other
    case = case_act(actor=police.bureau, case=case, action="hand_down", unit="320722-GAJ")
    assert case.lead_unit.code == "320722-GAJ"
    # A station has nothing below it: no 交办 button, and the service refuses.
    case = case_act(actor=police.bureau, case=case, action="hand_down", unit=police.station.code)
    assert "hand_down" not in {t.name for t in actions_for(police.officer, case)}
    with pytest.raises(InvalidInput) as refused:
        case_act(actor=police.officer, case=case, action="hand_down", unit=police.other.code)
    assert refused.value.field == "unit"


def test_a_unit_outside_the_subtree_is_refused_naming_the_unit(
    at_bureau: Case, police: Tree, tree: Tree, rules: Tree
) -> None:
    for code in (tree.t1.code, rules.cgj.code, tree.county.code, "NO-SUCH-UNIT", ""):
        with pytest.raises(InvalidInput) as refused:
            case_act(actor=police.bureau, case=at_bureau, action="hand_down", unit=code)
        assert refused.value.field == "unit"
    assert Case.objects.get(pk=at_bureau.pk).lead_unit == tree.gaj


def test_only_the_handling_side_hands_down(at_bureau: Case, police: Tree, staff: Tree) -> None:
    # The station is below the case's unit, not above it: it does not even see the case.
    with pytest.raises(NotFound):
        case_act(actor=police.officer, case=at_bureau, action="hand_down", unit=police.station.code)
    with pytest.raises(Forbidden):  # a dispatcher holds no handling role
        case_act(
            actor=staff.dispatcher, case=at_bureau, action="hand_down", unit=police.station.code
        )


def test_a_township_hands_down_to_a_village(
    register: Any, staff: Tree, tree: Tree, catalog: Tree
) -> None:
    case = register(category=catalog.noise, **T1_V11)  # T1 holds and handles noise
    case = case_act(actor=staff.township, case=case, action="dispatch", unit=tree.t1.code)
    with pytest.raises(InvalidInput):  # another township's village
        case_act(actor=staff.township, case=case, action="hand_down", unit=tree.v21.code)
    case = case_act(actor=staff.township, case=case, action="hand_down", unit=tree.v11.code)
    assert case.lead_unit == tree.v11
    case = case_act(actor=staff.village, case=case, action="acknowledge")
    case = case_act(actor=staff.village, case=case, action="reply", reply="已劝导施工方")
    assert case.state == State.REPLIED


# --- 交办: the API and the page ---------------------------------------------------------------


def test_the_api_hands_down_and_answers_422_outside(
    client: Client, at_bureau: Case, police: Tree, tree: Tree
) -> None:
    outside = api(client, police.bureau, at_bureau, "hand_down", {"unit": tree.t1.code})
    assert outside.status_code == 422
    assert outside.json()["field"] == "unit"
    detail = client.get(
        f"/api/v1/cases/{at_bureau.case_no}",
        HTTP_AUTHORIZATION=f"Bearer {token_issue(user=police.bureau)}",
    )
    assert "hand_down" in {a["name"] for a in detail.json()["actions"]}
    done = api(client, police.bureau, at_bureau, "hand_down", {"unit": police.station.code})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == State.DISPATCHED
    assert done.json()["case"]["handling_unit"]["code"] == police.station.code


def test_the_case_page_offers_the_bureaus_stations(at_bureau: Case, police: Tree) -> None:
    web = client_for(police.bureau)
    page = web.get(reverse("cases:detail", args=[at_bureau.case_no])).content.decode()
    assert 'data-testid="action-hand_down"' in page
    url = reverse("cases:act", args=[at_bureau.case_no, "hand_down"])
    form = web.get(f"{url}?ctx=detail", headers=HX).content.decode()
    offered = set(re.findall(r'<option value="([^"]+)"', form))
    assert {police.station.code, police.other.code} <= offered
    assert not offered & {"320722-CGJ", "320722901"}

    empty = web.post(url, {"ctx": "detail", "unit": ""}, headers=HX)
    assert empty.status_code == 400
    assert 'data-testid="error-unit"' in empty.content.decode()
    outside = web.post(url, {"ctx": "detail", "unit": "320722901"}, headers=HX)
    assert outside.status_code == 422
    assert 'data-testid="error-unit"' in outside.content.decode()

    done = web.post(url, {"ctx": "detail", "unit": police.station.code}, headers=HX)
    assert done.status_code == 200
    assert "已交办" in done.content.decode()
    assert Case.objects.get(pk=at_bureau.pk).lead_unit == police.station


def test_the_form_preselects_the_station_of_the_cases_township(
    at_bureau: Case, police: Tree, tree: Tree
) -> None:
    # 派出所 are named for their township's area (乙乡 for 乙乡派出所); the case lies in T2.
    Organization.objects.filter(pk=police.other.pk).update(area_name=tree.t2.area_name)
    url = reverse("cases:act", args=[at_bureau.case_no, "hand_down"])
    form = client_for(police.bureau).get(f"{url}?ctx=detail", headers=HX).content.decode()
    chosen = set(re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', form))
    assert chosen == {police.other.code}


def test_the_inbox_rows_offer_hand_down_to_the_bureau_only(at_bureau: Case, police: Tree) -> None:
    url = reverse("cases:inbox") + "?bucket=in_progress"
    page = client_for(police.bureau).get(url).content.decode()
    assert f'data-testid="hand_down-{at_bureau.case_no}"' in page
    case = case_act(
        actor=police.bureau, case=at_bureau, action="hand_down", unit=police.station.code
    )
    case = case_act(actor=police.officer, case=case, action="acknowledge")
    station_page = client_for(police.officer).get(url).content.decode()
    assert f'data-testid="case-row-{case.case_no}"' in station_page
    assert f'data-testid="hand_down-{case.case_no}"' not in station_page


# --- 退回来源 ---------------------------------------------------------------------------------


@pytest.fixture
def outside(register: Any, catalog: Tree) -> Case:
    case = register(category=catalog.lamp, title="临沭县路灯不亮", **LINSHU)
    assert case.out_of_area and case.state == State.REGISTERED
    return case


def test_an_out_of_area_case_goes_back_to_its_channel(outside: Case, staff: Tree) -> None:
    reason = "事发地在临沭县郑山街道，不属本县管辖，请向临沭县12345反映"
    case = case_act(actor=staff.dispatcher, case=outside, action="return_to_source", reason=reason)
    assert case.state == State.RETURNED_TO_SOURCE
    assert case.reply == reason and case.closed_at is not None
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.action, event.note, event.data) == (
        "return_to_source",
        reason,
        {"channel": "hotline"},
    )
    assert AuditLog.objects.filter(action="cases.case.return_to_source").exists()
    assert OutboxEvent.objects.filter(payload__action="return_to_source").exists()
    assert actions_for(staff.dispatcher, case) == []  # final: nothing more to do
    assert case not in selectors.follow_up_cases(user=staff.dispatcher, bucket="to_follow_up")


def test_return_to_source_needs_a_reason_and_an_out_of_area_case(
    outside: Case, register: Any, staff: Tree, catalog: Tree
) -> None:
    with pytest.raises(InvalidInput) as refused:
        case_act(actor=staff.dispatcher, case=outside, action="return_to_source", reason=" ")
    assert refused.value.field == "reason"
    inside = register(category=catalog.lamp, **T2_V21)
    assert "return_to_source" not in {t.name for t in actions_for(staff.dispatcher, inside)}
    with pytest.raises(Conflict):
        case_act(actor=staff.dispatcher, case=inside, action="return_to_source", reason="不归我们")
    with pytest.raises(NotFound):  # a handling unit does not see a case it was never given
        case_act(actor=staff.police, case=outside, action="return_to_source", reason="不归我们")


def test_the_citizen_and_open311_see_the_reason(outside: Case, staff: Tree) -> None:
    from zhili.open311.outputs import request_out
    from zhili.portal import selectors as portal

    reason = "事发地在临沭县，请向临沭县反映"
    case = case_act(actor=staff.dispatcher, case=outside, action="return_to_source", reason=reason)
    assert portal.shows_reply(case)
    steps = [step.label for step in portal.public_timeline(case)]
    assert steps[-1] == "不属本县管辖，已退回来源渠道"
    published = request_out(case)
    assert published["status"] == "closed" and published["status_notes"] == reason


def test_the_case_page_and_the_api_return_to_source(
    client: Client, outside: Case, staff: Tree
) -> None:
    web = client_for(staff.dispatcher)
    page = web.get(reverse("cases:detail", args=[outside.case_no])).content.decode()
    assert 'data-testid="action-return_to_source"' in page
    url = reverse("cases:act", args=[outside.case_no, "return_to_source"])
    form = web.get(f"{url}?ctx=detail", headers=HX).content.decode()
    assert "退回理由" in form
    empty = web.post(url, {"ctx": "detail", "reason": ""}, headers=HX)
    assert empty.status_code == 400 and 'data-testid="error-reason"' in empty.content.decode()
    done = web.post(url, {"ctx": "detail", "reason": "事发地在临沭县"}, headers=HX)
    assert done.status_code == 200 and "已退回来源" in done.content.decode()
    again = api(client, staff.dispatcher, outside, "return_to_source", {"reason": "再退一次"})
    assert again.status_code == 409
