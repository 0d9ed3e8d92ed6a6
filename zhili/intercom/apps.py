from django.apps import AppConfig


class IntercomConfig(AppConfig):
    name = "zhili.intercom"
    label = "intercom"
    verbose_name = "对讲"

    def ready(self) -> None:
        from zhili.intercom.talklog import audiobridge_event
        from zhili.video.gateway import events
        from zhili.video.gateway.tokens import AUDIOBRIDGE

        events.register(AUDIOBRIDGE, audiobridge_event)
