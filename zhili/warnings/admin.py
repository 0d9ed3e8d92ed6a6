from django.contrib import admin

from zhili.core.admin import HistoryInline, ReadOnlyInline, ServicesOnly
from zhili.warnings.models import Warning, WarningEvent, WarningNotice, WarningRule


class WarningEventInline(HistoryInline):
    model = WarningEvent


class WarningNoticeInline(ReadOnlyInline):
    """Who was told of the warning and when they read it (zhili.warnings.notices)."""

    model = WarningNotice
    fields = ["user", "reason", "created_at", "read_at"]


@admin.register(Warning)
class WarningAdmin(ServicesOnly):
    """Read-only: warnings change through the warnings services."""

    list_display = ["number", "level", "state", "title", "unit", "issued_at"]
    list_filter = ["state", "level", "kind"]
    search_fields = ["number", "title"]
    inlines = [WarningEventInline, WarningNoticeInline]


@admin.register(WarningRule)
class WarningRuleAdmin(ServicesOnly):
    """Read-only: rules are set on the rules page (audited)."""

    list_display = ["code", "name", "kind", "level", "enabled"]
