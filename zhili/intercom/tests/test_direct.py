"""Individual calls (单呼) without a gateway (its room calls faked): whom one may call (the
list of the desk and the handheld, the same rule as the call itself, read in one query), the
call's name as each of the two sees it, and the call that joining tells the other person,
after commit and to them alone."""

from typing import Any

import pytest
from django.db import connection

from zhili.conftest import Tree
from zhili.core import live
from zhili.core.errors import Unavailable
from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.forces.models import Force, Team
from zhili.intercom import selectors, services
from zhili.intercom.models import GroupKind, Talk, TalkGroup
from zhili.intercom.tests.test_floor import API, as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_gateway(monkeypatch: Any) -> None:
    """The room calls of a join answered as a running gateway would."""
    monkeypatch.setattr(services.gateway, "room_exists", lambda *_a: True)
    monkeypatch.setattr(services.gateway, "room_create", lambda *_a: None)
    monkeypatch.setattr(services.gateway, "allow", lambda *_a: None)


def names(user: Any) -> list[str]:
    return [c.name for c in selectors.callees(user=user)]


def test_whom_each_may_call(field: Tree, personas: Tree) -> None:
    # The county's desk: every force with a handheld account; its own team first elsewhere.
    assert sorted(names(field.dispatcher)) == sorted(["张网格", "李网格", "王网格", "赵警官"])
    # 甲镇's desk: 甲镇's teams only; the police's department sees its patrol only.
    assert sorted(names(field.township)) == ["张网格", "李网格"]
    assert names(personas.police) == ["赵警官"]
    # A grid worker without forces.view: the members of their own team, not themselves.
    mine = selectors.callees(user=field.hand)
    assert [(c.name, c.team, c.own_team) for c in mine] == [("李网格", "甲镇网格员队伍", True)]
    # Nobody for an outsider, a village officer (no forces.view) or a user without a team.
    for nobody in (personas.outsider, personas.village, personas.gridworker):
        assert selectors.callees(user=nobody) == []
    # The status as the team type names it.
    patrol = next(c for c in selectors.callees(user=field.dispatcher) if c.name == "赵警官")
    assert (patrol.status, patrol.status_label, patrol.team) == (
        "dispatched",
        "已派遣",
        "甲镇派出所巡逻组",
    )


def test_the_list_is_the_rule_of_the_call(field: Tree, personas: Tree) -> None:
    """Whoever is listed may be called (201); whoever is not gets the 404 of the call."""
    people = [field.hand, field.hand2, field.c.user, field.police.user]
    callers = [field.dispatcher, field.township, field.hand, field.hand2, field.c.user]
    callers += [personas.police, personas.village, personas.outsider, personas.leader]
    for caller in callers:
        listed = {c.user_id for c in selectors.callees(user=caller)}
        client = as_user(caller)
        for person in people:
            if person.pk == caller.pk:
                continue
            answer = client.post(
                f"{API}/direct", {"user": person.pk}, content_type="application/json"
            )
            expected = 201 if person.pk in listed else 404
            assert answer.status_code == expected, (caller.username, person.username)


def test_a_person_whose_account_is_closed_is_not_listed(field: Tree) -> None:
    field.hand2.is_active = False
    field.hand2.save()
    assert selectors.callees(user=field.hand) == []
    assert "李网格" not in names(field.dispatcher)


def test_the_list_is_read_in_one_query_however_many_people(
    field: Tree, make_user: Any, tree: Tree
) -> None:
    def queries() -> int:
        count = 0

        def counted(execute: Any, *args: Any) -> Any:
            nonlocal count
            count += 1
            return execute(*args)

        user = type(field.dispatcher).objects.get(pk=field.dispatcher.pk)
        selectors.callee_rows(user=user)  # the user's roles and unit, read once a request
        with connection.execute_wrapper(counted):
            found = selectors.callees(user=user)
        assert found
        return count

    few = queries()
    team = Team.objects.create(
        code="T1-X", name="甲镇巡逻队", team_type=field.patrol, organization=tree.t1
    )
    for n in range(20):
        user = make_user(f"x{n}", tree.t1, Role.GRID_WORKER, full_name=f"巡逻员{n}")
        Force.objects.create(code=f"F-X{n}", name=f"巡逻员{n}", team=team, user=user)
    assert len(names(field.dispatcher)) == 24
    assert queries() == few == 1


def test_the_list_through_the_api_searched_by_name_or_team(field: Tree) -> None:
    client = as_user(field.dispatcher)
    every = client.get(f"{API}/callees").json()
    assert {c["name"] for c in every} == {"张网格", "李网格", "王网格", "赵警官"}
    one = every[0]
    assert set(one) == {"user", "name", "force", "team", "status", "status_label", "own_team"}
    by_team = client.get(f"{API}/callees", {"q": "派出所"}).json()
    assert [c["name"] for c in by_team] == ["赵警官"]
    assert [c["name"] for c in client.get(f"{API}/callees", {"q": "王网"}).json()] == ["王网格"]
    too_long = client.get(f"{API}/callees", {"q": "长" * 51})
    assert too_long.status_code == 422 and too_long.json()["field"] == "q"
    assert as_user(field.hand).get(f"{API}/callees").json()[0]["own_team"] is True


