from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from zhili.orgs.models import AuthToken, Grid, Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "is_demo"]
    list_filter = ["level", "kind", "division", "is_demo"]
    search_fields = ["code", "name", "area_name"]
    readonly_fields = ["path", "depth"]
    raw_id_fields = ["parent"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "organization", "is_active", "is_demo"]
    list_filter = ["is_active", "is_demo", "groups"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["organization"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("单位与职务", {"fields": ["full_name", "organization", "title", "phone", "is_demo"]}),
    ]


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "village", "leader", "area_km2"]
    search_fields = ["code", "name"]
    raw_id_fields = ["village", "leader"]
    filter_horizontal = ["workers"]


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "prefix", "user", "created_at"]
