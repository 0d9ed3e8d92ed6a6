from django.contrib import admin

from zhili.core.admin import HistoryInline, ServicesOnly
from zhili.supervision.models import OrderEvent, SupervisionOrder


class OrderEventInline(HistoryInline):
    model = OrderEvent


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ServicesOnly):
    """Read-only: orders change through the supervision services."""

    list_display = ["number", "level", "state", "unit", "case", "issued_at", "due_at"]
    list_filter = ["state", "level", "kind"]
    search_fields = ["number", "case__case_no"]
    inlines = [OrderEventInline]
