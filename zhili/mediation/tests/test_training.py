"""Mediators' qualification and training (人民调解法 第十四条): the records, and the warning
本年度未参加培训 for a mediator without a training in the current year (by the clock)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from zhili.core.errors import Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.mediation.models import Mediator, MediatorTraining
from zhili.mediation.selectors import committee_warnings, current_members, untrained_by_committee
from zhili.mediation.services import mediator_register, mediator_training_add
from zhili.mediation.tests.test_management_pages import HTMX
from zhili.mediation.tests.test_views import client_for

pytestmark = pytest.mark.django_db


def train(med: Any, mediator: Mediator, day: date, **extra: Any) -> MediatorTraining:
    data = {"hours": "8", "organizer": "东海县司法局", "content": "调解技能培训", **extra}
    return mediator_training_add(actor=med.chair1, mediator=mediator, trained_on=day, **data)


def warnings_of(med: Any) -> list[str]:
    untrained = untrained_by_committee([med.c1.pk], 2026).get(med.c1.pk)
    return committee_warnings(med.c1, current_members(med.c1), untrained=untrained)


def test_a_training_is_recorded_and_audited(med: Any) -> None:
    training = train(med, med.m1, date(2026, 6, 3), hours="7.5")
    assert training.hours == Decimal("7.5") and training.created_by == med.chair1
    assert AuditLog.objects.filter(action="mediation.mediator.training_add").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trained_on", date(2026, 12, 1)),  # after today (26 November)
        ("trained_on", date(1999, 1, 1)),
        ("hours", "0"),
        ("hours", "600"),
        ("hours", "八"),
        ("organizer", " "),
        ("content", ""),
    ],
)
def test_bad_training_input_names_the_field(med: Any, field: str, value: Any) -> None:
    data: dict[str, Any] = {"trained_on": date(2026, 6, 3), field: value}
    with pytest.raises(InvalidInput) as bad:
        train(med, med.m1, data.pop("trained_on"), **data)
    assert bad.value.field == field


def test_only_a_manager_in_scope_records_trainings(med: Any) -> None:
    with pytest.raises(Forbidden):
        mediator_training_add(
            actor=med.mediator1,
            mediator=med.m1,
            trained_on=date(2026, 6, 3),
            hours=8,
            organizer="县司法局",
            content="培训",
        )
    with pytest.raises(Forbidden):
        train(med, med.m2, date(2026, 6, 3))  # township B's mediator


def test_the_warning_names_the_mediators_without_training_this_year(med: Any) -> None:
    assert "调解员mediator1、chair1本年度未参加培训" in warnings_of(med)
    train(med, med.m1, date(2025, 12, 20))  # last year does not count
    train(med, med.m_chair1, date(2026, 3, 1))
    assert "调解员mediator1本年度未参加培训" in warnings_of(med)
    train(med, med.m1, date(2026, 11, 2))
    assert not any("培训" in w for w in warnings_of(med))


def test_the_year_is_the_clocks(med: Any) -> None:
    train(med, med.m1, date(2026, 11, 2))
    with time_machine.travel("2027-01-04 09:00 +08:00"):
        assert list(untrained_by_committee([med.c1.pk], 2027)[med.c1.pk]) == [
            med.mediator1.display_name,
            med.chair1.display_name,
        ]
        page = client_for(med.chair1).get(f"/mediation/mediators/{med.m1.pk}/").text
        assert "2027年本年度未参加培训" in page


def test_the_pages_show_the_warning_and_the_records(med: Any) -> None:
    train(med, med.m_chair1, date(2026, 3, 1))
    committees = client_for(med.chair1).get("/mediation/committees/").text
    assert f'data-testid="untrained-{med.m1.pk}"' in committees
    assert f'data-testid="untrained-{med.m_chair1.pk}"' not in committees
    committee = client_for(med.chair1).get(f"/mediation/committees/{med.c1.pk}/").text
    assert "调解员mediator1本年度未参加培训" in committee
    assert f'data-testid="untrained-{med.m1.pk}"' in committee
    page = client_for(med.chair1).get(f"/mediation/mediators/{med.m_chair1.pk}/").text
    assert "调解技能培训" in page and "2026年 8.0 学时" in page
    assert 'data-testid="mediator-warnings"' not in page
    assert client_for(med.mediator2).get(f"/mediation/mediators/{med.m1.pk}/").status_code == 404


def test_the_training_form(med: Any) -> None:
    url = f"/mediation/mediators/{med.m1.pk}/training/"
    chair = client_for(med.chair1)
    bad = chair.post(url, {"tr-trained_on": "2026-06-03", "tr-hours": "x"}, **HTMX)
    assert bad.status_code == 422 and 'data-testid="error-hours"' in bad.text
    future = {"tr-trained_on": "2026-12-03", "tr-hours": "4", "tr-organizer": "县司法局"}
    future["tr-content"] = "培训"
    late = chair.post(url, future, **HTMX)
    assert late.status_code == 422 and 'data-testid="error-trained_on"' in late.text
    good = {**future, "tr-trained_on": "2026-06-03"}
    done = chair.post(url, good, **HTMX)
    assert done.status_code == 204 and done["HX-Redirect"] == f"/mediation/mediators/{med.m1.pk}/"
    assert med.m1.trainings.get().content == "培训"
    assert client_for(med.mediator1).post(url, good).status_code in (403, 404)


def test_the_qualification_is_kept_with_the_mediator(med: Any) -> None:
    mediator = mediator_register(
        actor=med.chair1,
        user=med.mediator1,
        committee=med.c1,
        qualification={
            "education": "bachelor",
            "qualification": "法律职业资格",
            "certificate_no": "A2020123",
            "appointed_on": date(2025, 1, 1),
        },
    )
    assert (mediator.education, mediator.qualification) == ("bachelor", "法律职业资格")
    # A change that does not give the qualification keeps it.
    mediator = mediator_register(actor=med.chair1, user=med.mediator1, committee=med.c1)
    assert mediator.certificate_no == "A2020123"
    with pytest.raises(InvalidInput) as bad:
        mediator_register(
            actor=med.chair1,
            user=med.mediator1,
            committee=med.c1,
            qualification={"appointed_on": date(2027, 1, 1)},
        )
    assert bad.value.field == "appointed_on"
    page = client_for(med.chair1).get(f"/mediation/mediators/{med.m1.pk}/").text
    assert "本科" in page and "法律职业资格" in page and "A2020123" in page
