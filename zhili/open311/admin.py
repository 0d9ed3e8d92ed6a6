from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from zhili.open311.models import (
    LIST_DATATYPES,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceRequest,
)


class ValuesFormSet(BaseInlineFormSet):
    """A single- or multi-value list needs at least one value to choose from."""

    def clean(self) -> None:
        super().clean()
        if self.instance.datatype not in LIST_DATATYPES:
            return
        kept = [
            f
            for f in self.forms
            if f.cleaned_data.get("key") and not f.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            raise ValidationError("单选、多选类型至少需要一个可选值")


class ServiceAttributeValueInline(admin.TabularInline):
    model = ServiceAttributeValue
    formset = ValuesFormSet
    extra = 1
    fields = ["key", "name", "order"]


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    """The questions Open311 clients are asked per service (attribute definitions)."""

    list_display = [
        "category",
        "order",
        "code",
        "description",
        "datatype",
        "required",
        "variable",
        "is_active",
    ]
    list_display_links = ["code", "description"]
    list_filter = ["datatype", "required", "is_active"]
    search_fields = ["code", "description", "category__name", "category__code"]
    autocomplete_fields = ["category"]
    fields = [
        "category",
        "code",
        "description",
        "datatype",
        "datatype_description",
        "required",
        "variable",
        "order",
        "is_active",
    ]
    inlines = [ServiceAttributeValueInline]

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is deleted: a question no longer asked is disabled (启用)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    """Read-only: rows are written by `POST /open311/v2/requests` with their case."""

    list_display = ["case", "created_at", "api_key", "device_id"]
    search_fields = ["case__case_no", "token"]
    # The email is personal data: shown nowhere without an audited reveal.
    readonly_fields = tuple(f.name for f in ServiceRequest._meta.fields if f.name != "email")
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
