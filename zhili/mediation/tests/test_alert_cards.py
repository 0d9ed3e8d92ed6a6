"""Risk alerts (issue 12, item 11): only the addressee signs (签收), and an alert left unsigned
gets a yellow then a red card from the card sweep every late item shares (zhili.core.cards)."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from config import schedule
from zhili.conftest import Tree, make_org
from zhili.core.errors import Conflict, Forbidden, NotFound
from zhili.core.models import AuditLog, OutboxEvent
from zhili.core.roles import Role
from zhili.mediation import deadlines
from zhili.mediation.models import DisputeEvent, RiskAlert
from zhili.mediation.services import may_sign, risk_alert_acknowledge, risk_alert_open
from zhili.mediation.sweep import sweep_alert_cards

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.fixture
def people(med: Tree, tree: Tree, make_user: Any) -> Tree:
    """The county mediation center's mediator (county-wide view), a police station under
    公安局 with its officer, and the petition center's officer."""
    center = make_org("320722-MDTC", "矛盾纠纷调处中心", "subcenter", "county", tree.county)
    station = make_org("320722-GAJ-320722901", "甲镇派出所", "department", "township", tree.gaj)
    return Tree(
        mediator=make_user("county_mediator", center, Role.MEDIATOR),
        station=station,
        officer=make_user("station_officer", station, Role.DEPARTMENT_HANDLER),
        bureau=med.police,
        petition=med.petition,
        admin=med.admin,
        other_township=med.mediator2,
    )


@pytest.fixture
def alerts(make_dispute: Any, people: Tree, tree: Tree) -> Tree:
    dispute = make_dispute()
    criminal = risk_alert_open(dispute_id=dispute.pk, kind="criminal", note="扬言报复")
    group = risk_alert_open(dispute_id=dispute.pk, kind="group_petition", note="三十余人欲上访")
    assert criminal is not None and group is not None
    assert criminal.unit == people.station and group.unit == tree.xfjd
    return Tree(dispute=dispute, criminal=criminal, group=group)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- who signs --------------------------------------------------------------------------------


def test_the_county_mediator_sees_every_alert_but_signs_none(people: Tree, alerts: Tree) -> None:
    for alert in (alerts.criminal, alerts.group):
        assert not may_sign(people.mediator, alert)
        with pytest.raises(Forbidden):
            risk_alert_acknowledge(actor=people.mediator, alert_id=alert.pk)
        assert RiskAlert.objects.get(pk=alert.pk).acknowledged_at is None

    web = client_for(people.mediator)
    page = web.get(reverse("mediation:alerts")).content.decode()
    for alert in (alerts.criminal, alerts.group):
        assert f'data-testid="alert-{alert.pk}"' in page
        assert f'data-testid="ack-{alert.pk}"' not in page
        assert f'data-testid="waiting-{alert.pk}"' in page
    refused = web.post(reverse("mediation:alert_ack", args=[alerts.criminal.pk]))
    assert refused.status_code == 403
    assert RiskAlert.objects.get(pk=alerts.criminal.pk).acknowledged_at is None


def test_the_station_and_its_bureau_sign_the_criminal_alert(people: Tree, alerts: Tree) -> None:
    assert may_sign(people.officer, alerts.criminal)
    assert may_sign(people.bureau, alerts.criminal)  # 公安局, above the station in its line
    assert not may_sign(people.officer, alerts.group)
    with pytest.raises(NotFound):  # the station does not see the petition center's alert
        risk_alert_acknowledge(actor=people.officer, alert_id=alerts.group.pk)

    page = client_for(people.officer).get(reverse("mediation:alerts")).content.decode()
    assert f'data-testid="ack-{alerts.criminal.pk}"' in page
    assert f'data-testid="alert-{alerts.group.pk}"' not in page
    signed = client_for(people.officer).post(
        reverse("mediation:alert_ack", args=[alerts.criminal.pk])
    )
    assert signed.status_code == 302
    alert = RiskAlert.objects.get(pk=alerts.criminal.pk)
    assert alert.acknowledged_by == people.officer and alert.warn_at is None
    with pytest.raises(Conflict):
        risk_alert_acknowledge(actor=people.bureau, alert_id=alert.pk)


def test_the_petition_center_signs_its_own_alert_only(people: Tree, alerts: Tree) -> None:
    # The petition center sees the whole county, but the station's alert is not addressed to it.
    with pytest.raises(Forbidden):
        risk_alert_acknowledge(actor=people.petition, alert_id=alerts.criminal.pk)
    risk_alert_acknowledge(actor=people.petition, alert_id=alerts.group.pk)
    assert RiskAlert.objects.get(pk=alerts.group.pk).acknowledged_by == people.petition


