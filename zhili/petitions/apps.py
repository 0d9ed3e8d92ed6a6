from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "zhili.petitions"
    label = "petitions"
    verbose_name = "信访事项"

    def ready(self) -> None:
        from zhili.petitions import tracking  # noqa: F401  (its kind registers its code)
