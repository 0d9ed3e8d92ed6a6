"""The supervisor of the background processes: backoff, reaping, restarting and stopping.

Children here are tiny Python processes; the supervisor's clock is a fake one (monotonic
seconds), moved by hand, so that the backoff is tested without waiting for it.
"""

import os
import signal
import sys
from pathlib import Path

import pytest

from zhili.conftest import wait_until
from zhili.core.supervisor import PARENT_ENV, Backoff, Supervisor, describe_exit

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def process_state(pid: int) -> str | None:
    """The state letter of `pid` in /proc (R, S, Z ...), or None once it is reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def running(pid: int) -> bool:
    """`pid` is a live process: running, sleeping, or waiting on the disk (D, as a child just
    started under load reads its interpreter), not a zombie and not gone."""
    return process_state(pid) in {"R", "S", "D"}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- backoff ---------------------------------------------------------------------------------


def test_backoff_doubles_from_one_second_up_to_a_minute() -> None:
    backoff = Backoff()
    delays = [backoff.delay_after(uptime=2) for _ in range(9)]
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_backoff_starts_over_after_a_stable_run() -> None:
    backoff = Backoff()
    for _ in range(5):
        backoff.delay_after(uptime=0.5)
    assert backoff.delay_after(uptime=59) == 32  # not stable yet: still growing
    assert backoff.delay_after(uptime=60) == 1  # ran a minute: a fresh failure
    assert backoff.delay_after(uptime=3) == 2


def test_backoff_parameters() -> None:
    backoff = Backoff(initial=0.5, maximum=3, stable_after=10)
    assert [backoff.delay_after(uptime=1) for _ in range(5)] == [0.5, 1, 2, 3, 3]
    assert backoff.delay_after(uptime=10) == 0.5


def test_exit_descriptions() -> None:
    assert describe_exit(-9) == "was killed by SIGKILL"
    assert describe_exit(3) == "exited with status 3"


# --- the supervisor --------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def supervisor(clock: FakeClock):
    made = Supervisor({"sleeper": SLEEPER}, clock=clock, stop_timeout=5)
    yield made
    made.stop()


def test_a_killed_child_is_reaped_then_restarted_after_its_backoff(supervisor, clock, caplog):
    supervisor.start(watch=False)
    child = supervisor.children[0]
    first = child.pid
    assert running(first)
    assert child.process.args == SLEEPER

    clock.now += 5
    os.kill(first, signal.SIGKILL)

    def reaped() -> bool:
        """the killed child is reaped"""
        supervisor.check()
        return child.restart_at is not None

    wait_until(reaped)
    assert process_state(first) is None  # no <defunct> entry left
    assert child.restart_at == clock.now + 1
    restart = f"zhili sleeper (pid {first}) was killed by SIGKILL after 5 s; restarting in 1 s"
    assert restart in caplog.text

    supervisor.check()
    assert child.pid == first  # the delay is not over: nothing started yet
    clock.now += 1
    supervisor.check()
    second = child.pid
    assert second != first
    assert running(second)
    assert child.restarts == 1

    os.kill(second, signal.SIGKILL)  # died young again: twice the delay
    wait_until(reaped)
    assert child.restart_at == clock.now + 2


def test_children_learn_the_supervisor_pid(tmp_path: Path, clock: FakeClock) -> None:
    out = tmp_path / "env"
    code = f"import os; open({str(out)!r}, 'w').write(os.environ[{PARENT_ENV!r}])"
    made = Supervisor({"probe": [sys.executable, "-c", code]}, clock=clock)
    made.start(watch=False)
    made.children[0].process.wait(timeout=30)
    made.stop()
    assert out.read_text() == str(os.getpid())


def test_the_watch_thread_restarts_without_help() -> None:
    made = Supervisor({"sleeper": SLEEPER}, poll=0.05, backoff=lambda: Backoff(initial=0.1))
    made.start()
    try:
        child = made.children[0]
        first = child.pid
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: child.pid != first)
        assert process_state(first) is None
    finally:
        made.stop()
    assert process_state(child.pid) is None


def test_stop_terminates_then_kills_and_reaps_every_child(tmp_path: Path, clock) -> None:
    ready = tmp_path / "ready"
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        f"open({str(ready)!r}, 'w').close(); time.sleep(120)"
    )
    made = Supervisor(
        {"polite": SLEEPER, "stubborn": [sys.executable, "-c", stubborn]},
        clock=clock,
        stop_timeout=1,
    )
    made.start(watch=False)
    wait_until(ready.exists, timeout=30)
    polite, stubborn_child = made.children
    made.stop()
    assert polite.process.returncode == -signal.SIGTERM
    assert stubborn_child.process.returncode == -signal.SIGKILL
    for child in made.children:
        assert process_state(child.pid) is None
    made.check()  # stopped: no restart any more
    assert polite.restart_at is None
    assert stubborn_child.restart_at is None
