"""Risk flags notify the police station or the petition center through a domain event; a
dispute opened from a case answers the case when it is archived."""

from typing import Any

import pytest

from config import event_handlers
from zhili.cases.models import State
from zhili.cases.selectors import follow_up_cases
from zhili.cases.services import case_act
from zhili.conftest import make_org
from zhili.core import outbox
from zhili.core.errors import Conflict, NotFound
from zhili.mediation.models import Dispute, DisputeState, RiskAlert
from zhili.mediation.selectors import prevented_criminal, risk_alert_list
from zhili.mediation.services import (
    PartyInput,
    dispute_act,
    dispute_open_from_case,
    risk_alert_acknowledge,
)
from zhili.mediation.tests.conftest import walk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("mediation.risk_flagged", "zhili.mediation.handlers.open_risk_alert"),
        ("mediation.dispute_closed", "zhili.cases.handlers.answer_from_dossier"),
    ],
)
def test_the_registry_delivers_the_disputes_events(name: str, path: str) -> None:
    # The tests below deliver through the real config/event_handlers.py: these are its lines.
    assert path in event_handlers.EVENT_HANDLERS[name]


def _flag(dispute: Any, actor: Any, risk: str) -> Any:
    return dispute_act(
        actor=actor,
        dispute=dispute,
        action="flag_risk",
        data={"risk": risk, "note": "一方扬言报复，持械上门"},
    )


def test_criminal_risk_goes_to_the_township_police_station(
    make_dispute: Any, med: Any, tree: Any
) -> None:
    station = make_org("320722-GAJ-320722901", "甲镇派出所", "department", "county", tree.gaj)
    station_user = med.police.__class__.objects.create_user("station", organization=station)
    dispute = _flag(make_dispute(), med.mediator1, "criminal")
    assert dispute.risk_criminal and dispute.risk_flagged_at is not None
    assert outbox.deliver_pending(worker_id="t") >= 1
    alert = RiskAlert.objects.get()
    assert alert.unit == station and alert.kind == "criminal"
    assert list(risk_alert_list(user=station_user)) == [alert]
    assert list(risk_alert_list(user=med.police)) == [alert]  # the county bureau above it
    assert not risk_alert_list(user=med.mediator2).exists()
    outbox.deliver_pending(worker_id="t")
    assert RiskAlert.objects.count() == 1
    risk_alert_acknowledge(actor=station_user, alert_id=alert.pk)
    with pytest.raises(Conflict):
        risk_alert_acknowledge(actor=station_user, alert_id=alert.pk)
    with pytest.raises(Conflict):
        _flag(dispute, med.mediator1, "criminal")


def test_without_a_station_the_county_bureau_is_told(
    make_dispute: Any, med: Any, tree: Any
) -> None:
    _flag(make_dispute(), med.mediator1, "criminal")
    outbox.deliver_pending(worker_id="t")
    assert RiskAlert.objects.get().unit == tree.gaj


def test_group_petition_risk_goes_to_the_petition_center(
    make_dispute: Any, med: Any, tree: Any
) -> None:
    _flag(make_dispute(people_count=30, scale="group"), med.mediator1, "group_petition")
    outbox.deliver_pending(worker_id="t")
    alert = RiskAlert.objects.get()
    assert alert.unit == tree.xfjd
    assert list(risk_alert_list(user=med.petition)) == [alert]


def test_prevented_criminal_counts_settled_flagged_disputes(make_dispute: Any, med: Any) -> None:
    settled = _flag(make_dispute(people_count=4), med.mediator1, "criminal")
    walk(settled, "following_up", med)
    _flag(make_dispute(people_count=7), med.mediator1, "criminal")  # not settled yet
    make_dispute(people_count=9)  # settled without risk is not counted
    assert prevented_criminal(Dispute.objects.all()) == (1, 4)


@pytest.fixture
def mediation_case(register: Any, staff: Any, catalog: Any) -> Any:
    """A neighbours' dispute dispatched to village V11 (its responsibility rule)."""
    case = register(
        category=catalog.dispute,
        title="邻居搭建彩钢棚遮挡采光",
        description="反映邻居在两家之间空地搭建彩钢棚，遮挡自家采光，协商未果。",
        reporter_name="陈秀兰",
        lat=34.505,
        lng=118.705,
    )
    return case_act(actor=staff.dispatcher, case=case, action="dispatch")


def test_a_case_opens_a_dispute_and_is_answered_when_archived(
    mediation_case: Any, med: Any, staff: Any, tree: Any
) -> None:
    dispute = dispute_open_from_case(
        actor=med.mediator1,
        case=mediation_case,
        kind="neighbourhood",
        parties=[PartyInput(side="respondent", name="周国强")],
    )
    mediation_case.refresh_from_db()
    assert mediation_case.state == State.HELD
    assert dispute.case == mediation_case and dispute.source == "case"
    assert dispute.summary.startswith("反映邻居") and dispute.grid == tree.g111
    applicant = dispute.parties.get(side="applicant")
    assert applicant.name == "陈秀兰" and applicant.phone == "13912345678"
    with pytest.raises(Conflict):
        dispute_open_from_case(actor=med.mediator1, case=mediation_case)
    dispute = walk(dispute, "archived", med)
    assert dispute.state == DisputeState.ARCHIVED
    outbox.deliver_pending(worker_id="t")
    mediation_case.refresh_from_db()
    assert mediation_case.state == State.CLOSED
    assert mediation_case.reply.startswith(
        f"已转矛盾纠纷办理（{dispute.number}）：经甲镇人民调解委员会调解"
    )
    assert mediation_case in follow_up_cases(user=staff.township, bucket="to_follow_up")


def test_another_township_cannot_open_the_case(mediation_case: Any, med: Any) -> None:
    # Another township's mediator does not see the case: out of sight reads as not found.
    with pytest.raises(NotFound):
        dispute_open_from_case(actor=med.mediator2, case=mediation_case)
    mediation_case.refresh_from_db()
    assert mediation_case.state == State.DISPATCHED
    assert not Dispute.objects.exists()
