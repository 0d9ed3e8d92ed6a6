from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "zhili.petitions"
    label = "petitions"
    verbose_name = "信访事项"
