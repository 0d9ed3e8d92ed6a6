"""The mediation agreement (人民调解法 第二十八条 to 第三十三条): the written agreement records
each party's liability, who signed and when, the committee's seal, and takes effect with
the last of them (never a typed date); the confirmation window runs from that day; an oral
agreement is recorded with what the mediator wrote down and takes effect when reached."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from docx import Document

from zhili.core.errors import Conflict, InvalidInput, NotFound
from zhili.mediation.documents import agreement_document
from zhili.mediation.models import AgreementForm, DisputeState
from zhili.mediation.services import actions_for, dispute_act
from zhili.mediation.tests.conftest import AGREEMENT, signed_agreement, walk
from zhili.mediation.tests.test_views import client_for

pytestmark = pytest.mark.django_db


def local(moment: Any) -> str:
    return timezone.localtime(moment).isoformat()


def agree(dispute: Any, med: Any, data: dict[str, Any]) -> Any:
    return dispute_act(actor=med.mediator1, dispute=dispute, action="agree", data=data)


def test_each_partys_liability_is_required(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    data = signed_agreement(dispute)
    data["liabilities"] = data["liabilities"][:1]
    with pytest.raises(InvalidInput) as missing:
        agree(dispute, med, data)
    assert missing.value.field == "liabilities" and "李桂英" in missing.value.message


def test_a_typed_effective_date_is_refused(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    with pytest.raises(InvalidInput) as typed:
        agree(dispute, med, signed_agreement(dispute, effective_at="2026-11-20"))
    assert typed.value.field == "effective_at" and "第二十九条" in typed.value.message


def test_the_effective_date_is_the_last_signature_or_seal(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    applicant, respondent = dispute.parties.order_by("side")
    data = signed_agreement(
        dispute,
        signed_at="2026-11-24T09:00",
        signatures=[
            {"party": applicant.pk, "method": "sign", "signed_at": "2026-11-24T09:30"},
            {"party": respondent.pk, "method": "fingerprint", "signed_at": "2026-11-25T15:00"},
        ],
        mediator_signed_at="2026-11-24T10:00",
        sealed_at="2026-11-24T11:00",
    )
    agreement = agree(dispute, med, data).agreement
    assert local(agreement.effective_at) == "2026-11-25T15:00:00+08:00"  # the respondent
    assert agreement.confirmation_due == date(2026, 12, 25)  # Friday, day 30 after 25th
    rows = {r.party_id: r for r in agreement.signatories.all()}
    assert rows[respondent.pk].method == "fingerprint"
    assert rows[applicant.pk].liability == "未及时清理自家一侧淤泥，负次要责任。"


def test_a_signature_cannot_precede_the_agreement(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    data = signed_agreement(dispute, signed_at="2026-11-24T09:00", sealed_at="2026-11-20T09:00")
    with pytest.raises(InvalidInput) as early:
        agree(dispute, med, data)
    assert early.value.field == "sealed_at"


def test_missing_signatures_keep_it_out_of_effect_until_signed(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    applicant, respondent = dispute.parties.order_by("side")
    data = signed_agreement(
        dispute, signatures=[{"party": applicant.pk, "method": "sign"}], sealed_at=False
    )
    dispute = agree(dispute, med, data)
    agreement = dispute.agreement
    assert dispute.state == DisputeState.AGREED and agreement.effective_at is None
    assert agreement.confirmation_due is None and agreement.confirmation_warn_on is None
    assert "待签名盖章：被申请人李桂英、调委会印章" in dispute.events.get(action="agree").note
    actions = [t.name for t in actions_for(med.mediator1, dispute)]
    assert "sign" in actions and "follow_up" not in actions
    assert "apply_confirmation" not in actions
    with pytest.raises(Conflict):
        dispute_act(
            actor=med.mediator1, dispute=dispute, action="follow_up", data={"performed": "yes"}
        )
    # Three days later the respondent signs and the committee seals: in effect from then.
    with time_machine.travel("2026-11-29 10:00 +08:00", tick=False):
        dispute = dispute_act(
            actor=med.mediator1,
            dispute=dispute,
            action="sign",
            data={"signatures": [{"party": respondent.pk, "method": "seal"}], "sealed_at": True},
        )
    agreement = dispute.agreement
    assert local(agreement.effective_at) == "2026-11-29T10:00:00+08:00"
    assert agreement.confirmation_due == date(2026, 12, 29)  # Tuesday: day 30
    note = dispute.events.filter(action="sign").get().note
    assert note.startswith("李桂英盖章、调委会盖章。调解协议书自2026年11月29日生效")
    assert "sign" not in [t.name for t in actions_for(med.mediator1, dispute)]
    with pytest.raises(Conflict):
        dispute_act(actor=med.mediator1, dispute=dispute, action="sign", data={"sealed_at": True})


def test_a_signature_is_not_recorded_twice(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    applicant = dispute.parties.get(side="applicant")
    data = signed_agreement(dispute, signatures=[{"party": applicant.pk}], sealed_at=False)
    dispute = agree(dispute, med, data)
    with pytest.raises(Conflict) as twice:
        dispute_act(
            actor=med.mediator1,
            dispute=dispute,
            action="sign",
            data={"signatures": [{"party": applicant.pk}]},
        )
    assert twice.value.field == "signatures"
    with pytest.raises(InvalidInput):
        dispute_act(actor=med.mediator1, dispute=dispute, action="sign", data={})


def test_an_oral_agreement_is_recorded_and_in_effect_when_reached(
    make_dispute: Any, med: Any
) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    record = "被申请人当场赔礼道歉并同意三日内疏通排水沟，申请人表示谅解。"
    dispute = agree(
        dispute, med, {"form": "oral", "terms": record, "signed_at": "2026-11-26T10:00"}
    )
    agreement = dispute.agreement
    assert agreement.form == AgreementForm.ORAL and agreement.terms == record
    assert local(agreement.effective_at) == "2026-11-26T10:00:00+08:00"
    assert agreement.confirmation_due is None and not agreement.signatories.exists()
    assert agreement.created_by == med.mediator1  # who wrote it down
    assert "口头调解协议自2026年11月26日达成时生效（《人民调解法》第三十条）" in (
        dispute.events.get(action="agree").note
    )
    actions = [t.name for t in actions_for(med.mediator1, dispute)]
    assert "follow_up" in actions and "apply_confirmation" not in actions and "sign" not in actions
    with pytest.raises(NotFound):
        agreement_document(actor=med.mediator1, dispute=dispute)
    page = client_for(med.mediator1).get(f"/mediation/disputes/{dispute.number}/").text
    assert "口头调解协议" in page and record in page and "下载调解协议书" not in page
    assert "调解员记录的口头协议内容（《人民调解法》第二十八条）" in page


def test_an_oral_agreement_needs_what_was_agreed(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    with pytest.raises(InvalidInput) as empty:
        agree(dispute, med, {"form": "oral"})
    assert empty.value.field == "terms"


def test_the_document_prints_liability_signatures_seal_and_effect(
    make_dispute: Any, med: Any
) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    applicant = dispute.parties.get(side="applicant")
    data = signed_agreement(
        dispute, signatures=[{"party": applicant.pk}], mediator_signed_at=False, sealed_at=False
    )
    dispute = agree(dispute, med, data)
    text = "\n".join(
        p.text
        for p in Document(
            BytesIO(agreement_document(actor=med.mediator1, dispute=dispute))
        ).paragraphs
    )
    assert "申请人（签名、盖章或按指印）：张建华    签名    2026年11月26日" in text
    assert "被申请人（签名、盖章或按指印）：____________    ____年__月__日" in text
    assert f"人民调解员（签名）：{med.mediator1.display_name}    ____年__月__日" in text
    assert "盖章日期：____年__月__日" in text and "本协议生效日期：____年__月__日" in text
    assert "各方当事人的责任" in text and "被申请人李桂英：负主要责任。" in text


def test_the_page_forms_record_and_complete_the_signatures(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    applicant, respondent = dispute.parties.order_by("side")
    browser = client_for(med.mediator1)
    url = f"/mediation/disputes/{dispute.number}/act/agree/"
    form = browser.get(url, HTTP_HX_REQUEST="true").text
    assert (
        "申请人张建华的责任" in form and "被申请人李桂英签署" in form and "已加盖调委会印章" in form
    )
    posted = {
        "agreement_form": "written",
        **AGREEMENT,
        f"liability_{applicant.pk}": "无",
        f"sign_{applicant.pk}": "sign",
        f"sign_{respondent.pk}": "",  # signs later
        "mediator": str(med.m1.pk),
        "mediator_signed": "on",
        "sealed": "on",
    }
    missing = browser.post(url, posted, HTTP_HX_REQUEST="true")
    assert missing.status_code == 400 and f'data-testid="error-liability_{respondent.pk}"' in (
        missing.text
    )
    posted[f"liability_{respondent.pk}"] = "负全部责任"
    done = browser.post(url, posted, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "待签名盖章：被申请人李桂英" in done.text
    sign_url = f"/mediation/disputes/{dispute.number}/act/sign/"
    form = browser.get(sign_url, HTTP_HX_REQUEST="true").text
    assert "被申请人李桂英签署" in form and "申请人张建华签署" not in form
    signed = browser.post(
        sign_url, {f"sign_{respondent.pk}": "fingerprint"}, HTTP_HX_REQUEST="true"
    )
    assert signed.status_code == 200
    dispute.refresh_from_db()
    assert dispute.agreement.effective_at is not None
    assert dispute.agreement.confirmation_due == date(2026, 12, 28)


def test_the_api_reports_what_is_missing(client: Any, make_dispute: Any, med: Any) -> None:
    from zhili.cases.tests.test_api import get

    dispute = walk(make_dispute(), "mediating", med)
    applicant = dispute.parties.get(side="applicant")
    agree(dispute, med, signed_agreement(dispute, signatures=[{"party": applicant.pk}]))
    body = get(client, med.mediator1, f"/api/v1/disputes/{dispute.number}").json()
    agreement = body["agreement"]
    assert agreement["effective_at"] is None and agreement["confirmation_due"] is None
    assert agreement["missing_signatures"] == ["被申请人李桂英"]
    assert [s["liability"] for s in agreement["signatories"]] == [
        "未及时清理自家一侧淤泥，负次要责任。",
        "负主要责任。",
    ]
    assert "sign" in body["actions"]
