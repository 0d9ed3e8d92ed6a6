"""Periodic slots: each period of each job fires once, however many schedulers run."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from config import schedule
from zhili.core import scheduler
from zhili.core.models import ScheduledSlot

pytestmark = pytest.mark.django_db


class FakeTask:
    enqueued = 0

    @classmethod
    def enqueue(cls) -> None:
        cls.enqueued += 1


fake_task = FakeTask


@pytest.fixture(autouse=True)
def hourly_job(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "PERIODIC_JOBS", [("test.hourly", 3600, f"{__name__}.fake_task")])
    monkeypatch.setattr(FakeTask, "enqueued", 0)


def test_two_schedulers_fire_a_slot_once() -> None:
    now = datetime(2026, 10, 8, 9, 15, tzinfo=UTC)
    assert scheduler.tick(scheduler_id="s1", now=now) == ["test.hourly"]
    assert scheduler.tick(scheduler_id="s2", now=now) == []
    assert scheduler.tick(scheduler_id="s2", now=now + timedelta(minutes=44)) == []
    assert FakeTask.enqueued == 1
    slot = ScheduledSlot.objects.get()
    assert slot.claimed_by == "s1"
    assert slot.slot_start == datetime(2026, 10, 8, 9, 0, tzinfo=UTC)


def test_next_period_fires_again() -> None:
    now = datetime(2026, 10, 8, 9, 59, 59, tzinfo=UTC)
    assert scheduler.tick(scheduler_id="s1", now=now) == ["test.hourly"]
    assert scheduler.tick(scheduler_id="s2", now=now + timedelta(seconds=1)) == ["test.hourly"]
    assert FakeTask.enqueued == 2


def test_slot_is_the_same_instant_in_any_time_zone() -> None:
    day = timedelta(days=1)
    utc = datetime(2026, 10, 8, 1, 0, tzinfo=UTC)
    local = utc.astimezone(ZoneInfo("Asia/Shanghai"))
    assert scheduler.slot_start(utc, day) == scheduler.slot_start(local, day)
    assert scheduler.slot_start(utc, timedelta(hours=1)) == utc
