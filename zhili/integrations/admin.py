from django.contrib import admin

from zhili.integrations.models import (
    ApiKey,
    CategoryMapping,
    PushedOrder,
    PushSource,
    ReplyAttempt,
    ReplyCallback,
)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are created and revoked on the 接口密钥 page or with `zhili apikey`."""

    list_display = ["name", "channel", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PushSource)
class PushSourceAdmin(admin.ModelAdmin):
    """Editable, but the secret is never shown: it is created and rotated with
    `zhili pushsource` (or on the 推送对接 page), which print it once."""

    list_display = [
        "channel",
        "name",
        "secret_masked",
        "callback_url",
        "tolerance_seconds",
        "default_urgency",
        "fallback_category",
        "is_active",
    ]
    fields = [
        "channel",
        "name",
        "secret_masked",
        "secret_rotated_at",
        "callback_url",
        "tolerance_seconds",
        "default_urgency",
        "fallback_category",
        "is_active",
    ]
    readonly_fields = ["channel", "secret_masked", "secret_rotated_at"]

    @admin.display(description="签名密钥")
    def secret_masked(self, obj):
        return obj.secret_masked

    def has_add_permission(self, request):
        return False


@admin.register(CategoryMapping)
class CategoryMappingAdmin(admin.ModelAdmin):
    list_display = ["channel", "text", "category", "hit_count", "last_seen_at"]
    list_filter = ["channel", ("category", admin.EmptyFieldListFilter)]
    search_fields = ["text"]
    fields = ["channel", "text", "category", "hit_count", "first_seen_at", "last_seen_at"]
    readonly_fields = ["channel", "text", "hit_count", "first_seen_at", "last_seen_at"]

    def has_add_permission(self, request):
        return False


@admin.register(PushedOrder)
class PushedOrderAdmin(admin.ModelAdmin):
    list_display = ["order_no", "channel", "case", "category_text", "mapped", "deadline"]
    list_filter = ["channel", "mapped"]
    search_fields = ["order_no", "case__case_no"]
    raw_id_fields = ["case", "mapping"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReplyAttemptInline(admin.TabularInline):
    model = ReplyAttempt
    fields = ["number", "started_at", "status_code", "error", "duration_ms"]
    readonly_fields = ["number", "started_at", "status_code", "error", "duration_ms"]
    extra = 0
    can_delete = False


@admin.register(ReplyCallback)
class ReplyCallbackAdmin(admin.ModelAdmin):
    """Read-only: failed replies are sent again from the 推送对接 page."""

    list_display = ["order", "state", "attempts", "next_attempt_at", "last_error", "created_at"]
    list_filter = ["state"]
    search_fields = ["order__order_no", "order__case__case_no"]
    inlines = [ReplyAttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
