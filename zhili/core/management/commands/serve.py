import os
import subprocess
import sys

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand


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
            "e.g. the demo): cards fall, supervision orders open, events are delivered",
        )

    def handle(self, *args, host, port, workers, with_background, **options):
        if not settings.DEBUG and not settings.STATIC_ROOT.exists():
            self.stderr.write("静态文件尚未收集:请先运行 `zhili collectstatic --noinput`")
        helpers = [self._spawn("worker"), self._spawn("scheduler")] if with_background else []
        self.stdout.write(f"Zhili 正在 http://{host}:{port}/ 运行(Ctrl+C 停止)")
        try:
            uvicorn.run(
                "config.asgi:application",
                host=host,
                port=port,
                workers=workers,
                lifespan="off",
                log_level=os.environ.get("LOG_LEVEL", "info").lower(),
            )
        finally:
            for helper in helpers:
                helper.terminate()
            for helper in helpers:
                helper.wait(timeout=10)

    def _spawn(self, command: str) -> subprocess.Popen:
        self.stdout.write(f"后台进程:zhili {command}")
        # Our own interpreter and a fixed command name: no outside input reaches the call.
        return subprocess.Popen([sys.executable, "-m", "zhili", command, "--verbosity", "0"])  # noqa: S603
