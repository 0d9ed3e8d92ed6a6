from django.contrib import admin

from zhili.core.admin import HistoryInline, ServicesOnly
from zhili.warnings.models import Warning, WarningEvent, WarningRule


class WarningEventInline(HistoryInline):
    model = WarningEvent


@admin.register(Warning)
class WarningAdmin(ServicesOnly):
    """Read-only: warnings change through the warnings services."""

    list_display = ["number", "level", "state", "title", "unit", "issued_at"]
    list_filter = ["state", "level", "kind"]
    search_fields = ["number", "title"]
    inlines = [WarningEventInline]


@admin.register(WarningRule)
class WarningRuleAdmin(ServicesOnly):
    """Read-only: rules are set on the rules page (audited)."""

    list_display = ["code", "name", "kind", "level", "enabled"]
