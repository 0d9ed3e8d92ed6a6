"""Read-only admin views of mediation: records change through zhili.mediation.services."""

from django.contrib import admin

from zhili.core.admin import HistoryInline, ReadOnlyInline, ViewOnly
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


class MemberInline(ReadOnlyInline):
    model = CommitteeMember
    fields = ("name", "gender", "position", "since", "until")


@admin.register(Committee)
class CommitteeAdmin(ViewOnly):
    list_display = ["name", "level", "organization", "term_start", "term_end", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name"]
    inlines = [MemberInline]


class TrainingInline(ReadOnlyInline):
    model = MediatorTraining
    fields = ("trained_on", "hours", "organizer", "content", "created_by")


@admin.register(Mediator)
class MediatorAdmin(ViewOnly):
    list_display = ["user", "committee", "employment", "education", "is_active"]
    list_filter = ["employment", "education", "is_active"]
    inlines = [TrainingInline]


@admin.register(MediationRoom)
class RoomAdmin(ViewOnly):
    list_display = ["name", "committee", "video_room", "is_active"]


class EventInline(HistoryInline):
    model = DisputeEvent


@admin.register(Dispute)
class DisputeAdmin(ViewOnly):
    list_display = ["number", "title", "kind", "state", "committee", "registered_at"]
    list_filter = ["state", "kind", "level", "is_exemplary"]
    search_fields = ["number", "title"]
    inlines = [EventInline]


@admin.register(RiskAlert)
class RiskAlertAdmin(ViewOnly):
    list_display = ["dispute", "kind", "unit", "created_at", "acknowledged_at"]
