from typing import Any

from django.contrib import admin

from zhili.cases import category_search
from zhili.cases.models import (
    Case,
    CaseAssist,
    CaseEvent,
    Category,
    ResponsibilityRule,
    TimeLimit,
)
from zhili.core import stamps


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
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
    readonly_fields = ["path", "depth"]

    def save_model(self, request: Any, obj: Category, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The category search and the routing's caches follow this stamp.
        stamps.bump(category_search.STAMP)


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = [
        "category",
        "urgency",
        "acknowledge_amount",
        "acknowledge_unit",
        "handle_amount",
        "handle_unit",
    ]


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "township", "village", "grid", "unit", "is_active"]
    list_filter = ["is_active"]
    raw_id_fields = ["category", "township", "village", "grid", "unit"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("action", "from_state", "to_state", "actor", "note", "created_at")
    readonly_fields = fields


class CaseAssistInline(admin.TabularInline):
    model = CaseAssist
    extra = 0
    can_delete = False
    fields = ("organization", "state", "dispatched_at", "due_at", "replied_at", "reply")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: every change to a case goes through the workflow services."""

    list_display = ["case_no", "title", "channel", "state", "card", "lead_unit", "registered_at"]
    list_filter = ["state", "card", "channel", "urgency"]
    search_fields = ["case_no", "title"]
    inlines = [CaseAssistInline, CaseEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
