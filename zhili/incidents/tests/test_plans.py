"""Plans (预案) written through their pages and services: what they give an incident opened
after, what they leave of an incident opened before, their revisions, bad input, and who
may write them."""

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.incidents import plans as writes
from zhili.incidents import services
from zhili.incidents.models import Incident, Plan, PlanRevision, PlanStep, Task
from zhili.incidents.tests.conftest import HERE

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="zhili.orgs.auth.StaffBackend")
    return client


def editor_post(
    steps: list[tuple[str, str, str, Any]], deleted: tuple[int, ...] = (), **fields: Any
) -> dict[str, Any]:
    """The editor's POST: its fields and a formset row per step (two blank rows after, as
    the page leaves them)."""
    data: dict[str, Any] = {
        "steps-TOTAL_FORMS": str(len(steps) + 2),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
        **fields,
    }
    for index, (team_type, role, task, minutes) in enumerate(steps):
        data.update(
            {
                f"steps-{index}-team_type": team_type,
                f"steps-{index}-role": role,
                f"steps-{index}-task": task,
                f"steps-{index}-deadline_minutes": str(minutes),
            }
        )
        if index in deleted:
            data[f"steps-{index}-DELETE"] = "on"
    return data


def open_incident(actor: Any, level: str = "large") -> Incident:
    return services.incident_open(
        actor=actor, category="QTJJ", title="村部门前聚集", lat=HERE[0], lng=HERE[1], level=level
    )


def api_open(client: Client, level: str) -> Any:
    body = {"category": "QTJJ", "title": "广场聚集", "lat": HERE[0], "lng": HERE[1], "level": level}
    return client.post("/api/v1/incidents", json.dumps(body), content_type="application/json")


def test_a_plan_made_on_the_page_gives_its_tasks_when_an_incident_opens(forces, personas, plans):
    desk = client_for(personas.dispatcher)
    assert desk.get("/incidents/plans/new/").status_code == 200
    post = editor_post(
        [
            ("police_patrol", "公安", "封控现场，疏导围观群众", 15),
            ("grid", "网格", "核实聚集人员身份和诉求", 45),
        ],
        code="YA-QTJJ-MAJOR",
        name="重大群体性聚集处置预案",
        category="QTJJ",
        level="major",
        reason="首次编制",
    )
    answer = desk.post("/incidents/plans/new/", post)
    assert answer.status_code == 302, answer.content.decode()
    assert answer["Location"] == "/incidents/plans/YA-QTJJ-MAJOR/"
    plan = Plan.objects.get(code="YA-QTJJ-MAJOR")
    assert (plan.version, plan.active, plan.level) == (1, True, "major")
    revision = plan.revisions.get()
    assert (revision.change, revision.reason, revision.actor) == (
        "create",
        "首次编制",
        personas.dispatcher,
    )
    assert [s["role"] for s in revision.snapshot["steps"]] == ["公安", "网格"]
    assert AuditLog.objects.filter(action="incidents.plan.create", target_id=str(plan.pk)).exists()

    # A 重大 incident of the category takes the new plan; a 较大 one the fixture's (any level).
    body = api_open(desk, "major").json()
    assert [(t["role"], t["text"], t["team"]) for t in body["tasks"]] == [
        ("公安", "封控现场，疏导围观群众", "T1-PATROL"),
        ("网格", "核实聚集人员身份和诉求", "T1-GRID"),
    ]
    incident = Incident.objects.get(number=body["number"])
    assert (incident.plan, incident.plan_version) == (plan, 1)
    minutes = [
        (t.due_at - incident.opened_at).total_seconds() / 60
        for t in Task.objects.filter(incident=incident)
    ]
    assert minutes == [15, 45]
    other = api_open(desk, "large").json()
    assert [t["text"] for t in other["tasks"]] == ["控制现场", "牵头化解"]

    page = desk.get("/incidents/plans/").content.decode()
    assert "重大群体性聚集处置预案" in page and "群体性聚集处置预案" in page
    assert "/incidents/plans/YA-QTJJ-MAJOR/edit/" in page
    major = desk.get("/incidents/plans/?level=major").content.decode()
    assert 'data-testid="plan-YA-QTJJ-MAJOR"' in major and 'data-testid="plan-P-QTJJ"' not in major
    any_level = desk.get("/incidents/plans/?level=any").content.decode()
    assert 'data-testid="plan-P-QTJJ"' in any_level and "YA-QTJJ-MAJOR" not in any_level


