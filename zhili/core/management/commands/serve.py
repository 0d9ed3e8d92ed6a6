import ipaddress
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import uvicorn
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from zhili.core.supervisor import Supervisor


def background_command(command: str) -> list[str]:
    # Our own interpreter and a fixed command name: no outside input reaches the call.
    return [sys.executable, "-m", "zhili", command, "--verbosity", "0"]


def app_processes(warn: Callable[[str], object]) -> dict[str, list[str]]:
    """The background commands the apps ask for beside the worker and the scheduler, with
    their arguments (an app config's `background_processes(warn)`, e.g. the video app's)."""
    commands: dict[str, list[str]] = {}
    for app in apps.get_app_configs():
        declare = getattr(app, "background_processes", None)
        if declare is not None:
            commands |= declare(warn)
    return commands


@contextmanager
def signals_exit() -> Iterator[None]:
    """SIGTERM and SIGINT end the command through `finally` blocks.

    uvicorn catches both while it serves, shuts down, then raises the signal again for the
    handler that was there before it: with the default SIGTERM handler the process would die
    right there, before stopping its background processes (they were left running)."""

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    saved = {sig: signal.signal(sig, leave) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _reachable(host: str) -> str:
    """Where this machine's processes reach a server bound to `host` (any address: loopback)."""
    try:
        unspecified = ipaddress.ip_address(host).is_unspecified
    except ValueError:  # a name
        return host or "127.0.0.1"
    return "127.0.0.1" if unspecified else host


class QuietRelay(logging.Filter):
    """The live relay's requests (the background processes' pushes, many a second in the demo)
    stay out of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return reverse("live_relay") not in record.getMessage()


class Command(BaseCommand):
    help = "Serve the platform (ASGI: pages, API and WebSockets) with uvicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
        parser.add_argument(
            "--with-background",
            action="store_true",
            help="also run `zhili worker` and `zhili scheduler` beside the server (one machine, "
            "e.g. the demo), restarted when they die: cards fall, supervision orders open, "
            "events are delivered",
        )

    def handle(self, *args, host, port, workers, with_background, **options):
        if not settings.DEBUG and not settings.STATIC_ROOT.exists():
            self.stderr.write("静态文件尚未收集：请先运行 `zhili collectstatic --noinput`")
        background = None
        if with_background:
            commands = {"worker": [], "scheduler": [], **app_processes(self.stderr.write)}
            self.stdout.write(f"后台进程：{', '.join(commands)}（退出后自动重启）")
            background = Supervisor(
                {name: background_command(name) + args for name, args in commands.items()}
            )
        self.stdout.write(f"Zhili 正在 http://{host}:{port}/ 运行（Ctrl+C 停止）")
        with signals_exit():
            try:
                if background is not None:
                    if not settings.REDIS_URL:  # their pushes reach the pages through us
                        relay = f"http://{_reachable(host)}:{port}{reverse('live_relay')}"
                        os.environ["ZHILI_LIVE_RELAY_URL"] = relay
                        logging.getLogger("uvicorn.access").addFilter(QuietRelay())
                    background.start()
                uvicorn.run(
                    "config.asgi:application",
                    host=host,
                    port=port,
                    workers=workers,
                    lifespan="off",
                    log_level=os.environ.get("LOG_LEVEL", "info").lower(),
                )
            finally:
                if background is not None:
                    # A second signal must not cut the stop short and leave children behind.
                    for sig in (signal.SIGTERM, signal.SIGINT):
                        signal.signal(sig, signal.SIG_IGN)
                    background.stop()
