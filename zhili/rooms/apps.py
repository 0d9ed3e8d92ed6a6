import shutil
from collections.abc import Callable

from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "zhili.rooms"
    label = "rooms"
    verbose_name = "视频会议室"

    def ready(self) -> None:
        from zhili.rooms import (
            subjects,  # noqa: F401  (its panels register themselves)
            video_mediation,  # noqa: F401  (a dispute's panel, its agreement)
        )
        from zhili.rooms.attendance import attendance_event
        from zhili.video.gateway import events
        from zhili.video.gateway.tokens import VIDEOROOM

        events.register(VIDEOROOM, attendance_event)

    def background_processes(self, warn: Callable[[str], object]) -> dict[str, list[str]]:
        """What `zhili serve --with-background` runs for the rooms: the broadcasts' media
        (`zhili broadcasts`), when ffmpeg is installed."""
        from zhili.rooms.recording import FFMPEG

        if shutil.which(FFMPEG) is None:
            warn("会议直播未启动（缺少 ffmpeg；见 docs/operations.md「视频」）")
            return {}
        return {"broadcasts": []}
