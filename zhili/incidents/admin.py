"""The incidents in the admin: shown, never changed here. A plan is written on its pages
(/incidents/plans/, audited and versioned); an incident through the command desk."""

from django.contrib import admin

from zhili.core.admin import HistoryInline, ReadOnlyInline, ViewOnly
from zhili.incidents.models import (
    Dispatch,
    Incident,
    IncidentEvent,
    Plan,
    PlanRevision,
    PlanStep,
    Task,
)


class PlanStepInline(ReadOnlyInline):
    model = PlanStep
    fields = ("order", "team_type", "role", "task", "deadline_minutes", "retired_at")


class PlanRevisionInline(ReadOnlyInline):
    model = PlanRevision
    fields = ("version", "change", "summary", "reason", "actor", "created_at")


@admin.register(Plan)
class PlanAdmin(ViewOnly):
    """Read-only: plans are written on the plan pages (预案管理), each change a revision."""

    list_display = ["code", "name", "category", "level", "active", "version", "updated_at"]
    list_filter = ["active", "level"]
    search_fields = ["code", "name"]
    inlines = [PlanStepInline, PlanRevisionInline]


class IncidentEventInline(HistoryInline):
    model = IncidentEvent


class TaskInline(ReadOnlyInline):
    model = Task
    fields = ("role", "text", "team_type", "team", "created_at", "due_at")


class DispatchInline(ReadOnlyInline):
    model = Dispatch
    fields = ("force", "sent_by", "sent_at", "accept_at", "arrive_at", "finish_at")


@admin.register(Incident)
class IncidentAdmin(ViewOnly):
    """Read-only: incidents change through the command desk (the kernel's action path)."""

    list_display = ["number", "title", "category", "level", "state", "organization", "opened_at"]
    list_filter = ["state", "level"]
    search_fields = ["number", "title"]
    inlines = [TaskInline, DispatchInline, IncidentEventInline]