def test_neither_the_administrator_nor_another_township_signs(people: Tree, alerts: Tree) -> None:
    with pytest.raises(Forbidden):  # a superuser is no addressee
        risk_alert_acknowledge(actor=people.admin, alert_id=alerts.criminal.pk)
    with pytest.raises(NotFound):
        risk_alert_acknowledge(actor=people.other_township, alert_id=alerts.criminal.pk)
    missing = client_for(people.other_township).post(
        reverse("mediation:alert_ack", args=[alerts.criminal.pk])
    )
    assert missing.status_code == 404


# --- cards ------------------------------------------------------------------------------------


def test_an_unsigned_alert_gets_yellow_then_red(people: Tree, alerts: Tree) -> None:
    alert = alerts.criminal
    opened = alert.created_at
    due, warn = deadlines.alert_sign_clock(opened)
    assert (alert.due_at, alert.warn_at) == (due, warn)
    assert opened < warn < due == opened + timedelta(hours=deadlines.ALERT_SIGN_HOURS)

    assert sweep_alert_cards(warn - HOUR).carded == 0
    result = sweep_alert_cards(warn + HOUR)
    assert (result.yellow, result.red) == (2, 0)  # both alerts of the dispute
    alert.refresh_from_db()
    assert (alert.card, alert.warn_at) == ("yellow", due)

    assert sweep_alert_cards(due + HOUR).red == 2
    alert.refresh_from_db()
    assert (alert.card, alert.warn_at) == ("red", None)
    assert sweep_alert_cards(due + 2 * HOUR).carded == 0  # once

    rows = DisputeEvent.objects.filter(dispute=alerts.dispute, action="alert_card")
    assert rows.count() == 4
    assert rows.filter(data__card="red", data__unit=people.station.code).exists()
    audit = AuditLog.objects.filter(action="mediation.risk_alert.card", target_id=str(alert.pk))
    assert [row.extra["card"] for row in audit.order_by("id")] == ["yellow", "red"]
    events = OutboxEvent.objects.filter(name="mediation.risk_alert_carded", payload__card="red")
    assert events.count() == 2


def test_signing_stops_the_clock_and_keeps_the_card(people: Tree, alerts: Tree) -> None:
    group, alert = alerts.group, alerts.criminal
    risk_alert_acknowledge(actor=people.petition, alert_id=group.pk)  # in time
    with time_machine.travel(alert.due_at + HOUR, tick=True):
        assert sweep_alert_cards().red == 1  # the unsigned one only
        risk_alert_acknowledge(actor=people.officer, alert_id=alert.pk)
    alert.refresh_from_db()
    group.refresh_from_db()
    assert alert.card == "red" and alert.warn_at is None
    assert group.card == "" and group.warn_at is None
    late = AuditLog.objects.get(action="mediation.risk_alert.acknowledge", target_id=str(alert.pk))
    assert late.extra == {"card": "red", "late": True}
    page = client_for(people.bureau).get(reverse("mediation:alerts")).content.decode()
    assert "超时签收" in page


def test_an_alert_left_unsigned_for_months_is_red_at_the_next_sweep(
    make_dispute: Any, people: Tree
) -> None:
    dispute = make_dispute()
    long_ago = dispute.registered_at - timedelta(days=90)
    alert = risk_alert_open(dispute_id=dispute.pk, kind="criminal", opened_at=long_ago)
    assert alert is not None and alert.created_at == long_ago
    assert sweep_alert_cards(dispute.registered_at).red == 1
    page = client_for(people.bureau).get(reverse("mediation:alerts")).content.decode()
    assert f'data-testid="alert-card-{alert.pk}"' in page and "红牌" in page


def test_the_dispute_page_shows_the_card_line(people: Tree, alerts: Tree, med: Tree) -> None:
    sweep_alert_cards(alerts.criminal.due_at + HOUR)
    url = reverse("mediation:detail", args=[alerts.dispute.number])
    page = client_for(med.mediator1).get(url).content.decode()
    assert "风险预警未按时签收" in page and "甲镇派出所" in page


def test_the_scheduler_sweeps_the_alerts_every_minute() -> None:
    job = ("mediation.sweep_alert_cards", 60, "zhili.mediation.tasks.sweep_alert_cards_task")
    assert job in schedule.PERIODIC_JOBS
