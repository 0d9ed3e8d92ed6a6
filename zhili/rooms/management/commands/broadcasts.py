"""`zhili broadcasts [--every 0.5]`: the media of the meetings' broadcasts (直播): ffmpeg and
Janus's forwards for every broadcast that should run (zhili/rooms/broadcaster.py), checked
every `--every` seconds. Run it on the machine BROADCAST_HOST names, with BROADCAST_DIR
shared with the web processes. SIGINT or SIGTERM (or the end of the server that started it)
stops it and every broadcast's media; `zhili broadcasts` started again takes them up."""

import shutil
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from zhili.core.loop import before_exit, run_until_stopped
from zhili.rooms.broadcaster import Broadcaster
from zhili.rooms.recording import FFMPEG


class Command(BaseCommand):
    help = "会议直播的转码与转发（ffmpeg 生成 HLS，视频网关转发主持人画面）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--every", type=float, default=0.5, help="检查间隔（秒）")

    def handle(self, *args: str, every: float, **options: object) -> None:
        if shutil.which(FFMPEG) is None:
            raise CommandError("未安装 ffmpeg：会议直播需要 Debian 的 ffmpeg")
        broadcaster = Broadcaster()
        self.stdout.write(f"会议直播服务已启动（{broadcaster.host}）")

        def step() -> bool:
            broadcaster.tick()
            return False  # every tick is a look: sleep between them

        try:
            run_until_stopped(step, interval=every)
        finally:
            broadcaster.close()
            before_exit()
