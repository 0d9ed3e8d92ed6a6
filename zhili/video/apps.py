from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "zhili.video"
    label = "video"
    verbose_name = "治安监控"

    def ready(self) -> None:
        from zhili.cases.panels import CASE_PANELS
        from zhili.video.panels import camera_clips, case_alarm, nearby_cameras

        CASE_PANELS.register("camera_alarms", case_alarm)
        CASE_PANELS.register("nearby_cameras", nearby_cameras)
        CASE_PANELS.register("camera_clips", camera_clips)
