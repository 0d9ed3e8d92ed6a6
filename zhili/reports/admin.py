from django.contrib import admin

from zhili.core.admin import ReadOnlyInline, ViewOnly
from zhili.reports.models import Report, ReportDelivery


class DeliveryInline(ReadOnlyInline):
    model = ReportDelivery
    fields = ("unit", "delivered_by", "delivered_at", "read_by", "read_at")


@admin.register(Report)
class ReportAdmin(ViewOnly):
    """Read-only: reports are generated and sent out through the reports services."""

    list_display = ["kind", "period", "version", "state", "progress", "scheduled", "generated_at"]
    list_filter = ["kind", "state", "scheduled"]
    search_fields = ["period"]
    exclude = ["content"]
    inlines = [DeliveryInline]
