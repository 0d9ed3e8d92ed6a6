"""Managing committees: the services behind 新建调委会, 登记调解员, 换届, 停用/启用, 离任 and
their pages (HTMX panels with the error beside the field), scoped to the manager's subtree."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.mediation.models import Committee, CommitteeMember, MediationRoom, Mediator
from zhili.mediation.services.committees import (
    committee_create,
    committee_new_term,
    committee_set_active,
    mediator_register,
    mediator_set_active,
    room_create,
    room_set_active,
)
from zhili.mediation.tests.conftest import make_committee, walk
from zhili.mediation.views.manage import organization_choices, user_choices

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def flashes(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- services --------------------------------------------------------------------------------
def test_one_working_committee_per_center_and_a_real_term(med: Any, tree: Any) -> None:
    with pytest.raises(InvalidInput) as duplicate:
        committee_create(
            actor=med.chair1, organization=tree.v11, name="又一个", term_start=date(2026, 1, 1)
        )
    assert duplicate.value.field == "organization" and "已设有" in duplicate.value.message
    far = timezone.localdate() + timedelta(days=400)
    for bad in (date(1990, 1, 1), far):
        with pytest.raises(InvalidInput) as refused:
            committee_create(
                actor=med.chair1, organization=tree.v12, name="甲二村调委会", term_start=bad
            )
        assert refused.value.field == "term_start"
    with pytest.raises(Forbidden):  # a township chair manages their own subtree only
        committee_create(
            actor=med.chair1,
            organization=tree.v21,
            name="乙一村调委会",
            term_start=date(2026, 1, 1),
        )
    made = committee_create(
        actor=med.chair1,
        organization=tree.v12,
        name="甲二村人民调解委员会",
        term_start=date(2026, 3, 1),
        phone="0518-87001234",
    )
    assert made.phone == "0518-87001234" and made.term_end == date(2029, 2, 28)
    assert AuditLog.objects.filter(action="mediation.committee.create").count() == 1


def test_new_term_must_follow_the_current_one(med: Any) -> None:
    with pytest.raises(InvalidInput) as earlier:
        committee_new_term(actor=med.chair1, committee=med.c1, term_start=date(2025, 1, 1))
    assert earlier.value.field == "term_start"
    with pytest.raises(Forbidden):
        committee_new_term(actor=med.chair2, committee=med.c1, term_start=date(2026, 1, 1))
    committee_new_term(actor=med.chair1, committee=med.c1, term_start=date(2026, 11, 1))
    med.c1.refresh_from_db()
    assert (med.c1.term_start, med.c1.term_end) == (date(2026, 11, 1), date(2029, 10, 31))
    assert AuditLog.objects.filter(action="mediation.committee.new_term").count() == 1


def test_a_committee_with_open_disputes_cannot_be_stopped(med: Any, make_dispute: Any) -> None:
    dispute = make_dispute()
    with pytest.raises(Conflict) as refused:
        committee_set_active(actor=med.chair1, committee=med.c1, active=False)
    assert "1件在办纠纷" in refused.value.message
    walk(dispute, "archived", med)
    committee_set_active(actor=med.chair1, committee=med.c1, active=False)
    med.c1.refresh_from_db()
    assert not med.c1.is_active
    # Stopped: no new term, mediator, room; its mediators and rooms cannot be re-opened.
    with pytest.raises(Conflict):
        committee_new_term(actor=med.chair1, committee=med.c1, term_start=date(2026, 11, 1))
    with pytest.raises(Conflict):
        room_create(actor=med.chair1, committee=med.c1, name="新调解室")
    mediator_set_active(actor=med.chair1, mediator=med.m1, active=False)
    with pytest.raises(Conflict):
        mediator_set_active(actor=med.chair1, mediator=med.m1, active=True)
    # Another committee set up in the same center: the old one cannot come back alongside it.
    committee_create(
        actor=med.chair1,
        organization=med.c1.organization,
        name="甲镇调委会（新）",
        term_start=date(2026, 11, 1),
    )
    with pytest.raises(Conflict):
        committee_set_active(actor=med.chair1, committee=med.c1, active=True)
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"mediation.committee.disable", "mediation.mediator.disable"} <= actions


def test_mediator_accounts_come_from_the_committee_area_with_a_role(
    med: Any, make_user: Any, tree: Any
) -> None:
    no_role = make_user("plain", tree.t1, Role.TOWNSHIP_OFFICER)
    with pytest.raises(InvalidInput) as refused:
        mediator_register(actor=med.chair1, user=no_role, committee=med.c1)
    assert refused.value.field == "user" and "调解员角色" in refused.value.message
    with pytest.raises(InvalidInput) as elsewhere:  # a township-B account for township A
        mediator_register(actor=med.chair1, user=med.mediator2, committee=med.c1)
    assert elsewhere.value.field == "user"
    # A village account already mediating for a committee out of the manager's reach.
    villager = make_user("villager", tree.v11, Role.MEDIATOR)
    Mediator.objects.create(user=villager, committee=med.c2)
    with pytest.raises(Conflict) as foreign:
        mediator_register(actor=med.chair1, user=villager, committee=med.cv11)
    assert foreign.value.field == "user" and med.c2.name in foreign.value.message


def test_a_mediator_with_open_disputes_is_neither_stopped_nor_moved(
    med: Any, make_dispute: Any, tree: Any
) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    dispute_act_assign(med, dispute)
    with pytest.raises(Conflict) as refused:
        mediator_set_active(actor=med.chair1, mediator=med.m1, active=False)
    assert "主办1件" in refused.value.message
    county = make_committee(tree.county, "东海县人民调解委员会")
    with pytest.raises(Conflict) as move:
        mediator_register(actor=med.admin, user=med.mediator1, committee=county)
    assert "移交后才能调动" in move.value.message
    stopped = mediator_set_active(actor=med.chair1, mediator=med.m_chair1, active=False)
    assert not stopped.is_active
    again = mediator_set_active(actor=med.chair1, mediator=med.m_chair1, active=True)
    assert again.is_active


def dispute_act_assign(med: Any, dispute: Any) -> None:
    from zhili.mediation.services import dispute_act

    dispute_act(
        actor=med.chair1,
        dispute=dispute,
        action="assign",
        data={"lead_mediator": med.m1.pk, "mediators": [med.m1.pk]},
    )
    dispute.refresh_from_db()
    assert dispute.lead_mediator_id == med.m1.pk


def test_stopped_rooms_are_not_offered(med: Any) -> None:
    room_set_active(actor=med.chair1, room=med.room, active=False)
    with pytest.raises(InvalidInput) as refused:
        mediator_register(actor=med.chair1, user=med.mediator1, committee=med.c1, rooms=[med.room])
    assert refused.value.field == "rooms"
    with pytest.raises(Forbidden):
        room_set_active(actor=med.chair2, room=med.room, active=True)
    room_set_active(actor=med.chair1, room=med.room, active=True)
    assert MediationRoom.objects.get(pk=med.room.pk).is_active


# --- pages -----------------------------------------------------------------------------------
def test_committees_page_offers_new_committee_to_managers_only(med: Any, tree: Any) -> None:
    page = client_for(med.chair1).get(reverse("mediation:committees"))
    assert 'data-testid="new-committee"' in page.text
    plain = client_for(med.mediator1).get(reverse("mediation:committees"))
    assert plain.status_code == 200 and 'data-testid="new-committee"' not in plain.text
    assert client_for(med.mediator1).get(reverse("mediation:committee_new")).status_code == 403
    choices = organization_choices(med.chair1)
    assert tree.v12 in choices  # no committee yet
    assert tree.v11 not in choices and tree.t2 not in choices


def test_new_committee_form_errors_beside_the_field_then_creates(med: Any, tree: Any) -> None:
    client = client_for(med.chair1)
    url = reverse("mediation:committee_new")
    panel = client.get(url, **HTMX)
    assert panel.status_code == 200 and 'id="panel-committee"' in panel.text
    assert "<html" not in panel.text and "甲二村" in panel.text
    missing = client.post(url, {"organization": str(tree.v12.pk), "term_start": ""}, **HTMX)
    assert missing.status_code == 422 and 'data-testid="error-term_start"' in missing.text
    foreign = client.post(
        url, {"organization": str(tree.v21.pk), "term_start": "2026-11-01"}, **HTMX
    )
    assert foreign.status_code == 422 and 'data-testid="error-organization"' in foreign.text
    made = client.post(url, {"organization": str(tree.v12.pk), "term_start": "2026-11-01"}, **HTMX)
    committee = Committee.objects.get(organization=tree.v12)
    assert made.status_code == 204
    assert made["HX-Redirect"] == reverse("mediation:committee", args=[committee.pk])
    assert committee.name == "甲二村人民调解委员会" and committee.level == "village"
    # Without JavaScript: the full page, then a redirect.
    assert "<html" in client.get(url).text


def test_register_and_change_a_mediator_on_the_committee_page(
    med: Any, make_user: Any, tree: Any
) -> None:
    newcomer = make_user("zhangtj", tree.v11, Role.MEDIATOR, full_name="张调解")
    make_user("norole", tree.t1, Role.TOWNSHIP_OFFICER)
    client = client_for(med.chair1)
    page = client.get(reverse("mediation:committee", args=[med.c1.pk]))
    assert 'data-testid="mediator-form"' in page.text and 'data-testid="term-form"' in page.text
    offered = dict(user_choices(med.chair1, med.c1, None))
    assert str(newcomer.pk) in offered and "甲一村" in offered[str(newcomer.pk)]
    assert not any("norole" in label for label in offered.values())
    assert str(med.mediator1.pk) not in offered  # already here: changed with 修改
    url = reverse("mediation:committee_form", args=[med.c1.pk, "mediator"])
    empty = client.post(url, {"md-employment": "full_time"}, **HTMX)
    assert empty.status_code == 422 and 'data-testid="error-user"' in empty.text
    assert 'id="panel-mediator"' in empty.text and " open" in empty.text
    form = {
        "md-user": str(newcomer.pk),
        "md-employment": "full_time",
        "md-gender": "female",
        "md-specialities": ["marriage_family", "neighbourhood"],
        "md-rooms": [str(med.room.pk)],
    }
    done = client.post(url, form, **HTMX)
    assert done.status_code == 204 and done["HX-Redirect"].endswith(f"/committees/{med.c1.pk}/")
    mediator = Mediator.objects.get(user=newcomer)
    assert mediator.committee == med.c1 and mediator.employment == "full_time"
    assert mediator.specialities == ["marriage_family", "neighbourhood"]
    assert list(mediator.rooms.all()) == [med.room]
    shown = client.get(reverse("mediation:committee", args=[med.c1.pk])).text
    assert "张调解" in shown and "婚姻家庭" in shown and "已登记调解员" in shown
    edit = client.get(url, {"mediator": mediator.pk}, **HTMX)
    assert "修改调解员：张调解" in edit.text
    checked = re.findall(r'<input[^>]*name="md-specialities"[^>]*>', edit.text)
    assert sorted(t.split('value="')[1].split('"')[0] for t in checked if "checked" in t) == [
        "marriage_family",
        "neighbourhood",
    ]
    form["md-employment"], form["md-rooms"] = "part_time", []
    client.post(url, form, **HTMX)
    mediator.refresh_from_db()
    assert mediator.employment == "part_time" and not mediator.rooms.exists()


def test_new_term_panel(med: Any) -> None:
    client = client_for(med.chair1)
    url = reverse("mediation:committee_form", args=[med.c1.pk, "term"])
    early = client.post(url, {"t-term_start": "2024-06-01"}, **HTMX)
    assert early.status_code == 422 and 'data-testid="error-term_start"' in early.text
    assert "应晚于本届" in early.text
    client.post(url, {"t-term_start": "2026-11-20"}, **HTMX)
    med.c1.refresh_from_db()
    assert med.c1.term_end == date(2029, 11, 19)


def test_errors_without_javascript_come_back_on_the_whole_page(med: Any) -> None:
    client = client_for(med.chair1)
    response = client.post(
        reverse("mediation:committee", args=[med.c1.pk]),
        {"form": "member", "m-name": "新主任", "m-gender": "male", "m-position": "chair"},
    )
    assert response.status_code == 409 and "<html" in response.text
    assert "调委会已有主任" in response.text


def test_stop_and_start_buttons_report_refusals(med: Any, make_dispute: Any) -> None:
    make_dispute()
    client = client_for(med.chair1)
    refused = client.post(
        reverse("mediation:committee_active", args=[med.c1.pk]), {"active": "0"}, **HTMX
    )
    assert refused.status_code == 204 and any("在办纠纷" in m for m in flashes(refused))
    assert Committee.objects.get(pk=med.c1.pk).is_active
    room = client.post(reverse("mediation:room_active", args=[med.room.pk]), {"active": "0"})
    assert room.status_code == 302 and not MediationRoom.objects.get(pk=med.room.pk).is_active
    page = client.get(reverse("mediation:committee", args=[med.c1.pk])).text
    assert "已停用" in page
    stop = client.post(
        reverse("mediation:mediator_active", args=[med.m_chair1.pk]), {"active": "0"}
    )
    assert stop.status_code == 302 and not Mediator.objects.get(pk=med.m_chair1.pk).is_active
    member = CommitteeMember.objects.filter(committee=med.c1, position="member").first()
    assert member is not None
    left = client.post(reverse("mediation:member_leave", args=[member.pk]))
    assert left.status_code == 302
    member.refresh_from_db()
    assert member.until == timezone.localdate() - timedelta(days=1)
    assert "委员人数为2人" in client.get(reverse("mediation:committee", args=[med.c1.pk])).text


def test_management_is_scoped_and_for_managers(med: Any) -> None:
    other = client_for(med.chair2)
    assert other.get(reverse("mediation:committee", args=[med.c1.pk])).status_code == 404
    url = reverse("mediation:committee_form", args=[med.c1.pk, "term"])
    assert other.post(url, {"t-term_start": "2026-11-20"}).status_code == 404
    assert (
        other.post(
            reverse("mediation:room_active", args=[med.room.pk]), {"active": "0"}
        ).status_code
        == 404
    )
    assert (
        other.post(
            reverse("mediation:mediator_active", args=[med.m1.pk]), {"active": "0"}
        ).status_code
        == 404
    )
    mediator = client_for(med.mediator1)
    assert mediator.post(url, {"t-term_start": "2026-11-20"}).status_code == 403
    page = mediator.get(reverse("mediation:committee", args=[med.c1.pk])).text
    assert 'data-testid="manage-panels"' not in page and 'data-testid="member-form"' not in page
    assert (
        mediator.post(
            reverse("mediation:committee", args=[med.c1.pk]), {"form": "room"}
        ).status_code
        == 404
    )
    foreign_mediator = reverse("mediation:committee_form", args=[med.c1.pk, "mediator"])
    assert (
        client_for(med.chair1).get(foreign_mediator, {"mediator": med.m2.pk}, **HTMX).status_code
        == 404
    )
    # A township chair manages the committees of the township's villages.
    own_village = client_for(med.chair1).get(reverse("mediation:committee", args=[med.cv11.pk]))
    assert 'data-testid="mediator-form"' in own_village.text
    assert (
        client_for(med.chair1)
        .get(reverse("mediation:committee_form", args=[med.c1.pk, "bogus"]), **HTMX)
        .status_code
        == 404
    )
