"""Talk groups and the floor without a gateway (rooms not made yet): who may join which
group, one speaker at a time (409 naming the speaker), the hold's lapse, the all-call's
speakers, individual calls, bad input naming the field, the talk log and the pushes."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.intercom import selectors, services, talklog
from zhili.intercom.models import GroupKind, Seat, Talk, TalkGroup

pytestmark = pytest.mark.django_db
API = "/api/v1/intercom"


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def team_group(crew: Tree, code: str) -> TalkGroup:
    force = {"T1-GRID": crew.a, "T2-GRID": crew.c, "T1-PATROL": crew.police}[code]
    return services.group_for_team(team=force.team)


def test_each_user_lists_the_groups_of_their_teams_and_center(crew: Tree) -> None:
    names = {g["name"] for g in as_user(crew.hand).get(f"{API}/groups").json()}
    assert names == {"甲镇网格员队伍", "东海县综治中心全呼"}
    names = {g["name"] for g in as_user(crew.township).get(f"{API}/groups").json()}
    assert names == {"甲镇网格员队伍", "甲镇综治中心全呼"}
    names = {g["name"] for g in as_user(crew.dispatcher).get(f"{API}/groups").json()}
    assert names >= {"甲镇网格员队伍", "乙乡网格员队伍", "甲镇派出所巡逻组", "东海县综治中心全呼"}
    # A team's group is made once, however often it is asked for.
    assert TalkGroup.objects.filter(kind=GroupKind.TEAM).count() == 3


def test_the_groups_list_reads_the_same_however_many_teams(crew: Tree) -> None:
    """The county desk sees every team: their groups are read and made together."""
    from django.db import connection

    from zhili.forces.models import Team

    def queries_of_a_visit() -> int:
        count = 0

        def counted(execute: Any, *args: Any) -> Any:
            nonlocal count
            count += 1
            return execute(*args)

        with connection.execute_wrapper(counted):
            answer = client.get(f"{API}/groups")
        assert answer.status_code == 200
        return count

    client = as_user(crew.dispatcher)
    client.get(f"{API}/groups")  # the first visit makes the three teams' groups
    few = queries_of_a_visit()
    Team.objects.bulk_create(
        Team(
            code=f"T1-X{n}",
            name=f"甲镇巡逻{n}组",
            team_type=crew.patrol,
            organization=crew.a.team.organization,
        )
        for n in range(20)
    )
    answer = client.get(f"{API}/groups")  # makes the 20 new groups at once
    assert len([g for g in answer.json() if g["name"].startswith("甲镇巡逻")]) == 20
    assert queries_of_a_visit() == few


def test_a_township_cannot_reach_another_townships_team_group(crew: Tree) -> None:
    other = team_group(crew, "T2-GRID")
    client = as_user(crew.township)
    for method, path in (
        ("post", "floor"),
        ("post", "join"),
        ("delete", "floor"),
        ("get", "talks"),
    ):
        answer = getattr(client, method)(f"{API}/groups/{other.pk}/{path}")
        assert answer.status_code == 404, (method, path, answer.content)
    assert not Talk.objects.exists()
    # A force of 甲镇 cannot reach 乙乡's group either; a village officer no team group.
    assert as_user(crew.hand).post(f"{API}/groups/{other.pk}/floor").status_code == 404
    own = team_group(crew, "T1-GRID")
    assert as_user(crew.village).post(f"{API}/groups/{own.pk}/floor").status_code == 404


def test_one_speaker_at_a_time_and_the_refusal_names_who_speaks(crew: Tree) -> None:
    group = team_group(crew, "T1-GRID")
    first, second = as_user(crew.hand), as_user(crew.hand2)
    taken = first.post(f"{API}/groups/{group.pk}/floor")
    assert taken.status_code == 200 and taken.json()["speaker"] == "张网格"
    refused = second.post(f"{API}/groups/{group.pk}/floor")
    assert refused.status_code == 409
    assert refused.json()["code"] == "floor_busy"
    assert "张网格" in refused.json()["detail"]
    # The holder renews: still one talk. Someone else's release changes nothing.
    assert first.post(f"{API}/groups/{group.pk}/floor").status_code == 200
    assert second.delete(f"{API}/groups/{group.pk}/floor").json()["speaker"] == "张网格"
    released = first.delete(f"{API}/groups/{group.pk}/floor")
    assert released.status_code == 200 and released.json()["speaker"] == ""
    assert second.post(f"{API}/groups/{group.pk}/floor").json()["speaker"] == "李网格"
    talks = list(Talk.objects.filter(group=group).order_by("started_at", "id"))
    assert [(t.user_id, t.ended_how) for t in talks] == [
        (crew.hand.pk, "released"),
        (crew.hand2.pk, ""),
    ]
    assert talks[0].ended_at is not None and talks[0].ended_at >= talks[0].started_at
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"intercom.floor.take", "intercom.floor.release"} <= actions


def test_a_hold_not_renewed_lapses(crew: Tree, settings: Any) -> None:
    settings.INTERCOM_FLOOR_SECONDS = 5
    group = team_group(crew, "T1-GRID")
    services.floor_take(actor=crew.hand, group=group)
    group.refresh_from_db()
    assert group.floor_until is not None
    assert 4 <= (group.floor_until - timezone.now()).total_seconds() <= 5
    # Before the lapse the sweep leaves it; after it, someone else may take the floor.
    assert services.floor_sweep(timezone.now()) == 0
    TalkGroup.objects.filter(pk=group.pk).update(floor_until=timezone.now() - timedelta(seconds=1))
    taken = as_user(crew.hand2).post(f"{API}/groups/{group.pk}/floor")
    assert taken.status_code == 200
    lapsed = Talk.objects.get(group=group, user=crew.hand)
    assert lapsed.ended_how == "expired" and lapsed.ended_at is not None


def test_the_sweep_ends_a_lapsed_hold(crew: Tree) -> None:
    group = team_group(crew, "T1-GRID")
    services.floor_take(actor=crew.hand, group=group)
    group.refresh_from_db()
    assert group.floor_until is not None
    assert services.floor_sweep(group.floor_until + timedelta(seconds=1)) == 1
    group.refresh_from_db()
    assert group.speaker_id is None
    talk = Talk.objects.get(group=group)
    assert talk.ended_how == "expired"


def test_the_all_call_is_heard_by_the_field_and_spoken_by_the_center(crew: Tree) -> None:
    groups = {g["kind"]: g for g in as_user(crew.dispatcher).get(f"{API}/groups").json()}
    all_call = groups["allcall"]["id"]
    refused = as_user(crew.hand).post(f"{API}/groups/{all_call}/floor")
    assert refused.status_code == 403 and refused.json()["code"] == "listen_only"
    assert as_user(crew.dispatcher).post(f"{API}/groups/{all_call}/floor").status_code == 200
    # A force of 乙乡 hears the county's all-call too; 甲镇's own all-call is not theirs.
    group = TalkGroup.objects.get(pk=all_call)
    assert {crew.hand.pk, crew.hand2.pk} <= services.members_of(group)
    # 甲镇's own all-call reaches 甲镇's forces, and not the county's police patrol.
    t1_call = services.group_all_call(organization=crew.township.organization)
    assert selectors.group_rows(user=crew.hand2).filter(pk=t1_call.pk).exists()
    assert crew.hand.pk in services.members_of(t1_call)
    # A township officer hears the county's all-call only if a force: this one is not.
    assert not selectors.group_rows(user=crew.township).filter(pk=all_call).exists()


def test_an_individual_call_is_a_group_of_two(crew: Tree) -> None:
    client = as_user(crew.dispatcher)
    made = client.post(f"{API}/direct", {"user": crew.hand.pk}, content_type="application/json")
    assert made.status_code == 201 and made.json()["kind"] == "direct"
    again = client.post(f"{API}/direct", {"user": crew.hand.pk}, content_type="application/json")
    assert again.json()["id"] == made.json()["id"]
    group = TalkGroup.objects.get(pk=made.json()["id"])
    assert set(group.members.values_list("pk", flat=True)) == {crew.dispatcher.pk, crew.hand.pk}
    assert as_user(crew.hand).post(f"{API}/groups/{group.pk}/floor").status_code == 200
    # Nobody else reaches it; 乙乡's township officer cannot call 甲镇's force.
    assert as_user(crew.hand2).post(f"{API}/groups/{group.pk}/floor").status_code == 404
    far = TalkGroup.objects.filter(kind=GroupKind.DIRECT).count()
    answer = as_user(crew.township).post(
        f"{API}/direct", {"user": crew.leader.pk}, content_type="application/json"
    )
    assert answer.status_code == 404 and answer.json()["field"] == "user"
    assert TalkGroup.objects.filter(kind=GroupKind.DIRECT).count() == far


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "user"), ({"user": "abc"}, "user"), ({"user": 0}, "user"), ("self", "user")],
)
def test_bad_input_is_a_4xx_naming_the_field(crew: Tree, body: Any, field: str) -> None:
    if body == "self":
        body = {"user": crew.dispatcher.pk}
    answer = as_user(crew.dispatcher).post(f"{API}/direct", body, content_type="application/json")
    assert 400 <= answer.status_code < 500 and answer.json()["field"] == field, answer.content
    bad = as_user(crew.dispatcher).post(
        f"{API}/groups/1/leave", {"seat": "x"}, content_type="application/json"
    )
    assert bad.status_code in (404, 422) and bad.json()["field"] in (None, "seat")
    missing = as_user(crew.dispatcher).post(f"{API}/groups/abc/floor")
    assert missing.status_code == 422 and missing.json()["field"] == "group_id"


def test_a_subject_group_and_its_talks_for_the_timeline(crew: Tree) -> None:
    group = services.group_for_subject(
        subject="ZH-2026-0001",
        name="群体性聚集处置",
        organization=crew.township.organization,
        members=(crew.hand,),
    )
    assert (
        services.group_for_subject(
            subject="ZH-2026-0001", name="x", organization=crew.township.organization
        ).pk
        == group.pk
    )
    services.floor_take(actor=crew.hand, group=group)
    services.floor_release(actor=crew.hand, group=group)
    services.floor_take(actor=crew.township, group=group)
    rows = selectors.talks_for("ZH-2026-0001")
    assert [(r.user, r.ended_at is not None) for r in rows] == [
        ("张网格", True),
        ("township", False),
    ]
    assert selectors.talks_for("ZH-OTHER") == []
    # Named members and the organization's commanders reach it; others do not.
    assert selectors.group_rows(user=crew.hand2).filter(pk=group.pk).count() == 0


def test_every_floor_change_is_pushed_to_the_members(crew: Tree, monkeypatch: Any) -> None:
    pushed: list[tuple[list[str], dict[str, Any]]] = []
    monkeypatch.setattr(services, "push_after_commit", lambda g, p: pushed.append((list(g), p)))
    group = team_group(crew, "T1-GRID")
    services.floor_take(actor=crew.hand, group=group)
    services.floor_release(actor=crew.hand, group=group)
    assert [p["speaker"] for _g, p in pushed] == ["张网格", ""]
    groups, payload = pushed[0]
    assert payload["type"] == "intercom.floor" and payload["group"] == group.pk
    assert set(groups) == {f"user.{crew.hand.pk}", f"user.{crew.hand2.pk}"}


def test_the_gateways_events_confirm_the_talk_and_mute_a_seat_without_the_floor(
    crew: Tree, monkeypatch: Any
) -> None:
    muted: list[tuple[list[int], bool]] = []
    monkeypatch.setattr(
        talklog.gateway, "set_muted", lambda _g, _r, _s, seats, m: muted.append((seats, m))
    )
    group = team_group(crew, "T1-GRID")
    TalkGroup.objects.filter(pk=group.pk).update(janus_id=77_001, janus_secret="s")
    seat = Seat.objects.create(group=group, user=crew.hand, token="t1")
    other = Seat.objects.create(group=group, user=crew.hand2, token="t2")
    group.refresh_from_db()
    services.floor_take(actor=crew.hand, group=group)
    at = timezone.now()
    event = {"room": 77_001, "id": seat.pk, "audiobridge": "talking"}
    assert talklog.audiobridge_event(event, at)
    assert Talk.objects.get(group=group).heard_at == at
    assert talklog.audiobridge_event({"room": 77_001, "id": seat.pk, "event": "joined"}, at)
    assert not talklog.audiobridge_event({"room": 1, "id": seat.pk, "event": "joined"}, at)
    # The other page unmutes itself: the platform mutes it again.
    muted.clear()
    configured = {"room": 77_001, "id": other.pk, "event": "configured", "muted": False}
    assert talklog.audiobridge_event(configured, at)
    assert muted == [([other.pk], True)]
