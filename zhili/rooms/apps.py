from django.apps import AppConfig


class RoomsConfig(AppConfig):
    name = "zhili.rooms"
    label = "rooms"
    verbose_name = "视频会议室"

    def ready(self) -> None:
        from zhili.rooms import subjects  # noqa: F401  (its panels register themselves)
        from zhili.rooms.attendance import attendance_event
        from zhili.video.gateway import events
        from zhili.video.gateway.tokens import VIDEOROOM

        events.register(VIDEOROOM, attendance_event)
