"""Leader reception on the petition's timeline: a reception of the petition (领导接访), a leader
taking it over (领导包案) and resolving it (包案办结) each add one line, once, delivered by the
outbox; the dossier page shows them with their labels."""

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest
from django.test import Client
from django.utils.html import strip_tags

from config import event_handlers
from zhili.conftest import Tree, make_org
from zhili.core.models import OutboxDelivery, OutboxEvent
from zhili.core.outbox import deliver_pending
from zhili.petitions.models import Petition, PetitionEvent
from zhili.petitions.tests import conftest as petition_fixtures
from zhili.receptions import handlers
from zhili.receptions.models import RotaDay
from zhili.receptions.services import (
    appointment_book,
    ownership_assign,
    ownership_progress,
    ownership_resolve,
    reception_record,
    rota_set,
)
from zhili.web.tests.conftest import (  # noqa: F401 - fixtures
    ARTIFACTS,
    browser,
    login,
    page,
    session_cookies,
)

pytestmark = pytest.mark.django_db

# The petitions' fixtures: a registered petition and the staff who handle it.
staff = petition_fixtures.staff
register = petition_fixtures.register

TODAY = date(2026, 11, 26)  # the test epoch, a working day


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("receptions.reception_recorded", "zhili.receptions.handlers.note_reception"),
        ("receptions.ownership_changed", "zhili.receptions.handlers.note_ownership"),
    ],
)
def test_the_registry_delivers_the_receptions_events_to_the_petitions(name: str, path: str) -> None:
    # The tests below deliver through the real config/event_handlers.py: these are its lines.
    assert path in event_handlers.EVENT_HANDLERS[name]


@pytest.fixture
def day(staff: Tree, tree: Tree) -> RotaDay:
    return rota_set(
        actor=staff.petition,
        organization=tree.county,
        day=TODAY,
        leader=staff.leader,
        place="县信访局接待大厅",
        starts_at=time(8, 30),
        ends_at=time(11, 30),
    )


@pytest.fixture
def petition(register: Callable[..., Petition]) -> Petition:
    return register()


def lines(petition: Petition, action: str) -> list[PetitionEvent]:
    return list(petition.events.filter(action=action))


def redeliver_all() -> int:
    """Deliver every stored event again, as a worker would after a lost acknowledgement."""
    OutboxDelivery.objects.all().delete()
    OutboxEvent.objects.update(delivered_at=None, lease_until=None)
    return deliver_pending(worker_id="again")


def test_a_joint_reception_adds_one_line_with_leader_mode_departments_and_decision(
    staff: Tree, tree: Tree, day: RotaDay, petition: Petition
) -> None:
    rsj = make_org("320722-RSJ", "人社局", "department", "county", tree.county)
    sfj = make_org("320722-SFJ", "司法局", "department", "county", tree.county)
    appointment = appointment_book(
        actor=staff.petition, rota_day=day, slot_time=time(9, 0), petition=petition
    )
    reception = reception_record(
        actor=staff.leader,
        appointment=appointment,
        mode="in_person",
        request="要求足额发放征地补偿款。",
        decision="责成人社局、司法局会同镇政府一周内核实补偿款发放情况并书面答复信访人。",
        department_ids=[rsj.pk, sfj.pk],
        assigned_unit=rsj,
        deadline=date(2026, 12, 3),
    )
    assert deliver_pending(worker_id="t") >= 1
    [line] = lines(petition, "leader_reception")
    assert line.actor == staff.leader and line.actor_unit == tree.county
    assert (line.from_state, line.to_state) == (petition.state, petition.state)
    assert line.created_at == reception.received_at
    assert f"{staff.leader.display_name}现场接访" in line.note
    assert "联合接访：人社局、司法局" in line.note or "联合接访：司法局、人社局" in line.note
    assert "处理意见：责成人社局、司法局会同镇政府" in line.note
    assert "责任单位：人社局，办理时限：2026-12-03" in line.note
    assert line.data["reception_id"] == reception.pk and line.data["mode"] == "in_person"
    event_id = OutboxEvent.objects.get(name="receptions.reception_recorded").pk
    assert line.data["event_id"] == event_id

    # Delivered again (at least once): nothing more.
    assert redeliver_all() >= 1
    handlers.note_reception(
        handlers.ReceptionRecorded(**OutboxEvent.objects.get(pk=event_id).payload),
        event_id=event_id,
    )
    assert len(lines(petition, "leader_reception")) == 1


