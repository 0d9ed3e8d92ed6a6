from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "zhili.assessment"
    label = "assessment"
    verbose_name = "考核评价"

    def ready(self) -> None:
        # The year's items, for inspections' checklists to cite (zhili.inspections.checklist).
        from zhili.assessment import checklist  # noqa: F401
