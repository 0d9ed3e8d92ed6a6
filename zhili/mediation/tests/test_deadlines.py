"""The limits table (deadlines.py): the confirmation window moved past weekends and
holidays, the handling target in months, and every printed limit read from the table (a
test changes a limit and sees the page, the Word document and the message change)."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
import time_machine
from docx import Document

from zhili.core.errors import InvalidInput
from zhili.core.models import Holiday
from zhili.core.services import holiday_save
from zhili.mediation import deadlines
from zhili.mediation.documents import agreement_document
from zhili.mediation.services import dispute_act
from zhili.mediation.tests.conftest import walk
from zhili.mediation.tests.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("effective", "due"),
    [
        (date(2026, 2, 10), date(2026, 3, 12)),  # day 30 a Thursday: unchanged
        (date(2026, 11, 26), date(2026, 12, 28)),  # day 30 a Saturday: the Monday after
        (date(2026, 9, 1), date(2026, 10, 8)),  # day 30 is National Day: after the holiday
        (date(2026, 1, 15), date(2026, 2, 14)),  # a Saturday that is a make-up working day
    ],
)
def test_the_window_ends_on_a_working_day(effective: date, due: date) -> None:
    window = deadlines.confirmation_window(effective)
    assert window.due == due
    assert window.moved == (due != date.fromordinal(effective.toordinal() + 30))
    assert window.warn_on == date.fromordinal(effective.toordinal() + 25)
    assert not window.provisional


def test_a_holiday_entered_by_the_administrator_moves_the_window() -> None:
    holiday_save(actor=None, holiday=Holiday(date=date(2026, 3, 12), is_workday=False, name="停工"))
    assert deadlines.confirmation_window(date(2026, 2, 10)).due == date(2026, 3, 13)


def test_a_year_without_an_official_calendar_is_provisional() -> None:
    """Day 30 in 2027, whose arrangement is not official yet: the window is computed on the
    calendar at hand and flagged provisional (临时日历)."""
    window = deadlines.confirmation_window(date(2026, 12, 20))
    assert window.provisional
    assert window.due >= date(2027, 1, 19)


def test_months_end_on_the_corresponding_day() -> None:
    assert deadlines.add_months(date(2026, 11, 26), 1) == date(2026, 12, 26)
    assert deadlines.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert deadlines.add_months(date(2026, 12, 15), 2) == date(2027, 2, 15)


def test_the_handling_target_is_configurable(settings: Any) -> None:
    assert deadlines.handling_due(date(2026, 11, 26)) == date(2026, 12, 26)
    assert deadlines.target_text() == "受理之日起1个月"
    settings.ZHILI_MEDIATION_TARGET_MONTHS = 2
    assert deadlines.handling_due(date(2026, 11, 26)) == date(2027, 1, 26)
    assert deadlines.target_text() == "受理之日起2个月"


@pytest.fixture
def shorter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every limit changed in the table, nowhere else."""
    monkeypatch.setattr(deadlines, "CONFIRMATION_DAYS", 20)
    monkeypatch.setattr(deadlines, "CONFIRMATION_WARN_DAY", 15)
    monkeypatch.setattr(deadlines, "TERM_YEARS", 5)
    monkeypatch.setattr(deadlines, "MAX_MEMBERS", 7)


def test_the_confirmations_page_prints_the_table(shorter: None, med: Any) -> None:
    page = client_for(med.mediator1).get("/mediation/confirmations/").text
    assert "调解协议生效之日起20日内" in page and "第15日仍未申请" in page
    assert "30日" not in page and "第25日" not in page


def test_the_committees_page_prints_the_table(shorter: None, med: Any) -> None:
    page = client_for(med.mediator1).get("/mediation/committees/").text
    assert "委员三至七人组成" in page and "每届任期五年" in page
    assert "三至九人" not in page and "三年" not in page
    committee = client_for(med.chair1).get(f"/mediation/committees/{med.c1.pk}/").text
    assert "新一届任期五年" in committee


def test_the_dossier_the_document_and_the_message_print_the_table(
    shorter: None, make_dispute: Any, med: Any
) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    # Effective Thursday 26 November: day 20 is Wednesday 16 December.
    assert dispute.agreement.confirmation_due == date(2026, 12, 16)
    page = client_for(med.mediator1).get(f"/mediation/disputes/{dispute.number}/").text
    assert "协议生效之日起20日" in page and "2026年12月16日" in page
    content = agreement_document(actor=med.mediator1, dispute=dispute)
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert "生效之日起20日内共同向人民法院申请司法确认" in text and "30日" not in text
    with (
        time_machine.travel("2026-12-17 10:00 +08:00", tick=False),
        pytest.raises(InvalidInput) as late,
    ):
        dispute_act(
            actor=med.mediator1,
            dispute=dispute,
            action="apply_confirmation",
            data={"court": "东海县人民法院"},
        )
    assert "已超过20日申请期限" in late.value.message