def test_a_video_reception_says_so_and_a_second_reception_adds_a_second_line(
    staff: Tree, day: RotaDay, petition: Petition
) -> None:
    for slot, mode in ((time(9, 0), "video"), (time(9, 30), "in_person")):
        appointment = appointment_book(
            actor=staff.petition, rota_day=day, slot_time=slot, petition=petition
        )
        reception_record(
            actor=staff.petition,
            appointment=appointment,
            mode=mode,
            request="补偿款何时到位",
            decision="镇政府十日内答复。" * 30,  # a long decision is shortened on the line
        )
    deliver_pending(worker_id="t")
    first, second = lines(petition, "leader_reception")
    assert "视频接访" in first.note and "现场接访" in second.note
    assert "联合接访" not in first.note and "责任单位" not in first.note
    decision = first.note.split("处理意见：")[1]
    assert len(decision) == handlers.SUMMARY_CHARS and decision.endswith("…")
    assert first.actor == staff.leader  # the receiving leader, not the clerk who recorded it


def test_a_walk_in_without_a_petition_touches_no_timeline(
    staff: Tree, day: RotaDay, petition: Petition
) -> None:
    before = petition.events.count()
    reception_record(
        actor=staff.leader,
        rota_day=day,
        mode="in_person",
        request="咨询低保政策",
        decision="当场解答",
        visitor_name="赵六",
    )
    assert deliver_pending(worker_id="t") >= 1
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    assert petition.events.count() == before
    assert not PetitionEvent.objects.filter(action="leader_reception").exists()


def test_ownership_taken_and_resolved_adds_two_lines_once(staff: Tree, petition: Petition) -> None:
    ownership = ownership_assign(
        actor=staff.petition,
        leader=staff.leader,
        petition=petition,
        target_date=date(2026, 12, 31),
        note="涉及多个部门，由县领导牵头化解",
    )
    ownership_progress(actor=staff.leader, ownership=ownership, note="召集人社局会商")
    ownership_resolve(
        actor=staff.leader, ownership=ownership, resolution="补偿款已足额发放，息诉罢访"
    )
    assert deliver_pending(worker_id="t") >= 2
    assert OutboxEvent.objects.filter(name="receptions.ownership_changed").count() == 2
    assert not OutboxEvent.objects.filter(delivered_at__isnull=True).exists()
    [taken] = lines(petition, "leader_ownership")
    [resolved] = lines(petition, "ownership_resolved")
    leader = staff.leader.display_name
    assert taken.note.startswith(f"{leader}包案，化解目标日期 2026-12-31。")
    assert f"由{staff.petition.display_name}安排" in taken.note
    assert "涉及多个部门，由县领导牵头化解" in taken.note
    assert resolved.note == f"包案领导{leader}：补偿款已足额发放，息诉罢访"
    assert taken.actor == resolved.actor == staff.leader
    assert taken.created_at == ownership.created_at
    ownership.refresh_from_db()
    assert resolved.created_at == ownership.resolved_at
    assert taken.data["ownership_id"] == resolved.data["ownership_id"] == ownership.pk

    assert redeliver_all() >= 2
    assert len(lines(petition, "leader_ownership")) == 1
    assert len(lines(petition, "ownership_resolved")) == 1


