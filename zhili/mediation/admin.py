"""Read-only admin views of mediation: records change through zhili.mediation.services."""

from django.contrib import admin
from django.http import HttpRequest

from zhili.core.admin import HistoryInline, ReadOnlyInline, ServicesOnly
from zhili.mediation.models import (
    Committee,
    CommitteeMember,
    Dispute,
    DisputeEvent,
    MediationRoom,
    Mediator,
    MediatorTraining,
    RiskAlert,
)


class ReadOnly(ServicesOnly):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class MemberInline(ReadOnlyInline):
    model = CommitteeMember
    fields = ("name", "gender", "position", "since", "until")


@admin.register(Committee)
class CommitteeAdmin(ReadOnly):
    list_display = ["name", "level", "organization", "term_start", "term_end", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name"]
    inlines = [MemberInline]


class TrainingInline(ReadOnlyInline):
    model = MediatorTraining
    fields = ("trained_on", "hours", "organizer", "content", "created_by")


@admin.register(Mediator)
class MediatorAdmin(ReadOnly):
    list_display = ["user", "committee", "employment", "education", "is_active"]
    list_filter = ["employment", "education", "is_active"]
    inlines = [TrainingInline]


@admin.register(MediationRoom)
class RoomAdmin(ReadOnly):
    list_display = ["name", "committee", "video_room", "is_active"]


class EventInline(HistoryInline):
    model = DisputeEvent


@admin.register(Dispute)
class DisputeAdmin(ReadOnly):
    list_display = ["number", "title", "kind", "state", "committee", "registered_at"]
    list_filter = ["state", "kind", "level", "is_exemplary"]
    search_fields = ["number", "title"]
    inlines = [EventInline]


@admin.register(RiskAlert)
class RiskAlertAdmin(ReadOnly):
    list_display = ["dispute", "kind", "unit", "created_at", "acknowledged_at"]
