from datetime import timedelta

import pytest
from django.utils import timezone

from zhili.cases.tests.test_api import auth, error, get, post

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def test_a_task_through_the_api_and_the_kernels_action_path(client, staff, tree, plan):
    body = {
        "title": "网格员培训",
        "lead_unit": tree.t1.code,
        "units": [tree.gaj.code],
        "due_on": day(30),
        "plan_id": plan.pk,
        "milestones": [{"title": "方案", "due_on": day(5)}],
    }
    created = post(client, staff.director, "/api/v1/plan-tasks", body)
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert created.json()["units"] == [{"code": tree.gaj.code, "name": tree.gaj.name}]
    started = post(client, staff.township, f"/api/v1/plan-tasks/{number}/actions/start")
    assert started.status_code == 200 and started.json()["state"] == "in_progress"
    sent = post(
        client,
        staff.township,
        f"/api/v1/plan-tasks/{number}/reports",
        {"month": f"{timezone.localdate():%Y-%m}", "progress": 30, "text": "已开班"},
    )
    assert sent.status_code == 201 and sent.json()["on_time"] is True
    url = f"/api/v1/plan-tasks/{number}/reports/{timezone.localdate():%Y-%m}"

    def put(body, to=url):
        return client.put(to, body, content_type="application/json", **auth(staff.township))

    fixed = put({"progress": 35, "text": "已开班两期"})
    assert fixed.status_code == 200, fixed.content
    assert (fixed.json()["progress"], fixed.json()["amendments"]) == (35, 1)
    assert fixed.json()["on_time"] is True
    error(put({"progress": 35}), 422, field="text")
    error(put({"progress": 35, "text": "x"}, to=url[:-7] + "2026-13"), 422, field="month")
    error(
        post(client, staff.township, f"/api/v1/plan-tasks/{number}/actions/complete", {}),
        422,
        field="outcome",
    )
    # a township sees its own tasks, not another's
    assert [
        t["number"] for t in get(client, staff.township, "/api/v1/plan-tasks").json()["items"]
    ] == [number]
    assert get(client, staff.t2, "/api/v1/plan-tasks").json()["items"] == []
    error(get(client, staff.t2, f"/api/v1/plan-tasks/{number}"), 404)


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"lead_unit": "nope"}, 422, "lead_unit"),
        ({"due_on": "2026-13-40"}, 422, "due_on"),
        ({"title": ""}, 422, "title"),
        ({"units": ["nope"]}, 422, "units"),
        ({"project_id": 1}, 422, "plan_id"),
    ],
)
def test_bad_task_input_names_the_field(client, staff, tree, change, status, field):
    body = {"title": "任务", "lead_unit": tree.t1.code, "due_on": day(3)} | change
    error(post(client, staff.director, "/api/v1/plan-tasks", body), status, field=field)


def test_a_meeting_with_decisions_and_a_faulty_one_named(client, staff, tree):
    body = {
        "kind": "weekly",
        "title": "周例会",
        "held_on": day(0),
        "attendees": "陈建国",
        "minutes": "研究部署",
        "decisions": [{"title": "噪音整治", "unit": tree.t1.code, "due_on": day(7)}],
    }
    done = post(client, staff.director, "/api/v1/meetings", body)
    assert done.status_code == 201, done.content
    assert [d["source"] for d in done.json()["decisions"]] == ["meeting"]
    bad = body | {
        "decisions": [*body["decisions"], {"title": "x", "unit": "nope", "due_on": day(7)}]
    }
    error(post(client, staff.director, "/api/v1/meetings", bad), 422, field="decisions.1.unit")
    error(
        post(client, staff.director, "/api/v1/meetings", body | {"held_on": day(1)}),
        422,
        field="held_on",
    )
    error(post(client, staff.township, "/api/v1/meetings", body), 403)
    assert len(get(client, staff.township, "/api/v1/meetings").json()) == 1
    assert get(client, staff.t2, "/api/v1/meetings").json() == []


def test_report_counts_for_managers_only(client, staff, make_task):
    make_task()
    month = f"{timezone.localdate():%Y-%m}"
    rows = get(client, staff.director, f"/api/v1/plan-reports/counts?first={month}").json()
    assert [r["unit"]["code"] for r in rows] == [staff.township.organization.code]
    error(
        get(client, staff.director, "/api/v1/plan-reports/counts?first=2026-13"), 422, field="first"
    )
    error(
        get(client, staff.director, f"/api/v1/plan-reports/counts?first={month}&last=2020-01"),
        422,
        field="last",
    )
    error(get(client, staff.township, f"/api/v1/plan-reports/counts?first={month}"), 403)


def test_plans_and_projects(client, staff, tree):
    year = timezone.localdate().year
    made = post(client, staff.director, "/api/v1/plans", {"year": year, "title": "计划"})
    assert made.status_code == 201
    error(post(client, staff.director, "/api/v1/plans", {"year": year, "title": "计划"}), 409)
    error(
        post(client, staff.director, "/api/v1/plans", {"year": 1999, "title": "计划"}),
        422,
        field="year",
    )
    plan_id = made.json()["id"]
    url = f"/api/v1/plans/{plan_id}/projects"
    error(
        post(client, staff.director, url, {"name": "项目", "lead_unit": "nope"}),
        422,
        field="lead_unit",
    )
    assert (
        post(client, staff.director, url, {"name": "项目", "lead_unit": tree.gaj.code}).status_code
        == 201
    )
    assert [
        p["name"]
        for p in get(client, staff.township, f"/api/v1/plans/{plan_id}").json()["projects"]
    ] == ["项目"]
