from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhili.plans import meetings, services
from zhili.plans.models import ProgressReport

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_plan_tree_shows_each_unit_its_own_tasks(client, staff, tree, plan, make_task):
    project = services.project_add(
        actor=staff.director, plan=plan, name="规范化建设", lead_unit=tree.t1
    )
    mine = make_task(project=project)
    other = make_task(lead=tree.t2, project=project, title="乙乡任务")
    page = signed_in(client, staff.township).get(reverse("plans:index")).content.decode()
    assert "规范化建设" in page and mine.number in page and other.number not in page
    page = signed_in(client, staff.director).get(reverse("plans:index")).content.decode()
    assert mine.number in page and other.number in page


def test_the_task_page_and_an_action(client, staff, make_task):
    task = make_task()
    page = signed_in(client, staff.township).get(reverse("plans:detail", args=[task.number]))
    assert page.status_code == 200 and "下达任务" in page.content.decode()
    done = client.post(reverse("plans:act", args=[task.number, "start"]))
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.state == "in_progress"
    assert (
        signed_in(client, staff.t2).get(reverse("plans:detail", args=[task.number])).status_code
        == 404
    )


def test_the_progress_form_reports_and_names_a_bad_field(client, staff, make_task):
    task = make_task()
    month = f"{timezone.localdate():%Y-%m}"
    client = signed_in(client, staff.township)
    page = client.get(reverse("plans:progress"), {"month": month}).content.decode()
    assert f"progress-form-{task.number}" in page
    bad = client.post(
        reverse("plans:report", args=[task.number]), {"month": month, "progress": 150, "text": "x"}
    )
    assert bad.status_code == 400 and "progress" in bad.context["form"].errors
    good = client.post(
        reverse("plans:report", args=[task.number]),
        {"month": month, "progress": 50, "text": "推进"},
    )
    assert good.status_code == 302
    assert ProgressReport.objects.filter(task=task).count() == 1
    # The page then offers to correct it, prefilled; a correction replaces it.
    page = client.get(reverse("plans:progress"), {"month": month}).content.decode()
    assert f"progress-amend-form-{task.number}" in page and ">推进</textarea>" in page
    amend = reverse("plans:amend", args=[task.number])
    bad = client.post(amend, {"month": month, "progress": 60, "text": " "})
    assert bad.status_code == 400 and "text" in bad.context["form"].errors
    fixed = client.post(amend, {"month": month, "progress": 60, "text": "推进，完成过半"})
    assert fixed.status_code == 302
    page = client.get(reverse("plans:progress"), {"month": month}).content.decode()
    assert "完成过半" in page and f"progress-amended-{task.number}" in page


def test_the_manager_sees_every_units_missing_reports(client, staff, make_task):
    make_task()
    month = f"{timezone.localdate():%Y-%m}"
    page = signed_in(client, staff.director).get(reverse("plans:progress"), {"month": month})
    assert "各单位报送情况" in page.content.decode()


def test_meetings_pages_record_and_show_decisions(client, staff, tree):
    client = signed_in(client, staff.director)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    form = {
        "kind": "weekly",
        "title": "周例会",
        "held_on": timezone.localdate().isoformat(),
        "attendees": "全体",
        "minutes": "部署",
        "d0_title": "噪音整治",
        "d0_unit": tree.t1.code,
        "d0_due": due,
    }
    bad = client.post(reverse("plans:meeting_new"), form | {"d1_title": "缺单位", "d1_due": due})
    assert bad.status_code == 400 and "d1_unit" in bad.context["form"].errors
    done = client.post(reverse("plans:meeting_new"), form)
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "噪音整治" in page and "决定事项（1 项）" in page
    assert client.get(reverse("plans:meetings")).status_code == 200
    assert signed_in(client, staff.township).get(reverse("plans:meeting_new")).status_code == 403


