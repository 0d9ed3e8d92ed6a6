from django.apps import AppConfig


class ScreenConfig(AppConfig):
    name = "zhili.screen"
    label = "screen"
    verbose_name = "指挥大屏"

    def ready(self) -> None:
        # The screen's own panels (the figures of the apps below it); apps above the screen
        # (incidents ...) register theirs from their own ready().
        from zhili.screen import overview, panels  # noqa: F401  (the home card too)
