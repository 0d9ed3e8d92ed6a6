"""`zhili camera_sims`: the demo's simulated RTSP cameras (zhili/video/sim/rtsp.py), run by
Debian's Python, which has GStreamer's bindings."""

import os

from django.core.management.base import BaseCommand, CommandError

from zhili.video.engines import SYSTEM_PYTHON, camera_command


class Command(BaseCommand):
    help = "运行模拟摄像机（RTSP，rtsp://127.0.0.1:8554/camNN/main|sub）"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8554)
        parser.add_argument("--count", type=int, default=16)

    def handle(self, *args: str, port: int, count: int, **options: object) -> None:
        if not os.access(SYSTEM_PYTHON, os.X_OK):
            raise CommandError(f"{SYSTEM_PYTHON} 不存在：模拟摄像机需要 Debian 的 python3-gst-1.0")
        argv = camera_command(port, count)
        os.execv(argv[0], argv)  # noqa: S606 - a fixed program and our own integers
