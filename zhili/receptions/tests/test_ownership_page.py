"""The 领导包案 page: petition staff assign a 包案 by petition number (checked, in scope, one
active owner, a leader of the petition's level), everyone in scope reads the list, active
first and overdue marked; leaders read only. And the staff attending a reception, picked in
the day page's record form."""

from datetime import date, time

import pytest
import time_machine

from zhili.core.models import AuditLog
from zhili.receptions.models import Ownership, Reception
from zhili.receptions.services import appointment_book, ownership_assign, ownership_resolve

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "/receptions/ownerships/"


def signed_in(client, user):
    client.force_login(user)
    return client


def test_petition_staff_assign_a_leader_by_htmx(client, rx, make_petition) -> None:
    petition = make_petition("企业拖欠工资")
    c = signed_in(client, rx.petition)
    page = c.get(URL).content.decode()
    assert 'data-testid="assign-form"' in page
    assert "县领导" in page and "甲镇综治中心" in page  # leaders grouped by center
    form = {"petition": petition.number, "leader": rx.leader2.pk, "target_date": "2026-12-31"}
    answer = c.post(URL, {**form, "note": "会同人社局化解"}, **HTMX)
    assert answer.status_code == 200
    assert f"已安排李副县长包案 {petition.number}" in answer.content.decode()
    assert answer["HX-Trigger"] == "ownerships-changed"  # the list reloads itself
    owned = Ownership.objects.get(petition=petition)
    assert (owned.leader, owned.state, owned.target_date) == (
        rx.leader2,
        "active",
        date(2026, 12, 31),
    )
    assert owned.created_by == rx.petition
    assert [n.note for n in owned.notes.all()] == ["会同人社局化解"]
    assert AuditLog.objects.filter(action="receptions.ownership.assign").exists()
    listed = c.get(URL, **HTMX).content.decode()
    assert f'data-testid="ownership-{owned.pk}"' in listed and "李副县长" in listed


def test_bad_input_comes_back_beside_its_field(client, rx, make_petition) -> None:
    petition = make_petition()
    township = make_petition(unit=rx.tree.t1)
    ownership_assign(
        actor=rx.petition, leader=rx.leader, petition=petition, target_date=date(2026, 12, 31)
    )
    c = signed_in(client, rx.petition)
    good = {"leader": rx.leader2.pk, "target_date": "2026-12-31"}

    unknown = c.post(URL, {**good, "petition": "XF2026-999999"}, **HTMX)
    html = unknown.content.decode()
    # Changed on purpose (issue 13): the page was found, so a petition number that names
    # nothing in sight is a fault of the input, a 422 as every page's form answers (404 before).
    assert unknown.status_code == 422
    assert 'data-testid="assign-error-petition"' in html and "信访事项不存在" in html

    owned = c.post(URL, {**good, "petition": petition.number}, **HTMX)
    html = owned.content.decode()
    assert owned.status_code == 409
    assert 'data-testid="assign-error-petition"' in html and "该信访事项已由leader包案" in html

    wrong_level = c.post(URL, {**good, "petition": township.number}, **HTMX)
    html = wrong_level.content.decode()
    assert wrong_level.status_code == 422
    assert 'data-testid="assign-error-leader"' in html
    assert "包案领导应为甲镇综治中心的党委（政法委）书记" in html
    assert f'<option value="{rx.secretary.pk}">张书记</option>' in html  # now only 甲镇's
    assert f'value="{rx.leader2.pk}"' not in html

    missing = c.post(URL, {"petition": township.number, "leader": rx.secretary.pk}, **HTMX)
    assert missing.status_code == 422
    assert "请填写化解目标日期" in missing.content.decode()
    assert Ownership.objects.count() == 1


