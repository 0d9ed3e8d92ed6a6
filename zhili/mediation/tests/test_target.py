"""The handling target: per dispute, from its acceptance, configurable (default one month);
past it, a yellow warning on the list, the dossier, the API and the timeline (the hourly
task), never a supervision order."""

from datetime import date
from typing import Any

import pytest
import time_machine

from zhili.cases.tests.test_api import get
from zhili.core.models import OutboxEvent
from zhili.mediation.services import dispute_act, handling_warn_due
from zhili.mediation.tasks import warn_confirmation_windows
from zhili.mediation.tests.conftest import walk
from zhili.mediation.tests.test_views import client_for
from zhili.supervision.models import SupervisionOrder

pytestmark = pytest.mark.django_db

LATE = "2026-12-28 10:00 +08:00"  # accepted 26 November: the target was 26 December


def test_acceptance_sets_the_target(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "accepted", med)
    assert dispute.handling_due == date(2026, 12, 26)
    note = dispute.events.get(action="accept").note
    assert "办理目标：2026年12月26日前调结（受理之日起1个月）" in note


def test_the_target_is_configurable(make_dispute: Any, med: Any, settings: Any) -> None:
    settings.ZHILI_MEDIATION_TARGET_MONTHS = 2
    dispute = walk(make_dispute(), "accepted", med)
    assert dispute.handling_due == date(2027, 1, 26)
    assert "受理之日起2个月" in dispute.events.get(action="accept").note


def test_past_the_target_a_yellow_warning_once(make_dispute: Any, med: Any) -> None:
    late = walk(make_dispute(), "mediating", med)
    settled = walk(make_dispute(), "agreed", med)
    before = OutboxEvent.objects.count()
    with time_machine.travel("2026-12-26 23:00 +08:00", tick=False):
        assert handling_warn_due() == 0  # the last day itself is still in time
    with time_machine.travel(LATE, tick=False):
        assert warn_confirmation_windows.call() == {
            "warned": 1,
            "late": 1,
        }  # and the settled window
        assert handling_warn_due() == 0  # once
        late.refresh_from_db()
        assert late.past_target and late.handling_warned_at is not None
        settled.refresh_from_db()
        assert not settled.past_target
    event = late.events.get(action="target_warning")
    assert event.note.startswith("黄牌提醒：已超过办理目标（受理之日起1个月，2026年12月26日）")
    # A warning to the committee only: no supervision order, no event that would open one.
    assert not SupervisionOrder.objects.exists()
    assert OutboxEvent.objects.count() == before


def test_remediation_sets_a_new_target(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    for action, data in (
        ("apply_confirmation", {"court": "东海县人民法院"}),
        ("record_confirmation", {"result": "refused"}),
    ):
        dispute = dispute_act(actor=med.mediator1, dispute=dispute, action=action, data=data)
    with time_machine.travel("2027-01-10 10:00 +08:00", tick=False):
        dispute = dispute_act(
            actor=med.mediator1, dispute=dispute, action="remediate", data={"note": "重新调解"}
        )
    assert dispute.handling_due == date(2027, 2, 10) and dispute.handling_warned_at is None


def test_the_list_the_dossier_and_the_api_show_it(client: Any, make_dispute: Any, med: Any) -> None:
    late = walk(make_dispute(), "mediating", med)
    fresh = make_dispute()
    with time_machine.travel(LATE, tick=False):
        browser = client_for(med.mediator1)
        page = browser.get("/mediation/").text
        assert f'data-testid="late-{late.number}"' in page
        assert f'data-testid="late-{fresh.number}"' not in page
        only = browser.get("/mediation/", {"late": "1"}).text
        assert late.number in only and fresh.number not in only
        detail = browser.get(f"/mediation/disputes/{late.number}/").text
        assert "黄牌 · 超过办理目标" in detail
        assert "2026-12-26前调结（受理之日起1个月），已超过" in detail
        body = get(client, med.mediator1, f"/api/v1/disputes/{late.number}").json()
        assert body["handling_due"] == "2026-12-26" and body["past_target"] is True
        listed = get(client, med.mediator1, "/api/v1/disputes").json()["items"]
        assert {d["number"]: d["past_target"] for d in listed} == {
            late.number: True,
            fresh.number: False,
        }
