"""A leader's reception day with two appointments, in the browser: the petition officer puts
the leader on today's rota in the month calendar and books two appointments; the leader opens
their day and records both receptions, one a joint reception with two departments, one by
video; both show as received.

Run with `pytest -m browser`. Screenshots land in test-artifacts/ (git-ignored).
"""

from datetime import date

from zhili.receptions.models import Appointment, Ownership, Reception
from zhili.receptions.services import ownership_assign
from zhili.web.tests.conftest import ARTIFACTS, BROWSER, login

pytestmark = BROWSER


def test_a_leaders_reception_day_with_two_appointments(live_server, rx, make_petition, page):
    ARTIFACTS.mkdir(exist_ok=True)
    rx.leader.full_name, rx.leader.title = "王立新", "县委常委、政法委书记"
    rx.leader.save()
    rx.leader2.title = "副县长"
    rx.leader2.save()
    rx.petition.full_name = "李明华"
    rx.petition.save()
    petition = make_petition("企业拖欠农民工工资", names=("刘大勇", "陈小芳"))
    base = live_server.url

    # The petition officer fills today's rota day in the month calendar.
    login(page, base, "petition")
    page.goto(f"{base}/receptions/rota/?month=2026-11")
    page.select_option("[data-testid=pick-2026-11-26]", label="王立新（县委常委、政法委书记）")
    page.wait_for_selector("[data-testid=cell-2026-11-26] [data-testid=cell-saved]")
    # The print sheet reloads itself after each change.
    page.wait_for_selector("[data-testid=print-sheet] td:has-text('王立新')", state="attached")
    page.select_option("[data-testid=pick-2026-11-27]", label="李副县长（副县长）")
    page.wait_for_selector("[data-testid=cell-2026-11-27] [data-testid=cell-saved]")
    assert page.inner_text("[data-testid=leader-2026-11-26]") == "王立新"
    page.screenshot(path=str(ARTIFACTS / "receptions-rota.png"), full_page=True)
    page.wait_for_selector("[data-testid=print-sheet] td:has-text('李副县长')", state="attached")
    page.emulate_media(media="print")
    assert page.is_visible("text=东海县县领导接访日程安排表")
    assert page.is_visible("[data-testid=print-sheet] td:has-text('王立新')")
    assert not page.is_visible("[data-testid=rota-calendar]")
    page.screenshot(path=str(ARTIFACTS / "receptions-rota-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # ... opens the day and books two appointments.
    page.click("[data-testid=leader-2026-11-26]")
    page.wait_for_selector("[data-testid=book-form]")
    page.fill("[data-testid=book-form] input[name=slot_time]", "09:00")
    page.fill("[data-testid=book-form] input[name=visitor_name]", "赵德明")
    page.fill("[data-testid=book-form] input[name=visitor_phone]", "13912345678")
    page.fill("[data-testid=book-form] input[name=subject]", "宅基地确权纠纷")
    page.click("[data-testid=book-submit]")
    page.wait_for_selector("[data-testid=action-done]:has-text('已预约 09:00')")
    page.fill("[data-testid=book-form] input[name=slot_time]", "09:30")
    page.fill("[data-testid=book-form] input[name=petition]", petition.number)
    page.click("[data-testid=book-submit]")
    page.wait_for_selector("[data-testid=action-done]:has-text('已预约 09:30')")
    assert page.inner_text("[data-testid=day-slots]") == "已约 2 / 共 6"
    first, second = Appointment.objects.order_by("slot_time")
    assert second.petition == petition and second.who in ("刘大勇、陈小芳", "陈小芳、刘大勇")
    page.screenshot(path=str(ARTIFACTS / "receptions-day-booked.png"), full_page=True)
    page.click("[data-testid=logout]")

    # The leader opens their day from their own page.
    login(page, base, "leader")
    page.goto(f"{base}/receptions/mine/")
    page.click("[data-testid=open-day]")
    page.wait_for_selector(f"[data-testid=act-receive-{first.pk}]")

    # The first: a joint reception with 人社局 and 司法局.
    page.click(f"[data-testid=act-receive-{first.pk}]")
    form = "[data-testid=action-form-receive]"
    page.wait_for_selector(form)
    page.check(f"{form} input[name=departments][value='{rx.rsj.pk}']")
    page.check(f"{form} input[name=departments][value='{rx.sfj.pk}']")
    page.check(f"{form} input[name=staff][value='{rx.petition.pk}']")  # 李明华 takes minutes
    page.fill(f"{form} textarea[name=request]", "要求确认宅基地四至界址，与邻居争议多年。")
    page.fill(
        f"{form} textarea[name=decision]", "由司法局牵头、自然资源部门配合，十日内现场勘界调处。"
    )
    page.select_option(f"{form} select[name=assigned_unit]", label="司法局")
    page.fill(f"{form} input[name=deadline]", "2026-12-07")
    page.screenshot(path=str(ARTIFACTS / "receptions-record-form.png"), full_page=True)
    page.click("[data-testid=submit-receive]")
    page.wait_for_selector("[data-testid=action-done]:has-text('已记录对赵德明的接访')")
    assert "联合接访：" in page.inner_text(f"[data-testid=joint-{first.pk}]")
    assert page.inner_text(f"[data-testid=staff-{first.pk}]") == "陪同：李明华"

    # The second: by video.
    page.click(f"[data-testid=act-receive-{second.pk}]")
    page.wait_for_selector(form)
    page.check(f"{form} input[name=mode][value=video]")
    page.fill(f"{form} textarea[name=request]", "企业拖欠12名农民工工资共计36万元。")
    page.fill(f"{form} textarea[name=decision]", "责成人社局依法督促企业于本月底前足额支付。")
    page.click("[data-testid=submit-receive]")
    page.wait_for_selector("[data-testid=action-done]:has-text('的接访')")

    assert page.inner_text(f"[data-testid=state-{first.pk}]") == "已接待"
    assert page.inner_text(f"[data-testid=state-{second.pk}]") == "已接待"
    assert page.inner_text(f"[data-testid=mode-{second.pk}]") == "视频接访"
    page.screenshot(path=str(ARTIFACTS / "receptions-day-received.png"), full_page=True)
    joint, video = Reception.objects.order_by("appointment__slot_time")
    assert {d.code for d in joint.departments.all()} == {"320722-RSJ", "320722-SFJ"}
    assert list(joint.staff.all()) == [rx.petition] and not video.staff.exists()
    assert (joint.mode, video.mode, video.petition) == ("in_person", "video", petition)
    assert set(Appointment.objects.values_list("state", flat=True)) == {"received"}

    page.goto(f"{base}/receptions/mine/")
    assert "企业拖欠12名农民工工资" in page.inner_text("[data-testid=my-receptions]")
    page.screenshot(path=str(ARTIFACTS / "receptions-mine.png"), full_page=True)


def test_petition_staff_assign_a_baoan_the_leader_sees_it(live_server, rx, make_petition, page):
    """The petition officer opens 领导包案 from the rota page, mistypes a number (told beside
    the field), types the right one (its level narrows the leaders), assigns 王立新 and sees
    the row; 王立新 finds it on their own page."""
    ARTIFACTS.mkdir(exist_ok=True)
    rx.leader.full_name, rx.leader.title = "王立新", "县委常委、政法委书记"
    rx.leader.save()
    rx.petition.full_name = "李明华"
    rx.petition.save()
    county = make_petition("企业拖欠农民工工资", names=("刘大勇",))
    township = make_petition("宅基地界址纠纷", unit=rx.tree.t1)
    ownership_assign(  # past its target: overdue
        actor=rx.petition,
        leader=rx.secretary,
        petition=township,
        since=date(2026, 10, 9),
        target_date=date(2026, 11, 20),
    )
    base = live_server.url

    login(page, base, "petition")
    page.goto(f"{base}/receptions/rota/")
    page.click("[data-testid=ownerships-link]")
    page.wait_for_selector("[data-testid=assign-form]")
    form = "[data-testid=assign-form]"

    # A number that does not exist is refused beside the field.
    page.fill("[data-testid=assign-petition]", "XF2026-999999")
    page.press("[data-testid=assign-petition]", "Tab")
    page.wait_for_selector("[data-testid=petition-problem]:has-text('信访事项不存在')")

    # The right number: its title and level show, the leaders narrow to the county's.
    page.fill("[data-testid=assign-petition]", county.number)
    page.press("[data-testid=assign-petition]", "Tab")
    page.wait_for_selector("[data-testid=petition-hint]:has-text('企业拖欠农民工工资')")
    assert "县级信访事项，由县领导包案" in page.inner_text("[data-testid=petition-hint]")
    offered = page.eval_on_selector_all(
        f"{form} select[name=leader] option", "o => o.map(x => x.textContent)"
    )
    assert "王立新（县委常委、政法委书记）" in offered and "张书记" not in offered
    page.select_option(f"{form} select[name=leader]", label="王立新（县委常委、政法委书记）")
    page.fill(f"{form} input[name=target_date]", "2026-12-31")
    page.fill(f"{form} input[name=note]", "会同人社局、住建局约谈企业，限期结清欠薪")
    page.screenshot(path=str(ARTIFACTS / "receptions-ownership-assign.png"), full_page=True)
    page.click("[data-testid=assign-submit]")
    page.wait_for_selector("[data-testid=assign-done]:has-text('已安排王立新包案')")
    owned = Ownership.objects.get(petition=county)
    # The list reloads itself with the new row; the township's overdue one stays marked.
    page.wait_for_selector(f"[data-testid=owner-{owned.pk}]:has-text('王立新')")
    late = Ownership.objects.get(petition=township)
    assert page.is_visible(f"[data-testid=overdue-{late.pk}]")
    counts = page.inner_text("[data-testid=ownership-counts]")
    assert counts == "包案中 2 件，其中已超期 1 件；已化解 0 件"
    assert page.input_value("[data-testid=assign-petition]") == ""  # a fresh form

    # The same petition again: it already has an owner, said beside the number.
    page.fill("[data-testid=assign-petition]", county.number)
    page.press("[data-testid=assign-petition]", "Tab")
    page.wait_for_selector("[data-testid=petition-problem]:has-text('已由王立新包案')")
    page.screenshot(path=str(ARTIFACTS / "receptions-ownerships.png"), full_page=True)
    page.click("[data-testid=logout]")

    # 王立新 sees the 包案 on their own page.
    login(page, base, "leader")
    page.goto(f"{base}/receptions/mine/")
    row = f"[data-testid=ownerships] [data-testid=ownership-{owned.pk}]"
    page.wait_for_selector(row)
    assert county.number in page.inner_text(row) and "包案中" in page.inner_text(row)
    assert "会同人社局" in page.inner_text(row)
    page.screenshot(path=str(ARTIFACTS / "receptions-mine-ownership.png"), full_page=True)
    # ... and the whole list, read-only.
    page.click("[data-testid=all-ownerships]")
    page.wait_for_selector(f"[data-testid=ownership-{owned.pk}]")
    assert not page.is_visible("[data-testid=assign-form]")
    page.screenshot(path=str(ARTIFACTS / "receptions-ownerships-leader.png"), full_page=True)
