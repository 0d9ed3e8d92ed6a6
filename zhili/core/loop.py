"""The loop of the long-running commands (`zhili worker`, `zhili scheduler`)."""

import gc
import logging
import os
import signal
import time
from collections.abc import Callable

from django.db import close_old_connections

from zhili.core.supervisor import PARENT_ENV

log = logging.getLogger(__name__)


def orphaned() -> bool:
    """Started by `zhili serve --with-background`, whose process is gone (killed without a
    chance to stop us): nobody would restart or stop this process any more."""
    parent = os.environ.get(PARENT_ENV, "")
    return parent.isdigit() and os.getppid() != int(parent)


def before_exit() -> None:
    """Call when a long-running command is about to end its process. The interpreter's final
    garbage collections walk the whole heap of a set-up Django: measured 4.5-6.4 s on this
    2-core machine under load (0.1-0.3 s with this), past the 10 s the server's supervisor
    grants its children to stop. Nothing left by then needs collecting."""
    gc.freeze()


class _Wake(Exception):
    """Raised by the signal handler to cut the idle sleep short."""


class _Stopper:
    """The SIGTERM and SIGINT handler: the round under way finishes, a sleep ends at once."""

    def __init__(self) -> None:
        self.running = True
        self.sleeping = False

    def __call__(self, signum: int, frame: object) -> None:
        self.running = False
        if self.sleeping:
            raise _Wake


def run_until_stopped(step: Callable[[], bool], *, interval: float, once: bool = False) -> None:
    """Call `step` again and again until SIGTERM or SIGINT (or once). `step` says whether it
    found work; after a round without work the loop sleeps `interval` seconds. A signal lets
    the current round finish, so nothing is left half done, and ends the sleep at once. A
    process started by the server's supervisor also stops when the server is gone."""
    stopper = _Stopper()
    signal.signal(signal.SIGTERM, stopper)
    signal.signal(signal.SIGINT, stopper)
    try:
        _rounds(step, interval, once, stopper)
    except _Wake:
        return  # stopped while idle, between two rounds


def _rounds(step: Callable[[], bool], interval: float, once: bool, stopper: _Stopper) -> None:
    while stopper.running:
        if orphaned():
            log.warning("the server that started this process is gone: stopping")
            return
        close_old_connections()
        busy = step()
        if once:
            return
        if not busy and stopper.running:
            stopper.sleeping = True
            time.sleep(interval)
            stopper.sleeping = False