def test_the_weekly_pack_lists_the_decisions(staff, tree):
    from zhili.reports.periods import Period
    from zhili.reports.sections import Builder
    from zhili.reports.weekly import meeting_decisions

    today = timezone.localdate()
    meetings.meeting_record(
        actor=staff.director,
        kind="weekly",
        title="周例会",
        held_on=today,
        attendees="全体",
        minutes="部署",
        decisions=[meetings.Decision("路灯排查", tree.gaj, today + timedelta(days=5))],
    )
    monday = today - timedelta(days=today.weekday())
    period = Period("weekly", "this week", monday, monday + timedelta(days=6))
    content = meeting_decisions(Builder(report_id=1, period=period, now=timezone.now()))
    [row] = content["tables"][0]["rows"]
    assert row[1]["text"] == "路灯排查" and row[2] == tree.gaj.name and row[4].startswith("未开始")


def test_the_plan_its_project_and_a_task_written_on_the_pages(client, staff, tree, make_user):
    """编制年度计划 → 添加重点项目 → 下达任务 with milestones; each form names a bad field;
    a township's manager reads the county's plan but may not write into it."""
    from zhili.plans.models import Plan, Task

    year = timezone.localdate().year
    client = signed_in(client, staff.director)
    index = client.get(reverse("plans:index")).content.decode()
    assert 'data-testid="plan-new"' in index
    made = client.post(reverse("plans:plan_new"), {"year": year, "title": f"{year}年度工作计划"})
    assert made.status_code == 302
    plan = Plan.objects.get(year=year)
    again = client.post(reverse("plans:plan_new"), {"year": year, "title": "重复"})
    assert again.status_code == 409 and "已编制" in again.content.decode()
    index = client.get(reverse("plans:index")).content.decode()
    assert 'data-testid="task-new"' in index and 'data-testid="project-new"' in index

    project_url = reverse("plans:project_new", args=[plan.pk])
    bad = client.post(project_url, {"name": "规范化建设", "lead_unit": "nope"})
    assert bad.status_code == 400 and "lead_unit" in bad.context["form"].errors
    client.post(project_url, {"name": "规范化建设", "lead_unit": tree.t1.code})
    project = plan.projects.get()

    task_url = reverse("plans:task_new", args=[plan.pk])
    due = timezone.localdate() + timedelta(days=40)
    body = {
        "project": project.pk,
        "title": "乡镇综治中心场所改造",
        "lead_unit": tree.t1.code,
        "units": [tree.gaj.code],
        "due_on": due.isoformat(),
        "description": "按省级标准改造受理大厅",
        "milestones": f"制定方案|{(due - timedelta(days=20)).isoformat()}\n\n完成改造|{due}",
    }
    bad = client.post(task_url, body | {"milestones": "制定方案|下月"})
    assert bad.status_code == 400 and "milestones" in bad.context["form"].errors
    late = client.post(task_url, body | {"milestones": f"验收|{due + timedelta(days=1)}"})
    assert late.status_code == 422 and "milestones" in late.context["form"].errors
    assert not Task.objects.exists()
    created = client.post(task_url, body)
    task = Task.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/plans/tasks/{task.number}/"
    assert (task.project, task.lead_unit, task.due_on) == (project, tree.t1, due)
    assert list(task.milestones.values_list("title", flat=True)) == ["制定方案", "完成改造"]
    assert set(task.units.values_list("unit__code", flat=True)) == {tree.t1.code, tree.gaj.code}

    township = signed_in(client, staff.township)
    assert township.get(task_url).status_code == 403  # no plans.manage
    from zhili.core.roles import Role

    # The director of a township's center manages plans, its own: not the county's.
    t1_director = make_user("t1director", tree.t1, Role.CENTER_DIRECTOR)
    township = signed_in(client, t1_director)
    assert township.get(reverse("plans:index")).status_code == 200
    refused = township.post(project_url, {"name": "乙项目", "lead_unit": tree.t1.code})
    assert refused.status_code == 403 and "其他中心编制" in refused.content.decode()
    assert plan.projects.count() == 1
