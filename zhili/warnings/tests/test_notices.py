"""A warning goes to the responsible unit and the leaders (预警提醒): the handlers of
`warnings.issued` and `warnings.transitioned`, through the outbox and the platform's live
pushes (zhili.core.live), over the WebSocket every page keeps; each person's notice, new
until they open the warning; a leader's 新预警 on the home page, which opens the list of
the same rows.

The socket test uses a transactional database (the consumer reads the session on another
connection; pushes go out on commit), as zhili/cases/tests/test_live.py does.
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config import event_handlers
from zhili.cases.tests.test_api import get
from zhili.cases.tests.test_live import IN_MEMORY, communicator
from zhili.core import live
from zhili.core.models import AuditLog
from zhili.core.outbox import deliver_pending
from zhili.core.roles import Role
from zhili.warnings import notices, selectors, services
from zhili.warnings.models import NoticeReason, Warning, WarningNotice, WarningRule
from zhili.warnings.services import warnings_scan
from zhili.warnings.tests.test_rules import G112, _phones

pytestmark = pytest.mark.any_day


def deliver_all() -> None:
    while deliver_pending(worker_id="test"):
        pass


def noise_in_g112(case_at: Any, catalog: Any) -> Warning:
    """Five noise cases in grid g112 within 72 h: rule (b)'s orange warning for 甲镇 (t1)."""
    for hours in (1, 10, 20, 40, 70):
        case_at(hours, category=catalog.noise, reporter_phone=f"1350000{hours:04d}", **G112)
    WarningRule.objects.exclude(code="cluster-72h").update(enabled=False)
    assert warnings_scan().issued == 1
    return Warning.objects.get()


@pytest.fixture
def secretary(tree: Any, make_user: Any) -> Any:
    """甲镇's leader (乡镇政法委书记)."""
    return make_user("secretary", tree.t1, Role.TOWNSHIP_SECRETARY)


@pytest.fixture
def pushed(monkeypatch: Any) -> Iterator[list[tuple[list[str], dict[str, Any]]]]:
    """What zhili.core.live sends once the transactions commit: (groups, payload)."""
    sent: list[tuple[list[str], dict[str, Any]]] = []
    monkeypatch.setattr(live, "push", lambda groups, payload: sent.append((groups, payload)))
    yield sent


def test_both_events_have_their_handler_in_the_one_registry() -> None:
    handlers = event_handlers.EVENT_HANDLERS
    assert handlers["warnings.issued"] == ["zhili.warnings.handlers.notify_issued"]
    assert handlers["warnings.transitioned"] == ["zhili.warnings.handlers.notify_step"]


@pytest.mark.django_db(transaction=True)
def test_a_new_warning_reaches_its_unit_and_leaders_over_the_socket(
    case_at: Any, catalog: Any, staff: Any, secretary: Any, settings: Any
) -> None:
    settings.CHANNEL_LAYERS = IN_MEMORY
    warning = noise_in_g112(case_at, catalog)
    sockets: dict[str, WebsocketCommunicator] = {
        "township": communicator(staff.township),  # 甲镇's officer: the unit's staff
        "secretary": communicator(secretary),  # 甲镇's leader
        "leader": communicator(staff.leader),  # the county's leader: orange is grave
        "dispatcher": communicator(staff.dispatcher),  # the county center: not this unit
        "t2": communicator(staff.t2_officer),  # another township
    }

    async def notes(socket: WebsocketCommunicator) -> list[dict[str, Any]]:
        got = []
        while not await socket.receive_nothing(timeout=0.3):
            message = await socket.receive_json_from(timeout=1)
            if message["type"] == notices.MESSAGE_TYPE:
                got.append(message)
        return got

    async def scenario() -> dict[str, list[dict[str, Any]]]:
        for socket in sockets.values():
            assert (await socket.connect())[0]
        await database_sync_to_async(deliver_all)()  # the worker delivers the outbox
        heard = {name: await notes(socket) for name, socket in sockets.items()}
        # Delivered again (a second worker, a retry): no second notice, nothing pushed.
        again = await database_sync_to_async(notices.warning_notify)(warning_id=warning.pk)
        assert again == []
        assert [await notes(s) for s in sockets.values()] == [[]] * len(sockets)
        for socket in sockets.values():
            await socket.disconnect()
        return heard

    heard = async_to_sync(scenario)()
    assert {name: len(got) for name, got in heard.items()} == {
        "township": 1,
        "secretary": 1,
        "leader": 1,
        "dispatcher": 0,
        "t2": 0,
    }
    [unit] = heard["township"]
    assert (unit["number"], unit["level"], unit["action"]) == (warning.number, "orange", "issue")
    assert unit["url"] == f"/warnings/{warning.number}/"
    assert unit["notice"] == f"橙色预警 {warning.number} {warning.title}：新预警，请及时签收研判"
    assert heard["leader"][0]["notice"].endswith("：新预警")
    reasons = dict(WarningNotice.objects.values_list("user__username", "reason"))
    assert reasons == {"township": "unit", "secretary": "unit", "leader": "leader"}
    told = warning.events.get(action="notify")
    assert told.note == "已推送提醒：责任单位 2 人，领导 1 人"


