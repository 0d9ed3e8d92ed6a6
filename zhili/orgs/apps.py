from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhili.orgs"
    label = "orgs"
    verbose_name = "组织、网格与人员"
