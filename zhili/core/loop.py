"""The loop of the long-running commands (`zhili worker`, `zhili scheduler`)."""

import signal
import time
from collections.abc import Callable

from django.db import close_old_connections


def run_until_stopped(step: Callable[[], bool], *, interval: float, once: bool = False) -> None:
    """Call `step` again and again until SIGTERM or SIGINT (or once). `step` says whether it
    found work; after a round without work the loop sleeps `interval` seconds. A signal lets
    the current round finish, so nothing is left half done."""
    running = True

    def stop(signum: int, frame: object) -> None:
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        close_old_connections()
        busy = step()
        if once:
            return
        if not busy and running:
            time.sleep(interval)
