from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "zhili.mediation"
    label = "mediation"
    verbose_name = "矛盾纠纷调解"

    def ready(self) -> None:
        from zhili.mediation import tracking  # noqa: F401  (its kind registers its code)