def test_an_edit_leaves_an_open_incidents_tasks_and_applies_to_the_next(forces, personas, plans):
    desk = client_for(personas.dispatcher)
    before = open_incident(personas.dispatcher)
    given = list(Task.objects.filter(incident=before).values_list("text", "due_at", "step_id"))
    editor = desk.get(f"/incidents/plans/{plans.plan.code}/edit/").content.decode()
    assert "有 1 个处置中的指挥事件按本预案开启" in editor and "控制现场" in editor
    post = editor_post(
        [
            ("police_patrol", "公安", "控制现场", 10),  # unchanged: kept
            ("grid", "乡镇", "牵头化解", 60),  # ticked 删除
            ("grid", "网格", "逐户走访稳控", 30),  # new
        ],
        deleted=(1,),
        name="群体性聚集处置预案（修订）",
        category="QTJJ",
        level="",
        reason="演练后调整",
    )
    answer = desk.post(f"/incidents/plans/{plans.plan.code}/edit/", post)
    assert answer.status_code == 302, answer.content.decode()

    plan = Plan.objects.get(pk=plans.plan.pk)
    assert (plan.version, plan.name) == (2, "群体性聚集处置预案（修订）")
    # The open incident's tasks are as they were given, their steps kept (one now retired).
    after = list(Task.objects.filter(incident=before).values_list("text", "due_at", "step_id"))
    assert after == given
    retired = PlanStep.objects.get(pk=given[1][2])
    assert retired.retired_at is not None and retired.task == "牵头化解"
    assert PlanStep.objects.get(pk=given[0][2]).retired_at is None

    later = open_incident(personas.dispatcher)
    assert [t.text for t in later.tasks.all()] == ["控制现场", "逐户走访稳控"]
    assert later.plan_version == 2
    revision = plan.revisions.get(version=2)
    assert revision.change == "update" and revision.reason == "演练后调整"
    assert "名称：群体性聚集处置预案 → 群体性聚集处置预案（修订）" in revision.summary
    assert "新增 1、停用 1" in revision.summary
    page = desk.get(f"/incidents/plans/{plan.code}/").content.decode()
    assert "第 2 版" in page and "演练后调整" in page and "逐户走访稳控" in page

    # Sending it again unchanged writes no version.
    again = desk.post(f"/incidents/plans/{plan.code}/edit/", post)
    assert again.status_code == 302
    assert Plan.objects.get(pk=plan.pk).version == 2 and plan.revisions.count() == 1


def test_the_empty_editor_names_what_is_missing(forces, personas):
    desk = client_for(personas.dispatcher)
    answer = desk.post("/incidents/plans/new/", editor_post([]))
    assert answer.status_code == 400
    page = answer.content.decode()
    for field in ("code", "name", "category"):
        assert f'data-testid="error-{field}"' in page, field
    assert "预案至少需要一个处置步骤" in page
    half = editor_post(
        [("police_patrol", "公安", "", 0)], code="YA-X", name="X", category="QTJJ", level=""
    )
    page = desk.post("/incidents/plans/new/", half).content.decode()
    assert "预案至少需要一个处置步骤" not in page
    assert page.count('class="field-error"') >= 2  # the row's task and its time limit
    assert not Plan.objects.filter(code="YA-X").exists()