def test_a_leader_taking_it_over_himself_is_not_said_to_be_arranged(
    staff: Tree, petition: Petition
) -> None:
    ownership_assign(
        actor=staff.leader, leader=staff.leader, petition=petition, target_date=date(2026, 12, 15)
    )
    deliver_pending(worker_id="t")
    [taken] = lines(petition, "leader_ownership")
    assert taken.note == f"{staff.leader.display_name}包案，化解目标日期 2026-12-15。"


def test_an_unknown_ownership_action_adds_nothing(petition: Petition, staff: Tree) -> None:
    event = handlers.OwnershipChanged(
        ownership_id=1, petition_id=petition.pk, leader_id=staff.leader.pk, action="x", state="a"
    )
    handlers.note_ownership(event, event_id=999)
    assert not petition.events.filter(action__in=handlers.TIMELINE_LABELS).exists()


def test_the_dossier_page_shows_the_lines_with_their_labels(
    staff: Tree, day: RotaDay, petition: Petition
) -> None:
    reception_record(
        actor=staff.leader,
        appointment=appointment_book(
            actor=staff.petition, rota_day=day, slot_time=time(10, 0), petition=petition
        ),
        mode="video",
        request="补偿款",
        decision="镇政府十日内答复",
    )
    ownership = ownership_assign(
        actor=staff.leader, leader=staff.leader, petition=petition, target_date=date(2026, 12, 31)
    )
    ownership_resolve(actor=staff.leader, ownership=ownership, resolution="已化解")
    deliver_pending(worker_id="t")
    client = Client()
    client.force_login(staff.petition)
    html = client.get(f"/petitions/{petition.number}/").content.decode()
    timeline = html.split('data-testid="petition-timeline"')[1].split("</ol>")[0]
    for label in ("领导接访", "领导包案", "包案办结"):
        assert f'<strong class="timeline-action">{label}</strong>' in timeline
    # The raw action names are never shown (the timeline's items carry them as data-action,
    # zhili/core/templates/core/_timeline.html, not as text).
    shown = strip_tags(timeline)
    for raw in (*handlers.TIMELINE_LABELS, "recompute"):
        assert raw not in shown
    assert "视频接访" in timeline and "处理意见：镇政府十日内答复" in timeline
    assert f"包案领导{staff.leader.display_name}：已化解" in timeline
    # The lines are not state changes: no "→ state" beside them.
    item = timeline.split("领导接访")[1].split("</li>")[0]
    assert "→" not in item


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_timeline_in_the_browser(
    live_server: Any,
    staff: Tree,
    tree: Tree,
    day: RotaDay,
    petition: Petition,
    page: Any,  # noqa: F811
) -> None:
    rsj = make_org("320722-RSJ", "人社局", "department", "county", tree.county)
    reception_record(
        actor=staff.leader,
        appointment=appointment_book(
            actor=staff.petition, rota_day=day, slot_time=time(9, 0), petition=petition
        ),
        mode="in_person",
        request="要求足额发放征地补偿款",
        decision="责成人社局会同甲镇一周内核实补偿款发放情况，书面答复信访人。",
        department_ids=[rsj.pk],
        assigned_unit=rsj,
        deadline=date(2026, 12, 3),
    )
    ownership = ownership_assign(
        actor=staff.petition, leader=staff.leader, petition=petition, target_date=date(2026, 12, 31)
    )
    ownership_resolve(actor=staff.leader, ownership=ownership, resolution="补偿款已足额发放")
    deliver_pending(worker_id="t")
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server.url, "petition")
    page.goto(f"{live_server.url}/petitions/{petition.number}/")
    timeline = page.locator("[data-testid=petition-timeline]")
    for label in ("领导接访", "领导包案", "包案办结"):
        assert timeline.get_by_text(label, exact=True).is_visible()
    assert "联合接访：人社局" in timeline.inner_text()
    page.screenshot(path=str(ARTIFACTS / "petitions-leader-timeline.png"), full_page=True)
