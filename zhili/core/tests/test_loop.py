import os
import signal
import threading
import time

import pytest

from zhili.core.loop import run_until_stopped
from zhili.core.supervisor import PARENT_ENV

# Each round closes this thread's stale database connections, as a worker's loop must; once a
# test before these (in the same process) has opened one, that is database access.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def restore_signal_handlers():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_once_runs_a_single_round():
    rounds = []
    run_until_stopped(lambda: rounds.append(1) or False, interval=60, once=True)
    assert rounds == [1]


def test_sigterm_lets_the_round_finish_then_stops():
    rounds = []

    def step() -> bool:
        rounds.append(len(rounds))
        if len(rounds) == 3:
            os.kill(os.getpid(), signal.SIGTERM)
            rounds.append("finished after the signal")
        return True  # busy: no sleeping between rounds

    run_until_stopped(step, interval=60)
    assert rounds == [0, 1, 2, "finished after the signal"]


def test_a_signal_ends_the_idle_sleep_at_once():
    rounds = []
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    started = time.monotonic()
    timer.start()
    run_until_stopped(lambda: rounds.append(1) or False, interval=60)
    assert time.monotonic() - started < 10  # not the 60 s of the interval
    assert rounds == [1]


def test_a_child_of_a_vanished_server_stops(monkeypatch):
    """Started by `zhili serve --with-background` whose process was killed: the parent pid
    it was given is no longer its parent."""
    monkeypatch.setenv(PARENT_ENV, str(os.getppid() + 100_000))
    rounds = []
    run_until_stopped(lambda: rounds.append(1) or True, interval=60)
    assert rounds == []


def test_a_child_of_a_living_server_runs(monkeypatch):
    monkeypatch.setenv(PARENT_ENV, str(os.getppid()))
    rounds = []
    run_until_stopped(lambda: rounds.append(1) or False, interval=60, once=True)
    assert rounds == [1]
