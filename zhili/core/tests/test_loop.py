import os
import signal

import pytest

from zhili.core.loop import run_until_stopped


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
