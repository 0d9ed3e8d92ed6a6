"""Reception records: recording one marks the appointment received; joint receptions with
departments; video mode; walk-ins; who may record."""

from datetime import date

import pytest

from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog, OutboxEvent
from zhili.receptions.services import reception_record, rota_set
from zhili.receptions.tests.conftest import FRIDAY, booked

pytestmark = pytest.mark.django_db


def test_recording_marks_the_appointment_received(rx, county_day, make_petition) -> None:
    petition = make_petition()
    appointment = booked(rx, county_day, petition=petition)
    reception = reception_record(
        actor=rx.leader,
        appointment=appointment,
        mode="in_person",
        request="要求结清2025年工资。",
        decision="责成人社局一周内调查核实并答复。",
        department_ids=[rx.rsj.pk, rx.sfj.pk],
        staff_ids=[rx.petition.pk],
        assigned_unit=rx.rsj,
        deadline=date(2026, 12, 3),
    )
    appointment.refresh_from_db()
    assert appointment.state == "received"
    assert (reception.leader, reception.petition, reception.org_path) == (
        rx.leader,
        petition,
        "/320722/",
    )
    assert reception.is_joint
    assert {d.code for d in reception.departments.all()} == {"320722-RSJ", "320722-SFJ"}
    assert [e.action for e in appointment.events.all()] == ["book", "receive"]
    assert AuditLog.objects.filter(action="receptions.reception.record").exists()
    event = OutboxEvent.objects.get(name="receptions.reception_recorded")
    assert sorted(event.payload["departments"]) == ["320722-RSJ", "320722-SFJ"]
    assert event.payload["deadline"] == "2026-12-03"


def test_a_video_reception_keeps_a_place_for_the_room(rx, county_day) -> None:
    reception = reception_record(
        actor=rx.petition,
        appointment=booked(rx, county_day),
        mode="video",
        request="诉求",
        decision="意见",
    )
    assert (reception.mode, reception.video_room, reception.is_joint) == ("video", "", False)
    assert reception.get_mode_display() == "视频接访"


def test_a_received_appointment_is_not_received_twice(rx, county_day) -> None:
    appointment = booked(rx, county_day)
    reception_record(
        actor=rx.leader, appointment=appointment, mode="video", request="a", decision="b"
    )
    appointment.refresh_from_db()
    with pytest.raises(Conflict):
        reception_record(
            actor=rx.leader, appointment=appointment, mode="video", request="a", decision="b"
        )


def test_bad_fields_are_named(rx, county_day) -> None:
    appointment = booked(rx, county_day)
    cases = [
        (dict(mode="phone"), "mode"),
        (dict(request=""), "request"),
        (dict(decision="  "), "decision"),
        (dict(department_ids=[rx.tree.t2.pk]), "departments"),
        (dict(deadline=date(2026, 11, 1), assigned_unit=rx.rsj), "deadline"),
        (dict(deadline=date(2026, 12, 1)), "assigned_unit"),
        (dict(staff_ids=[987654]), "staff"),
    ]
    for extra, field in cases:
        fields = dict(mode="in_person", request="诉求", decision="意见") | extra
        with pytest.raises(InvalidInput) as error:
            reception_record(actor=rx.leader, appointment=appointment, **fields)
        assert error.value.field == field, extra
    appointment.refresh_from_db()
    assert appointment.state == "booked"  # nothing half-written


def test_another_leader_may_not_record_on_my_day(rx, county_day) -> None:
    appointment = booked(rx, county_day)
    with pytest.raises(Forbidden):
        reception_record(
            actor=rx.leader2, appointment=appointment, mode="video", request="a", decision="b"
        )
    with pytest.raises(Forbidden):
        reception_record(
            actor=rx.dispatcher, appointment=appointment, mode="video", request="a", decision="b"
        )


def test_a_walk_in_on_the_day(rx, county_day, make_petition) -> None:
    petition = make_petition("宅基地纠纷", names=("周八",))
    reception = reception_record(
        actor=rx.leader,
        rota_day=county_day,
        petition=petition,
        mode="in_person",
        request="宅基地界址争议",
        decision="由甲镇调处",
    )
    assert reception.appointment is None
    assert [p.name for p in reception.petitioners.all()] == ["周八"]
    with pytest.raises(InvalidInput) as error:
        reception_record(actor=rx.leader, mode="video", request="a", decision="b")
    assert error.value.field == "rota_day"
    with pytest.raises(InvalidInput) as error:
        reception_record(
            actor=rx.leader, rota_day=county_day, mode="video", request="a", decision="b"
        )
    assert error.value.field == "visitor_name"


def test_a_day_not_yet_come_takes_no_record(rx) -> None:
    friday = rota_set(actor=rx.petition, organization=rx.tree.county, day=FRIDAY, leader=rx.leader)
    with pytest.raises(Conflict) as error:
        reception_record(
            actor=rx.leader,
            appointment=booked(rx, friday),
            mode="video",
            request="a",
            decision="b",
        )
    assert error.value.field == "rota_day"


def test_a_township_secretary_records_on_the_township_rota(rx) -> None:
    day = rota_set(
        actor=rx.petition, organization=rx.tree.t1, day=date(2026, 11, 26), leader=rx.secretary
    )
    reception = reception_record(
        actor=rx.secretary,
        rota_day=day,
        visitor_name="吴九",
        mode="in_person",
        request="道路破损",
        decision="镇建设办三日内修复",
    )
    assert reception.org_path == rx.tree.t1.path
    with pytest.raises(NotFound):  # another township's rota is out of scope
        reception_record(
            actor=rx.secretary2,
            rota_day=day,
            visitor_name="吴九",
            mode="in_person",
            request="a",
            decision="b",
        )


def test_attending_staff_are_petition_or_department_staff_of_the_rotas_level(
    rx, county_day, make_user
) -> None:
    from zhili.core.roles import Role
    from zhili.receptions import selectors

    clerk = make_user("rsj1", rx.rsj, Role.DEPARTMENT_HANDLER, full_name="人社局周科长")
    assert set(selectors.staff_for(rx.tree.county)) == {rx.petition, rx.police, clerk}
    assert set(selectors.staff_for(rx.tree.t1)) == {rx.township}
    appointment = booked(rx, county_day)
    fields = dict(mode="in_person", request="诉求", decision="意见")
    for outsider in (rx.township, rx.gridworker, rx.leader2):  # another level, or not staff
        with pytest.raises(InvalidInput) as error:
            reception_record(
                actor=rx.leader, appointment=appointment, staff_ids=[outsider.pk], **fields
            )
        assert error.value.field == "staff"
        assert error.value.message == "陪同人员应为本级信访干部或部门、乡镇工作人员"
    reception = reception_record(
        actor=rx.leader, appointment=appointment, staff_ids=[rx.petition.pk, clerk.pk], **fields
    )
    assert set(reception.staff.all()) == {rx.petition, clerk}
