"""Keep the background processes of `zhili serve --with-background` running.

The server starts `zhili worker` and `zhili scheduler` as child processes through a
`Supervisor`. A thread of the server polls each child (which reaps it: no `<defunct>`
entries), and restarts one that died after a delay that doubles from 1 s up to 60 s while it
keeps dying young; a child that stayed up for a minute starts from 1 s again. `stop()` sends
SIGTERM (the loops finish their round, zhili.core.loop), waits, then SIGKILLs what is left,
and reaps every child.

Each child gets a process group of its own, so a Ctrl+C in the terminal reaches the server
only, which then stops the children itself: they are never restarted while stopping.
"""

import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

# The children stop by themselves when this process is gone (zhili.core.loop), even after a
# SIGKILL that left no chance to stop them.
PARENT_ENV = "ZHILI_SUPERVISOR_PID"


@dataclass
class Backoff:
    """Delays before restarting one child: `initial`, doubling up to `maximum` while the
    child keeps dying within `stable_after` seconds of its start; back to `initial` once it
    ran at least that long."""

    initial: float = 1.0
    maximum: float = 60.0
    stable_after: float = 60.0
    _next: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._next = self.initial

    def delay_after(self, uptime: float) -> float:
        """The delay before the restart of a child that ran `uptime` seconds."""
        if uptime >= self.stable_after:
            self._next = self.initial
        delay = self._next
        self._next = min(self._next * 2, self.maximum)
        return delay


@dataclass
class Child:
    name: str
    argv: list[str]
    backoff: Backoff = field(default_factory=Backoff)
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restart_at: float | None = None  # set while waiting out the backoff
    restarts: int = 0

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid


class Supervisor:
    def __init__(
        self,
        children: dict[str, Sequence[str]],
        *,
        poll: float = 0.2,
        stop_timeout: float = 10.0,
        backoff: Callable[[], Backoff] = Backoff,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.children = [Child(name, list(argv), backoff()) for name, argv in children.items()]
        self.poll = poll
        self.stop_timeout = stop_timeout
        self.clock = clock
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, *, watch: bool = True) -> None:
        """Start every child, then watch them from a daemon thread (without `watch`, the
        caller calls `check()` itself)."""
        for child in self.children:
            self._spawn(child)
        if not watch:
            return
        self._thread = threading.Thread(target=self._watch, name="zhili-supervisor", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll):
            try:
                self.check()
            except Exception:  # a failed spawn must not end the watch: retried next round
                log.exception("supervisor round failed")

    def check(self) -> None:
        """One round: reap the children that exited, restart those whose delay is over."""
        with self._lock:
            if self._stopping.is_set():
                return
            now = self.clock()
            for child in self.children:
                self._check_one(child, now)

    def _check_one(self, child: Child, now: float) -> None:
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restart_at = None
                child.restarts += 1
                self._spawn(child)
            return
        if child.process is None:
            return
        code = child.process.poll()  # waitpid(pid, WNOHANG): reaps the exited child
        if code is None:
            return
        uptime = now - child.started_at
        delay = child.backoff.delay_after(uptime)
        child.restart_at = now + delay
        log.warning(
            "background process zhili %s (pid %s) %s after %.0f s; restarting in %.0f s",
            child.name,
            child.process.pid,
            describe_exit(code),
            uptime,
            delay,
        )

    def _spawn(self, child: Child) -> None:
        env = {**os.environ, PARENT_ENV: str(os.getpid())}
        # Our own interpreter and fixed command names: no outside input reaches the call.
        child.process = subprocess.Popen(child.argv, env=env, process_group=0)  # noqa: S603
        child.started_at = self.clock()
        log.info("background process zhili %s started (pid %s)", child.name, child.pid)

    def stop(self) -> None:
        """Stop watching, SIGTERM every child, SIGKILL those still alive after
        `stop_timeout` seconds; every child is reaped on return."""
        with self._lock:
            self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=self.stop_timeout)
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("background process pid %s ignored SIGTERM: killed", process.pid)
                process.kill()
                process.wait()


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with status {code}"
