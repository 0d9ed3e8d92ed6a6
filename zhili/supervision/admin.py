from django.contrib import admin

from zhili.supervision.models import OrderEvent, SupervisionOrder


class OrderEventInline(admin.TabularInline):
    model = OrderEvent
    extra = 0
    can_delete = False
    readonly_fields = fields = ("action", "from_state", "to_state", "actor", "note", "created_at")


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(admin.ModelAdmin):
    """Read-only: orders change through the supervision services."""

    list_display = ["number", "level", "state", "unit", "case", "issued_at", "due_at"]
    list_filter = ["state", "level", "kind"]
    search_fields = ["number", "case__case_no"]
    inlines = [OrderEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