def test_each_of_the_two_sees_the_call_named_by_the_other(field: Tree) -> None:
    made = as_user(field.dispatcher).post(
        f"{API}/direct", {"user": field.hand.pk}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["name"] == "单呼：张网格"
    group = made.json()["id"]

    def listed(user: Any) -> str:
        groups = as_user(user).get(f"{API}/groups").json()
        return next(g["name"] for g in groups if g["id"] == group)

    assert listed(field.dispatcher) == "单呼：张网格"
    assert listed(field.hand) == "单呼：陈调度"


def test_joining_a_call_rings_the_other_after_commit_and_them_alone(
    field: Tree, no_gateway: None, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pushed: list[tuple[list[str], dict[str, Any]]] = []
    monkeypatch.setattr(live, "push", lambda groups, payload: pushed.append((groups, payload)))
    group = services.group_direct(actor=field.dispatcher, other_id=field.hand.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        services.group_join(actor=field.dispatcher, group=group)
        assert pushed == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()  # the commit
    [(groups, call)] = pushed
    assert groups == [f"user.{field.hand.pk}"]
    assert call["type"] == "intercom.call" and call["group"] == group.pk
    assert (call["caller"], call["caller_id"]) == ("陈调度", field.dispatcher.pk)
    assert call["group_name"] == "单呼：陈调度" and call["kind"] == GroupKind.DIRECT
    called = AuditLog.objects.get(action="intercom.direct.call")
    assert called.extra["callee"] == field.hand.pk

    # The callee answers: the caller, waiting in the call, hears they came; no call back.
    pushed.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.group_join(actor=field.hand, group=group)
    assert [(g, p["type"], p["caller"]) for g, p in pushed] == [
        ([f"user.{field.dispatcher.pk}"], "intercom.answer", "张网格")
    ]
    assert AuditLog.objects.filter(action="intercom.direct.call").count() == 1


def test_joining_a_team_group_calls_nobody(
    field: Tree, no_gateway: None, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pushed: list[Any] = []
    monkeypatch.setattr(live, "push", lambda groups, payload: pushed.append(payload))
    team = services.group_for_team(team=field.a.team)
    with django_capture_on_commit_callbacks(execute=True):
        services.group_join(actor=field.hand, group=team)
    assert pushed == []


def test_a_join_the_gateway_refuses_calls_nobody(
    field: Tree, no_gateway: None, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pushed: list[Any] = []
    monkeypatch.setattr(live, "push", lambda groups, payload: pushed.append(payload))

    def refused(*_args: Any) -> None:
        raise Unavailable("对讲网关未运行，请联系管理员", code="gateway_unavailable")

    monkeypatch.setattr(services.gateway, "allow", refused)
    group = services.group_direct(actor=field.dispatcher, other_id=field.hand.pk)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Unavailable):
        services.group_join(actor=field.dispatcher, group=group)
    assert pushed == []
    assert not AuditLog.objects.filter(action="intercom.direct.call").exists()


def test_the_talks_of_a_call_are_logged_as_any_groups(field: Tree) -> None:
    group = services.group_direct(actor=field.dispatcher, other_id=field.hand.pk)
    services.floor_take(actor=field.dispatcher, group=group)
    services.floor_release(actor=field.dispatcher, group=group)
    services.floor_take(actor=field.hand, group=group)
    talks = Talk.objects.filter(group=group).order_by("started_at", "id")
    assert [(t.user_id, t.ended_how) for t in talks] == [
        (field.dispatcher.pk, "released"),
        (field.hand.pk, ""),
    ]
    assert TalkGroup.objects.filter(kind=GroupKind.DIRECT).count() == 1


def test_the_desk_and_the_handheld_list_whom_to_call(field: Tree) -> None:
    desk = as_user(field.dispatcher).get("/intercom/").content.decode()
    for person in (field.hand, field.hand2, field.c.user, field.police.user):
        assert f'data-testid="call-{person.pk}"' in desk
    assert 'data-testid="callee-team"' in desk and "全部队伍" in desk
    assert 'data-testid="intercom-calls"' in desk
    township = as_user(field.township).get("/intercom/").content.decode()
    assert f'data-testid="call-{field.c.user.pk}"' not in township
    phone = as_user(field.hand).get("/m/").content.decode()
    assert f'data-testid="call-{field.hand2.pk}"' in phone
    assert f'data-testid="call-{field.dispatcher.pk}"' not in phone
    assert 'data-testid="intercom-calls"' in phone and "intercom/call.js" in phone
    # The prompt is on the handheld's other pages too (answered on its home page).
    cases = as_user(field.hand).get("/m/cases/").content.decode()
    assert 'data-answer-url="/m/"' in cases


def test_the_panel_names_a_call_by_the_other_and_puts_it_last(field: Tree) -> None:
    from zhili.intercom.panel import panel_context

    group = services.group_direct(actor=field.hand, other_id=field.hand2.pk)
    rows = panel_context(field.hand)["intercom_config"]["groups"]
    assert rows[-1]["id"] == group.pk and rows[-1]["kind"] == GroupKind.DIRECT
    assert (rows[-1]["name"], rows[-1]["partner"]) == ("单呼：李网格", field.hand2.pk)
    assert all(row["partner"] is None for row in rows[:-1])
    phone = as_user(field.hand2).get("/m/").content.decode()
    assert f'<option value="{group.pk}">单呼：张网格</option>' in phone
