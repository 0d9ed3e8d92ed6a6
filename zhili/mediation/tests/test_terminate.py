"""A party ends the mediation (人民调解法 第二十三条): recorded as 当事人终止 with who and
why, at any stage before an agreement, distinct from 调解不成 in the state, the outcome, the
timeline, the case's answer, the statistics and the API."""

from typing import Any

import pytest

from zhili.cases.tests.test_api import error, post
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.models import OutboxEvent
from zhili.mediation.models import DisputeState, Outcome
from zhili.mediation.reports.stats import monthly_table
from zhili.mediation.services import actions_for, dispute_act
from zhili.mediation.tests.conftest import consent_all, walk
from zhili.mediation.tests.test_views import client_for

pytestmark = pytest.mark.django_db


def terminate(dispute: Any, med: Any, side: str = "respondent", note: str = "决定起诉") -> Any:
    party = dispute.parties.get(side=side)
    data = {"party": party.pk, "note": note}
    return dispute_act(actor=med.mediator1, dispute=dispute, action="terminate", data=data)


@pytest.mark.parametrize("stage", ["registered", "accepted", "mediating"])
def test_either_party_may_end_it_at_any_stage(make_dispute: Any, med: Any, stage: str) -> None:
    dispute = walk(make_dispute(), stage, med)
    assert "terminate" in [t.name for t in actions_for(med.mediator1, dispute)]
    dispute = terminate(dispute, med, side="applicant", note="已与对方自行和解")
    assert dispute.state == DisputeState.TERMINATED and dispute.outcome == Outcome.TERMINATED
    assert (
        dispute.terminated_by.name == "张建华" and dispute.termination_reason == "已与对方自行和解"
    )
    event = dispute.events.get(action="terminate")
    assert event.data == {"party": dispute.terminated_by.pk}
    assert event.note == "申请人张建华要求终止调解（《人民调解法》第二十三条）：已与对方自行和解"
    assert "因申请人张建华要求终止调解" in dispute.routes_notice and "诉讼" in dispute.routes_notice


def test_it_is_not_the_failure_of_mediation(make_dispute: Any, med: Any) -> None:
    ended = terminate(walk(make_dispute(), "mediating", med), med)
    failed = walk(make_dispute(), "failed", med)
    assert (ended.state, ended.outcome) != (failed.state, failed.outcome)
    assert ended.get_state_display() == "当事人终止" and failed.get_state_display() == "调解不成"


def test_who_and_why_are_required(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    with pytest.raises(InvalidInput) as no_party:
        dispute_act(actor=med.mediator1, dispute=dispute, action="terminate", data={"note": "x"})
    assert no_party.value.field == "party"
    other = make_dispute(actor=med.mediator2)
    stranger = other.parties.first().pk
    with pytest.raises(InvalidInput) as wrong_party:
        dispute_act(
            actor=med.mediator1,
            dispute=dispute,
            action="terminate",
            data={"party": stranger, "note": "x"},
        )
    assert wrong_party.value.field == "party"
    party = dispute.parties.first().pk
    with pytest.raises(InvalidInput) as no_reason:
        dispute_act(actor=med.mediator1, dispute=dispute, action="terminate", data={"party": party})
    assert no_reason.value.field == "note"


def test_not_after_an_agreement(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    with pytest.raises(Conflict):
        terminate(dispute, med)


def test_archived_it_answers_the_case_with_who_ended_it(make_dispute: Any, med: Any) -> None:
    dispute = terminate(walk(make_dispute(), "mediating", med), med)
    dispute = dispute_act(actor=med.chair1, dispute=dispute, action="archive")
    assert dispute.state == DisputeState.ARCHIVED and dispute.outcome == Outcome.TERMINATED
    closed = OutboxEvent.objects.get(name="mediation.dispute_closed").payload
    assert closed["outcome_code"] == "terminated"
    assert "被申请人李桂英要求终止调解" in closed["outcome"]


def test_the_monthly_report_counts_it_apart(make_dispute: Any, med: Any) -> None:
    terminate(walk(make_dispute(), "mediating", med), med)
    walk(make_dispute(), "failed", med)
    total = monthly_table(user=med.chair1, year=2026, month=11).total
    assert (total.terminated, total.failed, total.mediated) == (1, 1, 1)


def test_the_api_and_the_page(client: Any, make_dispute: Any, med: Any) -> None:
    dispute = consent_all(make_dispute(), med.mediator1)
    url = f"/api/v1/disputes/{dispute.number}/act"
    error(
        post(client, med.mediator1, url, {"action": "terminate", "note": "x"}), 422, field="party"
    )
    party = dispute.parties.get(side="respondent").pk
    body = {"action": "terminate", "party": party, "note": "外出务工"}
    done = post(client, med.mediator1, url, body).json()
    assert done["state"] == "terminated" and done["outcome"] == "terminated"
    assert done["terminated_by"] == "被申请人李桂英" and done["termination_reason"] == "外出务工"
    assert done["history"][-1]["action"] == "terminate"
    page = client_for(med.mediator1).get(f"/mediation/disputes/{dispute.number}/").text
    assert "被申请人李桂英要求终止调解（《人民调解法》第二十三条）：外出务工" in page


def test_the_page_form_names_the_field(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "accepted", med)
    url = f"/mediation/disputes/{dispute.number}/act/terminate/"
    browser = client_for(med.mediator1)
    form = browser.get(url, HTTP_HX_REQUEST="true").text
    assert "要求终止调解的当事人" in form and "终止理由" in form
    party = dispute.parties.get(side="applicant").pk
    missing = browser.post(url, {"party": party}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 400 and 'data-testid="error-note"' in missing.text
    done = browser.post(url, {"party": party, "note": "决定起诉"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "已当事人终止调解" in done.text
