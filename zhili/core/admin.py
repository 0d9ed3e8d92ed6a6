from django.contrib import admin

from zhili.core.models import AuditLog, Holiday, OutboxEvent


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["action", "target_id"]
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """Administrators enter each year's holidays and make-up days here once the State
    Council publishes them, for years that chinese-calendar does not know yet."""

    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        from zhili.core.services import holiday_save

        holiday_save(actor=request.user, holiday=obj)

    def delete_model(self, request, obj):
        from zhili.core.services import holiday_delete

        holiday_delete(actor=request.user, holiday=obj)


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "created_at", "attempts", "delivered_at", "last_error"]
    list_filter = ["name"]
    readonly_fields = [f.name for f in OutboxEvent._meta.fields]
