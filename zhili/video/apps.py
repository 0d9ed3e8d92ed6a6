from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "zhili.video"
    label = "video"
    verbose_name = "治安监控"
