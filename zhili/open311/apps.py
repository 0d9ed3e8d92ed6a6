from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "zhili.open311"
    label = "open311"
    verbose_name = "Open311 接口"

    def ready(self) -> None:
        # Errors under /open311/ that reach Django's handlers answer GeoReport v2's error list.
        from zhili.core import api_errors
        from zhili.open311.formats import interface_error

        api_errors.register_interface(
            "open311", "/open311/", interface_error, ("application/json", "text/xml")
        )
