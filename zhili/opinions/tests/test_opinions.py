"""The 舆情 register: an item registered with its source, link and heat, answered through the
kernel; a township sees its own; bad input 4xx naming the field."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.cases.tests.test_api import error, get, post
from zhili.core.errors import Forbidden, InvalidInput, NotFound
from zhili.core.roles import PERMISSIONS, Action, Role
from zhili.opinions import selectors, services, workflow
from zhili.opinions.models import Opinion, OpinionState

pytestmark = pytest.mark.any_day


def _data(**overrides: Any) -> services.OpinionInput:
    values: dict[str, Any] = {
        "title": "网传甲镇某工地拖欠农民工工资",
        "summary": "抖音视频称工地拖欠工资，已有两千余次播放。",
        "source": "short_video",
        "url": "https://v.example.cn/abc",
        "heat": "high",
        "found_at": timezone.now() - timedelta(hours=2),
        "views": 2300,
    }
    return services.OpinionInput(**(values | overrides))


def test_registered_answered_and_seen_by_its_township(staff: Any, tree: Any) -> None:
    opinion = services.opinion_register(actor=staff.township, data=_data(place=tree.t1.code))
    assert opinion.number.startswith(f"YQ{timezone.localdate().year}-")
    assert opinion.state == OpinionState.OPEN and opinion.place == tree.t1
    seen = {
        name: selectors.opinion_list(user=getattr(staff, name)).filter(pk=opinion.pk).exists()
        for name in ("leader", "dispatcher", "township", "t2_officer", "police")
    }
    assert seen == {
        "leader": True,
        "dispatcher": True,
        "township": True,
        "t2_officer": False,
        "police": False,
    }
    with pytest.raises(NotFound):
        services.opinion_respond(actor=staff.t2_officer, opinion=opinion, response="x")
    with pytest.raises(Forbidden):  # the leader reads, the staff answer
        services.opinion_respond(actor=staff.leader, opinion=opinion, response="x")
    opinion = services.opinion_respond(
        actor=staff.township, opinion=opinion, response="已核实，协调劳动监察支付工资并发布回应"
    )
    assert opinion.state == OpinionState.RESPONDED
    assert list(opinion.events.values_list("action", flat=True)) == ["register", "respond"]


def test_bad_input_names_the_field(staff: Any, tree: Any) -> None:
    cases = {
        "url": _data(url="javascript:alert(1)"),
        "heat": _data(heat="boiling"),
        "source": _data(source="radio"),
        "found_at": _data(found_at=timezone.now() + timedelta(hours=1)),
        "place": _data(place=tree.t1.code),  # 乙乡's officer may not file for 甲镇
        "title": _data(title=" "),
    }
    for field, data in cases.items():
        with pytest.raises(InvalidInput) as refused:
            services.opinion_register(actor=staff.t2_officer, data=data)
        assert refused.value.field == field
    with pytest.raises(Forbidden):
        services.opinion_register(actor=staff.police, data=_data())
    assert not Opinion.objects.exists()


def test_the_api_and_the_pages(client: Any, staff: Any, tree: Any) -> None:
    body = {
        "title": "网传路面塌陷",
        "summary": "微博图片",
        "source": "weibo",
        "url": "https://weibo.example.cn/1",
        "heat": "low",
        "found_at": (timezone.now() - timedelta(hours=1)).isoformat(),
    }
    made = post(client, staff.dispatcher, "/api/v1/opinions", body)
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    assert made.json()["place"]["code"] == tree.county.code
    error(
        post(client, staff.dispatcher, "/api/v1/opinions", body | {"url": "ftp://x"}),
        422,
        field="url",
    )
    done = post(
        client,
        staff.dispatcher,
        f"/api/v1/opinions/{number}/actions/respond",
        {"response": "已回应"},
    )
    assert done.json()["state"] == "responded"
    error(
        post(
            client,
            staff.dispatcher,
            f"/api/v1/opinions/{number}/actions/respond",
            {"response": "再"},
        ),
        409,
    )
    listed = get(client, staff.leader, "/api/v1/opinions?state=responded").json()
    assert [o["number"] for o in listed["items"]] == [number]
    client.force_login(staff.dispatcher)
    page = client.get("/opinions/").content.decode()
    assert number in page and "登记舆情" in page
    assert client.get(f"/opinions/{number}/").status_code == 200


def test_the_opinion_actions_follow_the_workflow_roles() -> None:
    for role, actions in PERMISSIONS.items():
        if role != Role.ADMIN:
            assert (Action.OPINIONS_KEEP in actions) == (role in workflow.KEEPERS), role
