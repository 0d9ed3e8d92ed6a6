"""zhili.core.sharedcache: the cache, or this process's memory while the cache is down; the
outage logged once, the cache used again when it answers; cache_ok() for /healthz."""

import logging
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from zhili.core import ratelimit, sharedcache
from zhili.core.sharedcache import MemoryStore


class DeadCache:
    """A cache whose Redis is gone: every command fails; it counts the attempts."""

    def __init__(self) -> None:
        self.attempts = 0

    def __getattr__(self, name: str) -> Any:
        def command(*args: Any, **kwargs: Any) -> Any:
            self.attempts += 1
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")

        return command


@pytest.fixture
def dead(monkeypatch: pytest.MonkeyPatch) -> DeadCache:
    dead = DeadCache()
    monkeypatch.setattr(sharedcache, "cache", dead)
    return dead


@pytest.fixture
def limits(settings: Any) -> None:
    settings.ZHILI_RATE_LIMITS = {"test.a": (3, 60)}


def outage_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "zhili.core.sharedcache"]


def test_with_the_cache_down_the_limit_holds_in_memory(dead, limits, caplog):
    assert [ratelimit.hit("test.a", "1.2.3.4") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit("test.a", "1.2.3.4")
    assert ratelimit.hit("test.a", "5.6.7.8") == 1  # clients still count apart
    assert dead.attempts == 1  # the cache is not tried again within the pause
    (line,) = outage_lines(caplog)
    assert line.startswith("shared cache unreachable (ConnectionError")
    assert "fall back to this process's memory" in line


def test_the_cache_is_used_again_when_it_answers(dead, limits, monkeypatch, caplog):
    monkeypatch.setattr(sharedcache.outage, "pause", 0)
    assert ratelimit.hit("test.a", "c") == 1  # in memory
    assert dead.attempts >= 1 and sharedcache.outage.down
    monkeypatch.setattr(sharedcache, "cache", cache)  # Redis is back
    assert ratelimit.hit("test.a", "c") == 1  # the shared counter, from now on
    assert ratelimit.hit("test.a", "c") == 2
    assert not sharedcache.outage.down
    assert outage_lines(caplog)[-1].startswith("shared cache answers again after")
    assert len(outage_lines(caplog)) == 2  # down once, back once


def test_a_key_added_during_the_outage_stays_taken_after_it(dead, monkeypatch):
    monkeypatch.setattr(sharedcache.outage, "pause", 0)
    assert sharedcache.add("portal:challenge:n1", 1, timeout=60)  # in memory
    assert not sharedcache.add("portal:challenge:n1", 1, timeout=60)
    monkeypatch.setattr(sharedcache, "cache", cache)
    assert not sharedcache.add("portal:challenge:n1", 1, timeout=60)  # a used token stays used
    assert sharedcache.add("portal:challenge:n2", 1, timeout=60)
    assert cache.get("portal:challenge:n2") == 1


def test_cache_ok_asks_the_cache_now(dead, monkeypatch, caplog):
    caplog.set_level(logging.WARNING)
    assert sharedcache.cache_ok() is False
    assert sharedcache.cache_ok() is False  # even within the pause: one round trip each
    assert dead.attempts == 2
    monkeypatch.setattr(sharedcache, "cache", cache)
    assert sharedcache.cache_ok() is True
    assert not sharedcache.outage.down  # the outage ends with it


def test_the_memory_store_expires_and_stays_bounded():
    store = MemoryStore(max_keys=3)
    assert store.add("a", 1, timeout=10)
    assert not store.add("a", 2, timeout=10)
    assert store.incr("a") == 2
    with pytest.raises(ValueError):
        store.incr("missing")
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        assert store.get("a") is None
        with pytest.raises(ValueError):
            store.incr("a")
    for key in "bcde":
        store.set(key, key, timeout=60)
    assert len(store) == 3
    assert store.get("b") is None  # the oldest went first
    assert [store.get(k) for k in "cde"] == ["c", "d", "e"]