STEP = writes.StepIn("police_patrol", "公安", "控制现场", 10)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "预案一"}, "code"),
        ({"code": "P-QTJJ"}, "code"),  # the fixture's
        ({"name": "  "}, "name"),
        ({"category": "NOPE"}, "category"),
        ({"level": "huge"}, "level"),
        ({"level": ""}, "level"),  # the fixture's plan is the category's active any-level one
        ({"steps": []}, "steps"),
        ({"steps": [STEP, writes.StepIn("boats", "水上", "搜救", 10)]}, "steps.1.team_type"),
        ({"steps": [writes.StepIn("grid", "", "走访", 10)]}, "steps.0.role"),
        ({"steps": [writes.StepIn("grid", "网格", "走访", 0)]}, "steps.0.deadline_minutes"),
        ({"steps": [STEP] * 31}, "steps"),
    ],
)
def test_bad_input_is_refused_naming_the_field(forces, personas, plans, change, field):
    fields = {
        "code": "YA-NEW",
        "name": "新预案",
        "category": "QTJJ",
        "level": "grave",
        "steps": [STEP],
        **change,
    }
    with pytest.raises(InvalidInput) as refused:
        plans_create(personas.dispatcher, fields)
    assert refused.value.field == field
    assert not Plan.objects.filter(code=fields["code"], name="新预案").exists()


def plans_create(actor: Any, fields: dict[str, Any]) -> Plan:
    return writes.plan_create(actor=actor, **fields)


def test_only_the_county_center_writes_plans_and_every_desk_reads_them(
    forces, personas, plans, township_commander
):
    township = client_for(township_commander)
    assert township.get("/incidents/plans/").status_code == 200
    assert township.get(f"/incidents/plans/{plans.plan.code}/").status_code == 200
    assert "新建预案" not in township.get("/incidents/plans/").content.decode()
    assert township.get("/incidents/plans/new/").status_code == 403
    assert township.get(f"/incidents/plans/{plans.plan.code}/edit/").status_code == 403
    refused = township.post(f"/incidents/plans/{plans.plan.code}/active/", {"active": "0"})
    assert refused.status_code == 403
    with pytest.raises(Forbidden):
        writes.plan_update(
            actor=township_commander,
            plan=plans.plan,
            name="改名",
            category="QTJJ",
            level="",
            steps=[STEP],
        )
    assert client_for(personas.leader).get("/incidents/plans/new/").status_code == 403
    assert client_for(personas.gridworker).get("/incidents/plans/").status_code == 403
    assert client_for(personas.dispatcher).get("/incidents/plans/NOPE/").status_code == 404
    assert Plan.objects.get(pk=plans.plan.pk).active and not PlanRevision.objects.exists()


def test_a_disabled_plan_is_neither_matched_nor_named(forces, personas, plans):
    desk = client_for(personas.dispatcher)
    answer = desk.post(f"/incidents/plans/{plans.plan.code}/active/", {"active": "0"})
    assert answer.status_code == 302
    assert list(open_incident(personas.dispatcher).tasks.all()) == []
    with pytest.raises(InvalidInput) as refused:
        services.incident_open(
            actor=personas.dispatcher,
            category="QTJJ",
            title="村部门前聚集",
            lat=HERE[0],
            lng=HERE[1],
            level="large",
            plan=plans.plan.code,
        )
    assert refused.value.field == "plan"
    # Another plan for the category and level is active now: the old one may not come back.
    replacement = writes.plan_create(
        actor=personas.dispatcher,
        code="P-QTJJ-2",
        name="新版群体性聚集处置预案",
        category="QTJJ",
        level="",
        steps=[STEP],
    )
    back = desk.post(f"/incidents/plans/{plans.plan.code}/active/", {"active": "1"}, follow=True)
    assert "已有启用的任意等级预案 P-QTJJ-2" in back.content.decode()
    assert not Plan.objects.get(pk=plans.plan.pk).active
    changes = Plan.objects.get(pk=plans.plan.pk).revisions.values_list("change", flat=True)
    assert list(changes) == ["disable"]
    assert [t.text for t in open_incident(personas.dispatcher).tasks.all()] == ["控制现场"]
    assert replacement.active


