from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from zhili.core import health, stamps
from zhili.core.models import AuditLog, Holiday, OutboxEvent


class BumpsStamps:
    """For the admin of data that processes keep in a StampedCache (the catalog, the rules,
    the time limits): a save or a delete here bumps `stamp_keys` in the request's transaction,
    as the services do, so every process rebuilds its copy."""

    stamp_keys: tuple[str, ...] = ()

    def _bump(self) -> None:
        for key in self.stamp_keys:
            stamps.bump(key)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        self._bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)  # type: ignore[misc]
        self._bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        self._bump()


class ReadOnlyInline(admin.TabularInline):
    """A record's rows shown under it as they are: no blank rows to fill, none to delete,
    nothing to edit (they change through the services)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class HistoryInline(ReadOnlyInline):
    """A dossier's history rows (zhili.core.dossier.history.HistoryRow) under the record."""

    fields = ("action", "from_state", "to_state", "actor", "note", "created_at")


class ServicesOnly(admin.ModelAdmin):
    """The admin of records that change through their services only: it shows them, and
    neither changes nor deletes them."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnly(ServicesOnly):
    """An admin that shows records and nothing more: no adding either."""

    def has_add_permission(self, request):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ViewOnly):
    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]
    search_fields = ["action", "target_id"]
    readonly_fields = [f.name for f in AuditLog._meta.fields]


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


def age_label(seconds: int | None, missing: str = "无") -> str:
    if seconds is None:
        return missing
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} 小时 {minutes} 分"
    return f"{minutes} 分 {rest} 秒" if minutes else f"{rest} 秒"


def beat_label(seconds: int | None) -> str:
    return "从未记录" if seconds is None else f"{age_label(seconds)}前"


class DeliveryStateFilter(admin.SimpleListFilter):
    title = "投递状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", "待投递"), ("failed", "投递失败（等待重试）"), ("delivered", "已投递")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        match self.value():
            case "pending":
                return queryset.filter(delivered_at__isnull=True, last_error="")
            case "failed":
                return queryset.filter(delivered_at__isnull=True).exclude(last_error="")
            case "delivered":
                return queryset.filter(delivered_at__isnull=False)
        return None


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    """The list of events opens with the queue's state (admin/core/outboxevent/change_list.html):
    what waits, what fails and why, and when the scheduler and the worker last showed life."""

    list_display = ["id", "name", "created_at", "attempts", "delivered_at", "last_error"]
    list_filter = [DeliveryStateFilter, "name"]
    readonly_fields = [f.name for f in OutboxEvent._meta.fields]

    def changelist_view(self, request, extra_context=None):
        summary = health.queue_summary()
        queue = {
            "pending": summary.pending,
            "oldest_pending": age_label(summary.oldest_pending_age),
            "failed": summary.failed,
            "failed_events": summary.failed_events,
            "scheduler": beat_label(summary.scheduler_age),
            "worker": beat_label(summary.worker_age),
            "limits": {name: age_label(limit) for name, limit in summary.limits.items()},
        }
        return super().changelist_view(request, {**(extra_context or {}), "queue": queue})
