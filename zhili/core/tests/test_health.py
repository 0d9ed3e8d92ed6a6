"""/healthz and the admin's queue page: the outbox's backlog, the scheduler's tick and the
worker's heartbeat, with their limits and the grace of a fresh start.

Every moment here comes from the tests' clock (zhili/conftest.py): rows are written at
`timezone.now()` offsets and /healthz compares them with the same clock.
"""

import io
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from zhili.core import health
from zhili.core.models import Heartbeat, OutboxEvent

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def fresh_beats() -> None:
    health.forget_beats()


@pytest.fixture
def long_running(monkeypatch: pytest.MonkeyPatch) -> None:
    """This web process has run longer than any limit: no "starting" grace."""
    monkeypatch.setattr(health, "STARTED", time.monotonic() - 3600)


@pytest.fixture
def just_started(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "STARTED", time.monotonic())


def beats(seconds_ago: float = 0, **ago: float) -> None:
    now = timezone.now()
    for key in (health.SCHEDULER, health.WORKER):
        moment = now - timedelta(seconds=ago.get(key, seconds_ago))
        Heartbeat.objects.update_or_create(key=key, defaults={"beat_at": moment})


def event(seconds_ago: float, **fields: Any) -> OutboxEvent:
    moment = timezone.now() - timedelta(seconds=seconds_ago)
    return OutboxEvent.objects.create(
        name="tests.health", created_at=moment, available_at=moment, **fields
    )


# --- heartbeats ------------------------------------------------------------------------------


def test_a_beat_is_written_at_most_once_per_interval() -> None:
    assert health.beat(health.WORKER)
    first = Heartbeat.objects.get(key=health.WORKER).beat_at
    assert not health.beat(health.WORKER)  # within BEAT_EVERY seconds: no write
    assert Heartbeat.objects.get(key=health.WORKER).beat_at == first
    assert health.beat(health.WORKER, every=0)
    assert Heartbeat.objects.get(key=health.WORKER).beat_at > first


@pytest.mark.django_db(transaction=True)  # the worker's task runner closes the connection
def test_the_worker_and_the_scheduler_beat_on_each_round() -> None:
    call_command("worker", "--once", stdout=io.StringIO())
    assert set(Heartbeat.objects.values_list("key", flat=True)) == {health.WORKER}
    call_command("scheduler", "--once", stdout=io.StringIO())
    assert set(Heartbeat.objects.values_list("key", flat=True)) == {"worker", "scheduler"}


# --- /healthz --------------------------------------------------------------------------------


def test_healthz_ok_reports_every_age(client: Any, long_running: None) -> None:
    beats(scheduler=7, worker=3)
    event(seconds_ago=42)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    for check in ("database", "channel_layer", "cache", "outbox", "scheduler", "worker"):
        assert body[check] == "ok", check
    ages = body["ages"]
    assert 42 <= ages["outbox_oldest_pending"] < 52
    assert 7 <= ages["scheduler_tick"] < 17
    assert 3 <= ages["worker_heartbeat"] < 13


def test_an_old_undelivered_event_is_a_503_naming_the_outbox(client: Any, long_running) -> None:
    beats()
    event(seconds_ago=301)
    event(seconds_ago=10)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failed"] == ["outbox"]
    assert body["outbox"] == "late"
    assert body["ages"]["outbox_oldest_pending"] >= 301


def test_the_outbox_limit_is_a_setting(client: Any, settings: Any, long_running) -> None:
    beats()
    event(seconds_ago=90)
    assert client.get("/healthz").status_code == 200
    settings.ZHILI_HEALTH_OUTBOX_MAX_AGE = 60
    assert client.get("/healthz").json()["failed"] == ["outbox"]


def test_delivered_and_failing_events_do_not_count(client: Any, long_running) -> None:
    """A failing handler shows in the admin with its error; it does not take the site down,
    and its error (which may quote personal data) never reaches /healthz."""
    beats()
    event(seconds_ago=3600, delivered_at=timezone.now())
    event(seconds_ago=3600, attempts=3, last_error=f"RuntimeError('no reply from {PHONE}')")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["ages"]["outbox_oldest_pending"] is None
    assert PHONE not in response.content.decode()


def test_a_stale_scheduler_tick_is_a_503(client: Any, long_running) -> None:
    beats(scheduler=181, worker=1)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["scheduler"]
    assert body["scheduler"] == "stale"
    assert body["ages"]["scheduler_tick"] >= 181


def test_a_stale_worker_heartbeat_is_a_503(client: Any, settings: Any, long_running) -> None:
    settings.ZHILI_HEALTH_WORKER_MAX_AGE = 30
    beats(scheduler=1, worker=31)
    body = client.get("/healthz").json()
    assert (body["status"], body["failed"], body["worker"]) == ("error", ["worker"], "stale")


def test_no_beat_yet_is_starting_while_the_process_is_young(client: Any, just_started) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["scheduler"], body["worker"]) == ("starting", "starting")
    assert body["ages"] == {
        "outbox_oldest_pending": None,
        "scheduler_tick": None,
        "worker_heartbeat": None,
    }


def test_no_beat_after_the_grace_is_missing(client: Any, long_running) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["scheduler", "worker"]
    assert (body["scheduler"], body["worker"]) == ("missing", "missing")


def test_a_broken_cache_is_a_503_naming_it(client: Any, monkeypatch, long_running) -> None:
    beats()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "set", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"
    assert response.json()["failed"] == ["cache"]


def test_healthz_is_cheap(client: Any, django_assert_max_num_queries, long_running) -> None:
    beats()
    event(seconds_ago=5)
    with django_assert_max_num_queries(3):  # SELECT 1, the oldest event, the heartbeats
        assert client.get("/healthz").status_code == 200
