"""Handling a warning: the responsible unit signs for it and answers, the county center
closes it or sends it back; who sees it, who may act, and the same through the API and the
pages."""

from typing import Any

import pytest
from django.utils import timezone

from zhili.cases.tests.test_api import error, get, post
from zhili.core.errors import Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog
from zhili.warnings import selectors, services
from zhili.warnings.models import Warning, WarningRule, WarningState
from zhili.warnings.services import warnings_scan
from zhili.warnings.tests.test_rules import seed_cluster

pytestmark = pytest.mark.any_day


@pytest.fixture
def warning(case_at: Any, catalog: Any, tree: Any) -> Warning:
    """The noise cluster of grid g112: a warning for 甲镇 (t1) from the county center."""
    seed_cluster(case_at, catalog, tree)
    warnings_scan()
    return Warning.objects.get(subject__startswith="grid:")


def test_the_unit_signs_answers_and_the_center_closes(warning: Warning, staff: Any) -> None:
    warning = services.warning_sign(actor=staff.township, warning=warning)
    assert warning.state == WarningState.SIGNED and warning.signed_by == staff.township
    warning = services.warning_answer(
        actor=staff.township, warning=warning, answer="已约谈施工单位，夜间停工"
    )
    assert warning.state == WarningState.ANSWERED
    warning = services.warning_reject(
        actor=staff.dispatcher, warning=warning, reason="请附整改照片"
    )
    assert warning.state == WarningState.SIGNED
    warning = services.warning_answer(actor=staff.township, warning=warning, answer="已补充照片")
    warning = services.warning_close(actor=staff.dispatcher, warning=warning, note="处置到位")
    assert warning.state == WarningState.CLOSED
    actions = list(warning.events.order_by("id").values_list("action", flat=True))
    assert actions == ["issue", "sign", "answer", "reject", "answer", "close"]
    audited = AuditLog.objects.filter(target_id=str(warning.pk), action__startswith="warnings.")
    assert list(audited.order_by("id").values_list("action", flat=True)) == [
        f"warnings.warning.{a}" for a in actions
    ]


def test_who_sees_and_who_may_act(warning: Warning, staff: Any) -> None:
    visible = {
        name: selectors.warning_list(user=getattr(staff, name)).filter(pk=warning.pk).exists()
        for name in ("leader", "dispatcher", "township", "t2_officer", "village", "police")
    }
    assert visible == {
        "leader": True,
        "dispatcher": True,
        "township": True,  # 甲镇 is the responsible unit
        "t2_officer": False,  # 乙乡 is not
        "village": False,  # village officers hold no warnings
        "police": False,  # the police department is outside both paths
    }
    with pytest.raises(NotFound):
        services.warning_sign(actor=staff.t2_officer, warning=warning)
    with pytest.raises(Forbidden):
        services.warning_sign(actor=staff.leader, warning=warning)  # the leader watches
    with pytest.raises(Forbidden):  # the county center does not sign for the township
        services.warning_sign(actor=staff.dispatcher, warning=warning)
    services.warning_sign(actor=staff.township, warning=warning)
    with pytest.raises(InvalidInput) as refused:
        services.warning_answer(actor=staff.township, warning=warning, answer="  ")
    assert refused.value.field == "answer"


def test_the_api_lists_in_keyset_pages_and_acts(client: Any, warning: Warning, staff: Any) -> None:
    page = get(client, staff.township, "/api/v1/warnings?level=orange&state=issued").json()
    assert set(page) == {"items", "next_cursor"}
    assert [w["number"] for w in page["items"]] == [warning.number]
    url = f"/api/v1/warnings/{warning.number}"
    detail = get(client, staff.township, url).json()
    assert detail["actions"] == ["sign"]
    assert len(detail["sources"]) == detail["count"] == 5
    assert all(s["url"].startswith("/cases/") for s in detail["sources"])
    signed = post(client, staff.township, f"{url}/actions/sign").json()
    assert signed["state"] == "signed"
    error(
        post(client, staff.township, f"{url}/actions/answer", {"answer": ""}), 422, field="answer"
    )
    error(post(client, staff.township, f"{url}/actions/fly"), 422, field="action")
    error(get(client, staff.t2_officer, url), 404)
    error(get(client, staff.township, "/api/v1/warnings?level=purple"), 422, field="level")