def test_a_yellow_warning_goes_to_its_unit_and_not_to_the_leaders(
    case_at: Any,
    staff: Any,
    make_user: Any,
    tree: Any,
    pushed: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The same phone three times, placed by no township: a yellow warning for the county
    center, whose dispatchers and director hear of it; the county leader does not."""
    director = make_user("director", tree.county, Role.CENTER_DIRECTOR)
    _phones(case_at, "13900000001", 10, 200, 600)
    WarningRule.objects.exclude(code="repeat-30d").update(enabled=False)
    warnings_scan()
    warning = Warning.objects.get()
    assert (warning.level, warning.unit) == ("yellow", tree.county)
    with django_capture_on_commit_callbacks(execute=True):
        made = notices.warning_notify(warning_id=warning.pk)
    assert {n.user_id for n in made} == {staff.dispatcher.pk, director.pk}
    [(groups, payload)] = pushed
    assert sorted(groups) == sorted(f"user.{pk}" for pk in (staff.dispatcher.pk, director.pk))
    assert payload["type"] == "warnings.notice" and payload["level"] == "yellow"


def test_the_leaders_come_from_the_org_tree(tree: Any, staff: Any, make_user: Any) -> None:
    """A township unit's leaders: the county's leaders and that township's secretary, not
    another township's, nor a leader outside the county."""
    secretary = make_user("secretary", tree.t1, Role.TOWNSHIP_SECRETARY)
    make_user("t2secretary", tree.t2, Role.TOWNSHIP_SECRETARY)
    make_user("retired", tree.county, Role.COUNTY_LEADER, is_active=False)
    make_user("nowhere", None, Role.COUNTY_LEADER)  # no unit: no socket to reach
    village = Warning(unit=tree.v11, unit_path=tree.v11.path)
    assert notices.leaders(village) == sorted([staff.leader.pk, secretary.pk])
    county = Warning(unit=tree.county, unit_path=tree.county.path)
    assert notices.leaders(county) == [staff.leader.pk]


def test_a_leader_s_home_shows_the_new_grave_warnings_and_opening_one_reads_it(
    case_at: Any, catalog: Any, staff: Any, secretary: Any, django_capture_on_commit_callbacks: Any
) -> None:
    warning = noise_in_g112(case_at, catalog)
    with django_capture_on_commit_callbacks():
        notices.warning_notify(warning_id=warning.pk)

    def new_figure(user: Any) -> tuple[int, set[str]]:
        client = Client()
        client.force_login(user)
        home = client.get("/").content.decode()
        figure = re.search(
            r'href="([^"]+)"[^>]*>\s*<strong class="work-value">(\d+)</strong>'
            r'<span class="work-label">新预警</span>',
            home,
        )
        assert figure is not None, user
        listed = client.get(figure.group(1).replace("&amp;", "&")).content.decode()
        numbers = set(re.findall(r'data-testid="warning-row-([^"]+)"', listed))
        return int(figure.group(2)), numbers

    for user in (staff.leader, secretary):
        assert new_figure(user) == (1, {warning.number})
        assert selectors.warning_work(user=user)["new"] == 1
    client = Client()
    client.force_login(staff.leader)
    listed = client.get("/warnings/?state=all").content.decode()
    assert f'data-testid="warning-new-{warning.number}"' in listed  # marked 新 in the list
    assert client.get(f"/warnings/{warning.number}/").status_code == 200  # opened: read
    assert new_figure(staff.leader) == (0, set())
    assert new_figure(secretary) == (1, {warning.number})  # each person reads their own
    assert AuditLog.objects.filter(action="warnings.warning.read").count() == 1
    client.get(f"/warnings/{warning.number}/")
    assert AuditLog.objects.filter(action="warnings.warning.read").count() == 1  # once
    # The API's detail reads it too; its list filters the same way.
    url = "/api/v1/warnings?new=true&grave=true"
    listed = get(client, secretary, url).json()["items"]
    assert [w["number"] for w in listed] == [warning.number]
    assert get(client, secretary, f"/api/v1/warnings/{warning.number}").status_code == 200
    assert get(client, secretary, url).json()["items"] == []
    # The unit's officer has no 新预警 figure: their item is 待签收.
    officer = Client()
    officer.force_login(staff.township)
    assert "新预警" not in officer.get("/").content.decode()


def test_each_step_reaches_the_side_that_acts_next(
    case_at: Any,
    catalog: Any,
    staff: Any,
    secretary: Any,
    make_user: Any,
    tree: Any,
    pushed: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    analyst = make_user("analyst", tree.county, Role.ANALYST)
    warning = noise_in_g112(case_at, catalog)
    with django_capture_on_commit_callbacks(execute=True):
        notices.warning_notify(warning_id=warning.pk)
    WarningNotice.objects.update(read_at=warning.issued_at)  # everyone has opened it
    pushed.clear()

    def step(action: str) -> dict[str, set[str]]:
        pushed.clear()
        with django_capture_on_commit_callbacks(execute=True):
            notices.warning_step_notify(warning_id=warning.pk, action=action)
        return {p["notice"].rsplit("：", 1)[1]: set(groups) for groups, p in pushed}

    def users(*people: Any) -> set[str]:
        return {f"user.{p.pk}" for p in people}

    warning = services.warning_sign(actor=staff.township, warning=warning)
    assert step("sign") == {}  # nobody waits on a signature
    warning = services.warning_answer(actor=staff.township, warning=warning, answer="已核查")
    assert step("answer") == {"责任单位已答复，请审核": users(staff.dispatcher, analyst)}
    warning = services.warning_reject(actor=staff.dispatcher, warning=warning, reason="请补充")
    assert step("reject") == {"答复被退回，请补充处置": users(staff.township, secretary)}
    unread = WarningNotice.objects.filter(read_at__isnull=True)
    assert dict(unread.values_list("user__username", "reason")) == {
        "township": NoticeReason.UNIT,
        "secretary": NoticeReason.UNIT,
    }  # new again for the unit, not for the county's leader
    warning = services.warning_answer(actor=staff.township, warning=warning, answer="已补充")
    warning = services.warning_close(actor=staff.dispatcher, warning=warning)
    assert step("close") == {"已审核关闭": users(staff.township, secretary)}
    assert selectors.warning_work(user=secretary)["new"] == 0  # closed: no longer new
