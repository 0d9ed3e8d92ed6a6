"""What a video mediation takes from the dispute's agreement (zhili/mediation/video.py): the
text a party reads on screen, without ID numbers or phones, with a digest that names that text
(another agreement, another digest); the confirmation's row on the dispute's timeline; a
session's 笔录 after the agreement reached in it; and a 调解协议书 with no video session says
nothing of video. The rooms' side (confirmations, recordings, the document's 视频调解 part) is
zhili/rooms/tests/test_agreement_confirm.py."""

from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from docx import Document

from zhili.mediation.documents import agreement_document
from zhili.mediation.models import DisputeState, SessionMode
from zhili.mediation.services import dispute_act
from zhili.mediation.tests.conftest import signed_agreement, walk
from zhili.mediation.tests.test_views import client_for
from zhili.mediation.video import agreement_text, dispute_video_confirm, video_sessions

pytestmark = pytest.mark.django_db


def test_the_text_a_party_reads_and_its_digest(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    assert agreement_text(dispute) is None  # not drafted yet
    dispute = dispute_act(
        actor=med.mediator1, dispute=dispute, action="agree", data=signed_agreement(dispute)
    )
    text = agreement_text(dispute)
    assert text is not None and text.number == dispute.number
    assert text.form == "书面调解协议" and text.committee == "甲镇人民调解委员会"
    assert text.parties == ("申请人 张建华", "被申请人 李桂英")
    sections = dict(text.sections)
    assert sections["经调解，当事人自愿达成如下协议"] == dispute.agreement.terms
    assert "被申请人李桂英：负主要责任。" in sections["各方当事人的责任"]
    party = dispute.parties.get(name="张建华")
    assert party.id_number not in str(text) and party.phone not in str(text)
    assert len(text.sha256) == 64 and agreement_text(dispute) == text  # the same text, digest

    # The court refuses it, the parties are mediated again: another text, another digest.
    for action, data in (
        ("apply_confirmation", {"court": "东海县人民法院"}),
        ("record_confirmation", {"result": "refused", "note": "协议内容需重新协商"}),
        ("remediate", {"note": "重新调解"}),
    ):
        dispute = dispute_act(actor=med.mediator1, dispute=dispute, action=action, data=data)
    data = signed_agreement(dispute, terms="一、被申请人当场疏通排水沟。")
    dispute = dispute_act(actor=med.mediator1, dispute=dispute, action="agree", data=data)
    again = agreement_text(dispute)
    assert again is not None and again.sha256 != text.sha256
    assert dict(again.sections)["经调解，当事人自愿达成如下协议"] == "一、被申请人当场疏通排水沟。"


def test_a_confirmation_is_on_the_timeline_and_a_session_may_follow_the_agreement(
    make_dispute: Any, med: Any
) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    text = agreement_text(dispute)
    assert text is not None
    at = timezone.now()
    dispute_video_confirm(
        dispute=dispute, who="申请人张建华", room="SP202600001", at=at, text_sha256=text.sha256
    )
    row = dispute.events.get(action="video_confirm")
    assert row.actor is None and row.created_at == at and row.to_state == DisputeState.AGREED
    assert row.note.startswith("申请人张建华在视频会议室 SP202600001 阅看调解协议")
    page = client_for(med.mediator1).get(f"/mediation/disputes/{dispute.number}/")
    assert "当事人视频确认协议" in page.content.decode()  # the timeline names the step

    # The 笔录 of the session the agreement was reached in, after it: the state stays.
    dispute = dispute_act(
        actor=med.mediator1,
        dispute=dispute,
        action="session",
        data={"record": "双方在视频中确认调解协议。", "mode": SessionMode.VIDEO},
    )
    assert dispute.state == DisputeState.AGREED
    assert dispute.sessions.filter(mode=SessionMode.VIDEO).count() == 1


def test_an_agreement_without_a_video_session_says_nothing_of_video(
    make_dispute: Any, med: Any
) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    assert video_sessions(dispute, agreement_text(dispute)) == []
    content = agreement_document(actor=med.mediator1, dispute=dispute)
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert "清理费用800元" in text and "视频调解" not in text
