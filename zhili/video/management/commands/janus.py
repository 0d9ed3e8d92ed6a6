"""`zhili janus`: write Janus's configuration under var/janus/ from the settings and run it.

The process becomes Janus (exec), so that `zhili serve --with-background` stops it like its
other children. The ports are those of the first JANUS_API_URLS and JANUS_WS_URLS entries.
"""

import os
import shutil
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhili.video.gateway import config


def local_config() -> config.JanusConfig:
    low, _, high = os.environ.get("JANUS_RTP_PORTS", "20000-20999").partition("-")
    mount_low, _, mount_high = os.environ.get("JANUS_MOUNTPOINT_PORTS", "21000-21999").partition(
        "-"
    )
    return config.JanusConfig(
        folder=settings.VAR_DIR / "janus",
        http_port=urlsplit(settings.JANUS_API_URLS[0]).port or 8088,
        ws_port=urlsplit(settings.JANUS_WS_URLS[0]).port or 8188,
        admin_port=int(os.environ.get("JANUS_ADMIN_PORT", "7088")),
        rtp_ports=(int(low), int(high)),
        mountpoint_ports=(int(mount_low), int(mount_high)),
        host=os.environ.get("JANUS_BIND", "127.0.0.1"),
        ice_enforce=os.environ.get("JANUS_ICE_ENFORCE", "lo"),
        token_secret=settings.JANUS_TOKEN_SECRET,
        admin_key=settings.JANUS_ADMIN_KEY,
        admin_secret=settings.JANUS_ADMIN_SECRET,
        # The rooms' attendance (zhili/rooms): joins and leaves posted as Janus sees them.
        events_url=settings.JANUS_EVENTS_URL,
        events_secret=settings.JANUS_EVENTS_SECRET,
    )


class Command(BaseCommand):
    help = "运行视频网关 Janus（配置生成于 var/janus/）"

    def handle(self, *args: str, **options: object) -> None:
        if shutil.which("janus") is None:
            raise CommandError(
                "未安装 Janus：apt-get install janus（见 docs/operations.md「视频」）"
            )
        janus_config = local_config()
        config.write(janus_config)
        argv = config.command(janus_config)
        os.execvp(argv[0], argv)  # noqa: S606 - janus with the files just written
