from django.contrib import admin

from zhili.core.admin import HistoryInline, ReadOnlyInline, ViewOnly
from zhili.rooms.models import (
    AgendaItem,
    Document,
    Participant,
    Recording,
    Room,
    RoomEvent,
    Watch,
)


class RoomEventInline(HistoryInline):
    model = RoomEvent


class ParticipantInline(ReadOnlyInline):
    model = Participant
    # Never the digests, the room token or the seat.
    fields = (
        "kind",
        "display",
        "note",
        "user",
        "organization",
        "tries",
        "locked_at",
        "used_at",
        "kicked_at",
        "consent",
        "consent_at",
    )


class RecordingInline(ReadOnlyInline):
    model = Recording
    fields = ("state", "started_at", "stopped_at", "progress", "file", "sha256", "duration_s")


class AgendaInline(ReadOnlyInline):
    model = AgendaItem
    fields = ("order", "title", "presenter", "minutes", "minutes_by", "minutes_at")


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = ("name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "file")


class WatchInline(ReadOnlyInline):
    model = Watch
    fields = ("user", "started_at", "ended_at", "end_reason")  # never the seat or the token


@admin.register(Watch)
class WatchAdmin(ViewOnly):
    """静默督导记录: who watched which room unseen, when; for administrators to review."""

    list_display = ["room", "user", "started_at", "ended_at", "end_reason"]
    list_filter = ["end_reason", "room__purpose"]
    search_fields = ["room__number", "room__title", "user__username", "user__full_name"]
    fields = ["room", "user", "started_at", "ended_at", "end_reason", "beat_at"]


@admin.register(Room)
class RoomAdmin(ViewOnly):
    """Read-only: rooms change through the rooms services (the pages and the API)."""

    list_display = ["number", "purpose", "title", "state", "starts_at", "host"]
    list_filter = ["purpose", "state"]
    search_fields = ["number", "subject", "title"]
    exclude = ["janus_secret"]
    inlines = [
        ParticipantInline,
        AgendaInline,
        DocumentInline,
        RecordingInline,
        WatchInline,
        RoomEventInline,
    ]
