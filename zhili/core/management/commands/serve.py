import os

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the platform (ASGI: pages, API and WebSockets) with uvicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))

    def handle(self, *args, host, port, workers, **options):
        if not settings.DEBUG and not settings.STATIC_ROOT.exists():
            self.stderr.write("静态文件尚未收集:请先运行 `zhili collectstatic --noinput`")
        self.stdout.write(f"Zhili 正在 http://{host}:{port}/ 运行(Ctrl+C 停止)")
        uvicorn.run(
            "config.asgi:application",
            host=host,
            port=port,
            workers=workers,
            lifespan="off",
            log_level=os.environ.get("LOG_LEVEL", "info").lower(),
        )
