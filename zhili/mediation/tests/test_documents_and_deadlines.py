"""The agreement's Word document, and the judicial-confirmation window warned on day 25, its
last day moved past weekends and holidays."""

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from docx import Document

from zhili.core.errors import Forbidden
from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.mediation.documents import agreement_document
from zhili.mediation.selectors import confirmation_list
from zhili.mediation.services import confirmation_warn_due, dispute_act
from zhili.mediation.tasks import warn_confirmation_windows
from zhili.mediation.tests.conftest import walk

pytestmark = pytest.mark.django_db


def test_agreement_document_holds_parties_terms_and_seal(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    content = agreement_document(actor=med.mediator1, dispute=dispute)
    doc = Document(BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "人民调解协议书" in text and dispute.number in text and med.c1.name in text
    assert "申请人：张建华" in text and "被申请人：李桂英" in text
    applicant = dispute.parties.get(side="applicant")
    assert applicant.id_number in text  # the legal document carries the full number
    assert "被申请人于2026年12月5日前疏通排水沟" in text and "清理费用800元" in text
    assert (
        "三十日内共同向人民法院申请司法确认" in text or "30日内共同向人民法院申请司法确认" in text
    )
    assert "申请人（签名、盖章或按指印）：张建华    签名    2026年11月26日" in text
    assert f"人民调解员（签名）：{med.mediator1.display_name}    2026年11月26日" in text
    # 第二十九条: each party's liability, the seal with its date, the derived effective day.
    assert "申请人张建华：未及时清理自家一侧淤泥，负次要责任。" in text
    assert "被申请人李桂英：负主要责任。" in text
    assert f"{med.c1.name}（印）" in text and "盖章日期：2026年11月26日" in text
    assert "本协议生效日期：2026年11月26日" in text
    assert "《人民调解法》第二十九条" in text and "《人民调解法》第三十一条" in text
    assert AuditLog.objects.filter(action="mediation.agreement.download").count() == 1


def test_the_document_needs_the_reveal_permission(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    analyst = med.outsider
    analyst.groups.add(Group.objects.get_or_create(name=Role.ANALYST)[0])
    with pytest.raises(Forbidden):
        agreement_document(actor=analyst, dispute=dispute)


def _agreed_on(make_dispute: Any, med: Any) -> Any:
    return walk(make_dispute(), "agreed", med)


def test_day_24_no_warning_day_25_warning(make_dispute: Any, med: Any) -> None:
    with time_machine.travel("2026-11-23 10:00 +08:00"):  # day 30 is Wednesday 23 December
        dispute = _agreed_on(make_dispute, med)
    agreement = dispute.agreement
    effective = timezone.localtime(agreement.effective_at)
    assert agreement.confirmation_due == effective.date() + timedelta(days=30)
    with time_machine.travel(effective + timedelta(days=24), tick=False):
        assert confirmation_warn_due() == 0
    agreement.refresh_from_db()
    assert agreement.confirmation_warned_at is None
    with time_machine.travel(effective.replace(hour=0, minute=5) + timedelta(days=25), tick=False):
        assert warn_confirmation_windows.call() == {"warned": 1, "late": 0}
        assert confirmation_warn_due() == 0  # warned once
        listed = list(confirmation_list(user=med.mediator1))
    agreement.refresh_from_db()
    assert agreement.confirmation_warned_at is not None
    assert listed == [agreement]
    warning = dispute.events.get(action="confirmation_warning")
    assert "还剩5天" in warning.note and "尚未申请" in warning.note


def test_an_applied_window_is_not_warned(make_dispute: Any, med: Any) -> None:
    dispute = _agreed_on(make_dispute, med)
    dispute_act(
        actor=med.mediator1,
        dispute=dispute,
        action="apply_confirmation",
        data={"court": "东海县人民法院"},
    )
    effective = timezone.localtime(dispute.agreement.effective_at)
    with time_machine.travel(effective + timedelta(days=26), tick=False):
        assert confirmation_warn_due() == 0
        assert not confirmation_list(user=med.mediator1).exists()


def test_an_application_after_the_last_day_is_refused(make_dispute: Any, med: Any) -> None:
    from zhili.core.errors import InvalidInput

    with time_machine.travel("2026-11-23 10:00 +08:00"):
        dispute = _agreed_on(make_dispute, med)
    effective = timezone.localtime(dispute.agreement.effective_at)
    with (
        time_machine.travel(effective + timedelta(days=31), tick=False),
        pytest.raises(InvalidInput) as refused,
    ):
        dispute_act(
            actor=med.mediator1,
            dispute=dispute,
            action="apply_confirmation",
            data={"court": "东海县人民法院"},
        )
    assert refused.value.field == "applied_at" and "30日" in refused.value.message
    assert "2026年12月23日" in refused.value.message and "第三十三条" in refused.value.message


def test_a_window_ending_on_a_weekend_moves_to_monday(make_dispute: Any, med: Any) -> None:
    """Effective Thursday 26 November: day 30 is Saturday 26 December, so the window ends
    on Monday 28 December (民事诉讼法 第八十五条), and the day-25 warning (21 December)
    counts the days left to that Monday."""
    dispute = _agreed_on(make_dispute, med)
    agreement = dispute.agreement
    assert agreement.confirmation_due == date(2026, 12, 28)
    assert agreement.confirmation_warn_on == date(2026, 12, 21)
    assert not agreement.confirmation_provisional
    assert "2026年12月28日（第30日为休息日，顺延）" in dispute.events.get(action="agree").note
    with time_machine.travel("2026-12-21 00:05 +08:00", tick=False):
        assert confirmation_warn_due() == 1
    warning = dispute.events.get(action="confirmation_warning")
    assert "2026年12月28日" in warning.note and "还剩7天" in warning.note
    for day in ("2026-12-27 10:00 +08:00", "2026-12-28 16:00 +08:00"):  # Sunday, Monday
        with time_machine.travel(day, tick=False):
            assert confirmation_list(user=med.mediator1).filter(pk=agreement.pk).exists()
    with time_machine.travel("2026-12-28 16:00 +08:00", tick=False):
        dispute = dispute_act(
            actor=med.mediator1,
            dispute=dispute,
            action="apply_confirmation",
            data={"court": "东海县人民法院"},
        )
    assert dispute.agreement.confirmation_applied_at is not None
