"""The scheme is configuration, edited here by the county (its items' parameters checked by
`Item.clean`); the ledger, vetoes, grades and the rest change through the services only."""

from django.contrib import admin

from zhili.assessment.models import (
    Catalog,
    Grade,
    Item,
    LedgerEntry,
    Nomination,
    Scheme,
    StaffGrade,
    Veto,
    VetoEvent,
)
from zhili.core.admin import ViewOnly


class CatalogInline(admin.TabularInline):
    model = Catalog
    extra = 0


class VetoEventInline(admin.TabularInline):
    model = VetoEvent
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "excellent_min", "pass_min", "bottom_flagged"]
    inlines = [CatalogInline, VetoEventInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "catalog", "max_points", "formula", "automatic", "metric"]
    list_filter = ["scheme", "formula", "automatic"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ViewOnly):
    list_display = ["unit", "year", "period", "on", "item", "points", "source_label", "key"]
    list_filter = ["year", "period", "automatic"]
    search_fields = ["key", "reason"]


for model in (Veto, Grade, Nomination, StaffGrade):
    admin.site.register(model, ViewOnly)
