from collections.abc import Callable

from django.apps import AppConfig
from django.conf import settings


class VideoConfig(AppConfig):
    name = "zhili.video"
    label = "video"
    verbose_name = "治安监控"

    def ready(self) -> None:
        from zhili.video import panels  # noqa: F401  (its panels register themselves)

    def background_processes(self, warn: Callable[[str], object]) -> dict[str, list[str]]:
        """What `zhili serve --with-background` runs for video (ZHILI_VIDEO_ENGINES=local, the
        default), by command and its arguments: Janus, the demo's simulated RTSP cameras, two
        of them also as simulated ONVIF cameras (their streams and PTZ), and the GB/T 28181
        server with a simulated NVR of 8 channels registering with it. Without their Debian
        packages the platform runs and the video pages say the gateway is not running."""
        if settings.ZHILI_VIDEO_ENGINES != "local":
            return {}
        from zhili.video.engines import missing

        lacking = missing()
        if lacking:
            warn(f"视频引擎未启动（缺少 {', '.join(lacking)}；见 docs/operations.md「视频」）")
            return {}
        return {
            "janus": [],
            "camera_sims": [],
            "onvif_sims": [],
            "gb28181": ["--simulate", "8"],
        }
