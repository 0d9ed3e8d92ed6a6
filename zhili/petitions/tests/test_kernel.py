"""Petitions on the dossier kernel (zhili.core.dossier): what changed on purpose and what the
kernel adds. One action endpoint (`POST /petitions/{number}/actions/{action}`) beside the
deprecated `/act`; keyset pages; the checks in the kernel's order (out of sight 404 even
inside a service); the superuser policy (the head's approval is reserved); the timeline of
the pages and the API; the register's showings audited by services, not by selectors."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from zhili.core.dossier.pages import encode_cursor
from zhili.core.errors import Forbidden, NotFound
from zhili.core.models import AuditLog
from zhili.petitions import selectors, services
from zhili.petitions.models import State
from zhili.petitions.tests.conftest import advance


def api(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def test_the_action_endpoint_takes_the_action_from_its_path(register: Any, staff: Any) -> None:
    petition = register()
    url = f"/api/v1/petitions/{petition.number}/actions"
    office, town = api(staff.petition), api(staff.township)
    missing = post(office, f"{url}/assign", {"handling_unit": "320722901"})
    assert (missing.status_code, missing.json()["field"]) == (422, "route")
    assert post(town, f"{url}/assign").status_code == 404  # not transferred to T1: unseen
    body = post(office, f"{url}/assign", {"handling_unit": "320722901", "route": "arbitration"})
    assert body.status_code == 200 and body.json()["state"] == State.ASSIGNED
    assert post(office, f"{url}/accept").status_code == 403  # the office does not handle it
    assert post(town, f"{url}/close").status_code == 403  # a handler does not close
    accepted = post(town, f"{url}/accept", {"note": "受理"})
    assert accepted.status_code == 200 and accepted.json()["actions"] == [
        "start",
        "extend",
        "reply",
    ]
    assert post(town, f"{url}/accept").status_code == 409
    assert post(town, f"{url}/approve").status_code == 422  # not one of the actions
    history = accepted.json()["history"]
    assert [h["label"] for h in history] == ["登记", "转送交办", "受理"]
    assert history[-1]["unit"] == staff.township.organization.name


def test_the_old_act_path_answers_and_is_deprecated(register: Any, staff: Any) -> None:
    petition = register()
    response = post(
        api(staff.petition),
        f"/api/v1/petitions/{petition.number}/act",
        {"action": "assign", "handling_unit": "320722901", "route": "department_duty"},
    )
    assert response.status_code == 200 and response.json()["state"] == State.ASSIGNED
    schema = Client().get("/api/v1/openapi.json").json()["paths"]
    assert schema["/api/v1/petitions/{number}/act"]["post"]["deprecated"] is True
    action = schema["/api/v1/petitions/{number}/actions/{action}"]["post"]
    assert not action.get("deprecated")


def test_the_list_answers_keyset_pages(register: Any, staff: Any) -> None:
    numbers = [register(title=f"第{i}件").number for i in range(3)]
    client = api(staff.petition)
    first = client.get("/api/v1/petitions?limit=2").json()
    assert [p["number"] for p in first["items"]] == numbers[:0:-1]  # newest first
    second = client.get(f"/api/v1/petitions?limit=2&cursor={first['next_cursor']}").json()
    assert [p["number"] for p in second["items"]] == numbers[:1]
    assert second["next_cursor"] is None
    old = encode_cursor(datetime(2000, 1, 1, tzinfo=UTC), 1)
    assert client.get(f"/api/v1/petitions?cursor={old}").json() == {
        "items": [],
        "next_cursor": None,
    }
    bad = client.get("/api/v1/petitions?cursor=not-a-cursor")
    assert (bad.status_code, bad.json()["field"]) == (422, "cursor")


def test_out_of_sight_is_not_found_before_the_action_is_known(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "assign")
    with pytest.raises(NotFound) as unseen:
        services.petition_act(actor=staff.township2, petition=petition, action="approve")
    assert unseen.value.message == "信访事项不存在"
    with pytest.raises(NotFound) as unknown:
        services.petition_act(actor=staff.township, petition=petition, action="approve")
    assert unknown.value.field == "action"


def test_a_superuser_passes_every_side_but_the_heads(register: Any, staff: Any) -> None:
    township = staff.township
    township.is_superuser = True  # a T1 officer, and superuser: registry side passes
    township.save()
    petition = services.petition_act(
        actor=township,
        petition=register(title="派出所不出警", category="other"),
        action="assign",
        handling_unit="320722-GAJ",
        route="department_duty",
    )
    assert petition.state == State.ASSIGNED
    petition = services.petition_act(actor=staff.police, petition=petition, action="accept")
    petition = services.petition_act(
        actor=staff.police, petition=petition, action="extend", days=10, reason="需要补充鉴定"
    )
    director = staff.director
    director.is_superuser = True  # a head, and superuser: still not the police's head
    director.save()
    assert "approve_extension" not in {t.name for t in services.actions_for(director, petition)}
    with pytest.raises(Forbidden) as refused:
        services.petition_act(actor=director, petition=petition, action="approve_extension")
    assert "负责人" in refused.value.message
    approved = services.petition_act(
        actor=staff.police_head, petition=petition, action="approve_extension"
    )
    assert approved.extension_days == 10


def test_the_timeline_names_who_and_from_which_unit(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    services.petition_rate_by_petitioner(petition=petition, rating="satisfied")
    client = api(staff.petition)
    page = client.get(f"/petitions/{petition.number}/")
    entries = page.context["timeline"]
    assert [e.label for e in entries][-2:] == ["出具答复意见", "满意度评价"]
    assert (entries[-1].actor, entries[-1].unit) == ("信访人", "")
    reply = entries[-2]
    assert (reply.actor, reply.unit) == (
        staff.township.display_name,
        staff.township.organization.name,
    )
    html = page.content.decode()
    assert f"{staff.township.display_name} · {staff.township.organization.name}" in html
    assert 'data-testid="petition-timeline"' in html


def test_the_register_is_read_by_selectors_and_shown_audited_by_services(
    register: Any, staff: Any
) -> None:
    petition = register()
    services.key_petitioner_list(
        actor=staff.petition,
        petitioner=petition.parties.get().petitioner,
        reason="多次重复信访",
        level="high",
        responsible_unit="320722901",
    )
    before = AuditLog.objects.count()
    assert selectors.key_records_of(user=staff.petition, petition=petition)
    assert selectors.key_petitioner_rows(user=staff.petition)
    assert AuditLog.objects.count() == before  # a selector writes nothing
    records = services.key_records_show(actor=staff.petition, petition=petition)
    services.key_register_show(actor=staff.petition)
    services.key_petitioner_show(actor=staff.petition, pk=records[0].pk)
    audited = AuditLog.objects.order_by("id").values_list("action", flat=True)[before:]
    assert list(audited) == [
        "petitions.key_petitioner.flag",
        "petitions.key_petitioner.view_list",
        "petitions.key_petitioner.view",
    ]
    assert services.key_records_show(actor=staff.township, petition=petition) == []


def test_a_history_row_is_named_by_its_record_and_action() -> None:
    """HistoryRow.record_field: the petition's, the appointment's and the order's rows."""
    from zhili.petitions.models import PetitionEvent
    from zhili.receptions.models import AppointmentEvent
    from zhili.supervision.models import OrderEvent

    assert str(PetitionEvent(petition_id=7, action="register")) == "7 register"
    assert str(AppointmentEvent(appointment_id=8, action="book")) == "8 book"
    assert str(OrderEvent(order_id=9, action="issue")) == "9 issue"