def test_the_api_writes_plans_and_names_the_bad_field(forces, personas, plans, township_commander):
    desk = client_for(personas.dispatcher)
    body = {
        "code": "YA-API",
        "name": "重大聚集预案",
        "category": "QTJJ",
        "level": "major",
        "steps": [
            {
                "team_type": "police_patrol",
                "role": "公安",
                "task": "控制现场",
                "deadline_minutes": 0,
            }
        ],
    }
    bad = desk.post("/api/v1/incident-plans", json.dumps(body), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["field"] == "steps.0.deadline_minutes"
    body["steps"][0]["deadline_minutes"] = 12
    made = desk.post("/api/v1/incident-plans", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["version"] == 1 and made.json()["steps"][0]["deadline_minutes"] == 12

    change = {k: v for k, v in body.items() if k != "code"}
    change["steps"] = [
        *body["steps"],
        {"team_type": "grid", "role": "网格", "task": "稳控", "deadline_minutes": 30},
    ]
    township = client_for(township_commander)
    url = "/api/v1/incident-plans/YA-API"
    refused = township.put(url, json.dumps(change), content_type="application/json")
    assert refused.status_code == 403
    assert township.get(url).json()["version"] == 1  # it reads them
    changed = desk.put(url, json.dumps(change), content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2 and len(changed.json()["steps"]) == 2
    listed = desk.get("/api/v1/incident-plans?category=QTJJ&active=true").json()
    assert [p["code"] for p in listed] == ["P-QTJJ", "YA-API"]
    off = desk.post(f"{url}/active", json.dumps({"active": False}), content_type="application/json")
    assert off.status_code == 200 and off.json()["active"] is False
    assert client_for(personas.gridworker).get(url).status_code == 404


def more_plans(plans: Any, forces: Any, count: int) -> None:
    """`count` disabled plans of the fixture's category (only one may be active), each with
    three steps of which the second is retired (an edit changed it)."""
    made = Plan.objects.bulk_create(
        Plan(code=f"P-MORE-{n:03d}", name=f"备用预案{n}", category=plans.crowd, active=False)
        for n in range(count)
    )
    steps = [
        PlanStep(
            plan=plan,
            order=order,
            team_type=forces.grid,
            role=f"职责{order}",
            task="任务",
            retired_at=timezone.now() if order == 2 else None,
        )
        for plan in made
        for order in (1, 2, 3)
    ]
    PlanStep.objects.bulk_create(steps)


def test_the_plan_list_costs_the_same_queries_however_many_plans(forces, personas, plans):
    """The API's list and the page read every plan's steps in force at once (the list read
    each plan's steps on its own, one query a plan)."""
    desk = client_for(personas.dispatcher)

    def cost(url: str) -> tuple[int, Any]:
        desk.get(url)  # the session and the user are read once first
        with CaptureQueriesContext(connection) as queries:
            answer = desk.get(url)
        assert answer.status_code == 200
        return len(queries), answer

    api, page = "/api/v1/incident-plans", "/incidents/plans/"
    one_api, one_page = cost(api), cost(page)
    assert len(one_api[1].json()) == 1
    many = 40
    more_plans(plans, forces, many)
    many_api, many_page = cost(api), cost(page)
    listed = {p["code"]: p for p in many_api[1].json()}
    assert len(listed) == many + 1
    assert [s["role"] for s in listed["P-MORE-007"]["steps"]] == ["职责1", "职责3"]
    assert [s["role"] for s in listed["P-QTJJ"]["steps"]] == ["公安", "乡镇"]
    row = re.search(r'data-testid="plan-P-MORE-007".*?</tr>', many_page[1].content.decode(), re.S)
    assert row is not None and "<td>2</td>" in row.group(0)
    assert (many_api[0], many_page[0]) == (one_api[0], one_page[0])
