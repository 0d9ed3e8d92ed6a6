from django.contrib import admin

from zhili.integrations.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Read-only: keys are created and revoked on the 接口密钥 page or with `zhili apikey`."""

    list_display = ["name", "channel", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
