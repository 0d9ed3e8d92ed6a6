from django.contrib import admin

from zhili.cases import deadlines, routing
from zhili.cases.models import (
    CATEGORY_STAMP,
    Case,
    CaseAssist,
    CaseEvent,
    Category,
    ResponsibilityRule,
    TimeLimit,
)
from zhili.core.admin import BumpsStamps, HistoryInline, ReadOnlyInline, ServicesOnly


@admin.register(Category)
class CategoryAdmin(BumpsStamps, admin.ModelAdmin):
    # Routing names, the deadline chain, the leaf check and the category search follow the
    # catalog.
    stamp_keys = (CATEGORY_STAMP,)
    list_display = [
        "code",
        "name",
        "parent",
        "keywords",
        "synonyms",
        "default_urgency",
        "is_active",
    ]
    search_fields = ["code", "name", "keywords", "synonyms"]

    def get_readonly_fields(self, request, obj=None):
        # The code and the parent make the path that cases and rules are matched on.
        return ["path", "depth"] + (["code", "parent"] if obj is not None else [])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.code}/"
            obj.depth = obj.path.count("/") - 2
        super().save_model(request, obj, form, change)


@admin.register(TimeLimit)
class TimeLimitAdmin(BumpsStamps, admin.ModelAdmin):
    stamp_keys = (deadlines.STAMP,)
    list_display = [
        "category",
        "urgency",
        "acknowledge_amount",
        "acknowledge_unit",
        "handle_amount",
        "handle_unit",
    ]


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(BumpsStamps, admin.ModelAdmin):
    stamp_keys = (routing.STAMP,)
    list_display = ["category", "township", "village", "grid", "unit", "is_active"]
    list_filter = ["is_active"]
    raw_id_fields = ["category", "township", "village", "grid", "unit"]


class CaseEventInline(HistoryInline):
    model = CaseEvent


class CaseAssistInline(ReadOnlyInline):
    model = CaseAssist
    fields = ("organization", "state", "dispatched_at", "due_at", "replied_at", "reply")


@admin.register(Case)
class CaseAdmin(ServicesOnly):
    """Read-only: every change to a case goes through the workflow services."""

    list_display = ["case_no", "title", "channel", "state", "card", "lead_unit", "registered_at"]
    list_filter = ["state", "card", "channel", "urgency"]
    search_fields = ["case_no", "title"]
    inlines = [CaseAssistInline, CaseEventInline]