def test_the_pages_show_the_list_the_evidence_and_the_actions(
    client: Any, warning: Warning, staff: Any
) -> None:
    client.force_login(staff.township)
    page = client.get("/warnings/?mine=1")
    assert page.status_code == 200
    assert warning.number in page.content.decode()
    detail = client.get(f"/warnings/{warning.number}/").content.decode()
    for source in warning.sources.all():
        assert f'href="/cases/{source.number}/"' in detail
    response = client.post(f"/warnings/{warning.number}/act/sign/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "处置中" in response.content.decode()
    client.force_login(staff.village)
    assert client.get("/warnings/").status_code == 403


def test_a_level_tile_counts_the_unanswered_warnings_its_list_shows(
    client: Any, warning: Warning, staff: Any
) -> None:
    """The list's level tiles count what still waits on a unit (待签收, 处置中), and each
    opens the list filtered the same way; an answered warning leaves both."""
    import re

    def tile_and_list(level: str) -> tuple[int, set[str]]:
        page = client.get("/warnings/").content.decode()
        tile = re.search(rf'href="([^"]+)" data-testid="open-{level}"><strong>(\d+)<', page)
        assert tile is not None
        listed = client.get(tile.group(1).replace("&amp;", "&")).content.decode()
        numbers = set(re.findall(r'href="/warnings/([^/"]+)/"', listed))
        return int(tile.group(2)), numbers

    client.force_login(staff.township)
    assert tile_and_list(warning.level) == (1, {warning.number})
    services.warning_sign(actor=staff.township, warning=warning)
    assert tile_and_list(warning.level) == (1, {warning.number})  # 处置中: still unanswered
    services.warning_answer(actor=staff.township, warning=warning, answer="已排查")
    assert tile_and_list(warning.level) == (0, set())
    url = f"/api/v1/warnings?level={warning.level}"
    assert [w["number"] for w in get(client, staff.township, url).json()["items"]] == [
        warning.number
    ]
    assert get(client, staff.township, f"{url}&unanswered=true").json()["items"] == []
    assert len(get(client, staff.township, f"{url}&open=true").json()["items"]) == 1


def test_the_county_sets_a_rule_and_bad_values_name_their_field(
    client: Any, staff: Any, make_user: Any, tree: Any
) -> None:
    from zhili.core.roles import Role

    director = make_user("director", tree.county, Role.CENTER_DIRECTOR)
    client.force_login(director)
    url = "/warnings/rules/cluster-72h/"
    form = {"level": "red", "enabled": "on", "sign_hours": 1, "answer_hours": 12}
    bad = client.post(url, {**form, "param_threshold": 1, "param_hours": 72})
    assert bad.status_code == 400
    assert 'data-testid="error-param_threshold"' in bad.content.decode()
    assert client.post(url, {**form, "param_threshold": 4, "param_hours": 48}).status_code == 302
    rule = WarningRule.objects.get(code="cluster-72h")
    assert (rule.level, rule.params) == ("red", {"threshold": 4, "hours": 48})
    assert AuditLog.objects.filter(action="warnings.rule.update").count() == 1
    page = client.get("/warnings/rules/").content.decode()
    assert "事项件数 4；统计小时 48" in page  # thresholds named as the county names them
    client.force_login(staff.dispatcher)  # dispatchers handle warnings, they do not set rules
    assert client.get(url).status_code == 403


def test_the_home_card_counts_what_the_unit_must_sign(
    client: Any, warning: Warning, staff: Any
) -> None:
    assert selectors.warning_work(user=staff.township)["to_sign"] == 1
    client.force_login(staff.township)
    home = client.get("/").content.decode()
    assert "/warnings/?state=issued&amp;mine=1" in home


def test_the_screen_counts_the_open_warnings_of_its_subtree(
    client: Any, warning: Warning, staff: Any
) -> None:
    def orange(user: Any) -> int:
        panel = get(client, user, "/api/v1/screen/summary").json()["panels"]["early_warnings"]
        return {row["level"]: row["count"] for row in panel["levels"]}["orange"]

    # The fixture's two clusters: g112's for 甲镇, the address's for the county center.
    assert (orange(staff.leader), orange(staff.township), orange(staff.t2_officer)) == (2, 1, 0)
    newest = get(client, staff.township, "/api/v1/screen/summary").json()["panels"]
    assert [w["number"] for w in newest["early_warnings"]["newest"]] == [warning.number]
    services.warning_sign(actor=staff.township, warning=warning)
    services.warning_answer(actor=staff.township, warning=warning, answer="已排查")
    assert orange(staff.township) == 0  # answered: no longer waiting on the unit


def test_the_warnings_action_follows_the_workflow_roles() -> None:
    from zhili.core.roles import PERMISSIONS, Action, Role
    from zhili.warnings import workflow

    roles = workflow.UNIT_ROLES | workflow.CENTER_ROLES
    for role, actions in PERMISSIONS.items():
        if role != Role.ADMIN:
            assert (Action.WARNINGS_VIEW in actions) == (role in roles), role


def test_a_warning_late_to_answer_goes_to_supervision_once(warning: Warning, staff: Any) -> None:
    from datetime import timedelta

    import time_machine

    from zhili.supervision.models import OrderKind, SupervisionOrder
    from zhili.warnings.services import warnings_supervise

    assert warnings_supervise() == 0  # not late yet
    with time_machine.travel(warning.answer_due_at + timedelta(minutes=5)):
        late = Warning.objects.filter(answer_due_at__lt=timezone.now()).count()
        assert warnings_supervise() == late >= 1  # every warning late by then
        assert warnings_supervise() == 0  # once per deadline
    order = SupervisionOrder.objects.get(kind=OrderKind.WARNING, target_id=str(warning.pk))
    assert (order.target_id, order.unit) == (str(warning.pk), warning.unit)
    assert warning.number in order.reason and "超时" in order.reason
    notes = list(warning.events.filter(action="supervise").values_list("note", flat=True))
    assert notes == [f"逾期未答复，已下发督办单 {order.number}"]
    # The order names and links the warning (zhili.supervision.targets).
    from zhili.supervision import targets

    [shown] = targets.shown(staff.township, [order]).values()
    assert (shown.noun, shown.number, shown.due) == ("预警", warning.number, warning.answer_due_at)
    assert shown.url == f"/warnings/{warning.number}/"
    assert targets.shown(None, [order])[order.pk].url is None
    # Answered in time, a warning is never supervised.
    services.warning_sign(actor=staff.township, warning=warning)
    services.warning_answer(actor=staff.township, warning=warning, answer="已处置")
    with time_machine.travel(warning.answer_due_at + timedelta(days=2)):
        assert warnings_supervise() == 0
