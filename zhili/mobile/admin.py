from django.contrib import admin

from zhili.mobile.models import Patrol, PatrolPoint

POINT_FIELDS = ("seq", "lat", "lng", "accuracy_m", "recorded_at", "received_at")


class PatrolPointInline(admin.TabularInline):
    model = PatrolPoint
    fields = POINT_FIELDS
    readonly_fields = POINT_FIELDS
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Patrol)
class PatrolAdmin(admin.ModelAdmin):
    """Read-only: patrols are written by the phone (zhili.mobile.services), never by hand."""

    list_display = ["worker", "grid", "started_at", "ended_at", "distance_m", "point_count"]
    list_filter = ["started_at"]
    search_fields = ["worker__username", "worker__full_name", "grid__code", "grid__name"]
    date_hierarchy = "started_at"
    list_select_related = ["worker", "grid"]
    readonly_fields = [
        "client_id",
        "worker",
        "grid",
        "started_at",
        "ended_at",
        "distance_m",
        "point_count",
        "note",
        "created_at",
    ]
    inlines = [PatrolPointInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
