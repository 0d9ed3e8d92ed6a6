from collections.abc import Callable

from django.apps import AppConfig
from django.conf import settings


class VideoConfig(AppConfig):
    name = "zhili.video"
    label = "video"
    verbose_name = "治安监控"

    def background_processes(self, warn: Callable[[str], object]) -> list[str]:
        """What `zhili serve --with-background` runs for video (ZHILI_VIDEO_ENGINES=local, the
        default): Janus and the demo's simulated cameras. Without their Debian packages the
        platform runs and the video pages say the gateway is not running."""
        if settings.ZHILI_VIDEO_ENGINES != "local":
            return []
        from zhili.video.engines import missing

        lacking = missing()
        if lacking:
            warn(f"视频引擎未启动（缺少 {', '.join(lacking)}；见 docs/operations.md「视频」）")
            return []
        return ["janus", "camera_sims"]