def test_the_petition_number_narrows_the_leaders(client, rx, make_petition) -> None:
    township = make_petition("宅基地纠纷", unit=rx.tree.t1)
    county = make_petition("征地补偿")
    c = signed_in(client, rx.petition)
    answer = c.get(
        "/receptions/ownerships/candidates/",
        {"petition": township.number, "target_date": "2026-12-20"},
        **HTMX,
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "宅基地纠纷" in html and "甲镇综治中心信访事项，由该乡镇党委（政法委）书记包案" in html
    assert f'value="{rx.secretary.pk}"' in html
    assert f'value="{rx.secretary2.pk}"' not in html and f'value="{rx.leader.pk}"' not in html
    assert 'value="2026-12-20"' in html  # what was typed stays
    html = c.get("/receptions/ownerships/candidates/", {"petition": county.number}).content.decode()
    assert "县级信访事项，由县领导包案" in html
    assert f'value="{rx.leader2.pk}"' in html and f'value="{rx.secretary.pk}"' not in html
    ownership_assign(
        actor=rx.petition, leader=rx.leader, petition=county, target_date=date(2026, 12, 31)
    )
    html = c.get("/receptions/ownerships/candidates/", {"petition": county.number}).content.decode()
    assert 'data-testid="petition-problem"' in html and "该信访事项已由leader包案" in html
    html = c.get("/receptions/ownerships/candidates/", {"petition": "XF0"}).content.decode()
    assert "信访事项不存在或不在您的查询范围内" in html


def test_the_list_puts_active_first_marks_overdue_and_filters(client, rx, make_petition) -> None:
    late = ownership_assign(
        actor=rx.petition,
        leader=rx.leader,
        petition=make_petition("道路破损"),
        target_date=date(2026, 11, 30),
    )
    on_time = ownership_assign(
        actor=rx.petition,
        leader=rx.leader2,
        petition=make_petition("噪声扰民"),
        target_date=date(2027, 1, 15),
    )
    done = ownership_assign(
        actor=rx.petition,
        leader=rx.leader2,
        petition=make_petition("物业纠纷"),
        target_date=date(2026, 11, 27),
    )
    ownership_resolve(actor=rx.petition, ownership=done, resolution="已签订协议")
    c = signed_in(client, rx.petition)
    with time_machine.travel("2026-12-03 09:00 +0800"):
        html = c.get(URL).content.decode()
        rows = [html.index(f'data-testid="ownership-{o.pk}"') for o in (late, on_time, done)]
        assert rows == sorted(rows)  # active (by target date) before resolved
        assert 'data-testid="overdue-' + str(late.pk) + '">已超期3天' in html
        assert f'data-testid="overdue-{on_time.pk}"' not in html
        assert "包案中 <strong>2</strong> 件" in html
        assert "已签订协议" in html  # the latest note
        overdue = c.get(URL, {"state": "overdue"}, **HTMX).content.decode()
        assert f"ownership-{late.pk}" in overdue and f"ownership-{on_time.pk}" not in overdue
        assert 'id="ownership-filter"' not in overdue  # the list fragment only
    by_leader = c.get(URL, {"leader": rx.leader2.pk}).content.decode()
    assert f"ownership-{on_time.pk}" in by_leader and f"ownership-{late.pk}" not in by_leader
    resolved = c.get(URL, {"state": "resolved"}).content.decode()
    assert f"ownership-{done.pk}" in resolved and f"ownership-{on_time.pk}" not in resolved


def test_leaders_read_the_list_in_their_scope_only(client, rx, make_petition) -> None:
    county = ownership_assign(
        actor=rx.petition, leader=rx.leader, petition=make_petition(), target_date=date(2026, 12, 9)
    )
    township = ownership_assign(
        actor=rx.petition,
        leader=rx.secretary,
        petition=make_petition(unit=rx.tree.t1),
        target_date=date(2026, 12, 9),
    )
    c = signed_in(client, rx.leader)
    html = c.get(URL).content.decode()
    assert f"ownership-{county.pk}" in html and f"ownership-{township.pk}" in html
    assert 'data-testid="assign-form"' not in html  # read-only
    refused = c.post(URL, {"petition": "x", "leader": rx.leader.pk, "target_date": "2026-12-31"})
    assert refused.status_code == 403
    assert c.get("/receptions/ownerships/candidates/?petition=x").status_code == 403
    client.logout()
    html = signed_in(client, rx.secretary).get(URL).content.decode()
    assert f"ownership-{township.pk}" in html and f"ownership-{county.pk}" not in html
    client.logout()
    for user in (rx.dispatcher, rx.gridworker):  # neither arranges nor receives
        assert signed_in(client, user).get(URL).status_code == 403
        client.logout()


def test_the_rota_page_links_to_the_ownerships(client, rx) -> None:
    for user in (rx.petition, rx.leader):
        html = signed_in(client, user).get("/receptions/rota/").content.decode()
        assert 'data-testid="ownerships-link"' in html and 'href="/receptions/ownerships/"' in html
        client.logout()
    html = signed_in(client, rx.dispatcher).get("/receptions/rota/").content.decode()
    assert 'data-testid="ownerships-link"' not in html


def test_the_record_form_picks_the_staff_attending(client, rx, county_day) -> None:
    appointment = appointment_book(
        actor=rx.petition,
        rota_day=county_day,
        slot_time=time(9, 0),
        subject="欠薪",
        visitor_name="赵六",
        visitor_phone="13900001111",
    )
    c = signed_in(client, rx.leader)
    url = f"/receptions/appointment/{appointment.pk}/receive/"
    html = c.get(url, **HTMX).content.decode()
    assert "陪同接访人员" in html and 'data-testid="staff"' in html
    assert f'name="staff" value="{rx.petition.pk}"' in html
    assert f'name="staff" value="{rx.township.pk}"' not in html  # a township's officer
    form = {"mode": "in_person", "request": "讨薪", "decision": "人社局督促发放"}
    wrong = c.post(url, {**form, "staff": [rx.township.pk]}, **HTMX)
    assert wrong.status_code == 422 and 'data-testid="error-staff"' in wrong.content.decode()
    done = c.post(url, {**form, "staff": [rx.petition.pk, rx.police.pk]}, **HTMX)
    assert done.status_code == 200
    assert f'data-testid="staff-{appointment.pk}">陪同：petition、police' in done.content.decode()
    reception = Reception.objects.get(appointment=appointment)
    assert set(reception.staff.all()) == {rx.petition, rx.police}


def test_a_walk_in_records_its_staff_too(client, rx, county_day) -> None:
    c = signed_in(client, rx.petition)
    url = f"/receptions/day/{county_day.pk}/walk-in/"
    answer = c.post(
        url,
        {
            "mode": "in_person",
            "visitor_name": "钱七",
            "request": "咨询拆迁政策",
            "decision": "当场解答",
            "staff": [rx.petition.pk],
        },
        **HTMX,
    )
    assert answer.status_code == 200 and "陪同：petition" in answer.content.decode()
    assert list(Reception.objects.get().staff.all()) == [rx.petition]
