from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model

from zhili.core import stamps
from zhili.core.geo import polygon_from_geojson
from zhili.orgs import lockout
from zhili.orgs.models import AuthToken, Boundary, Grid, LoginFailure, Organization, User
from zhili.orgs.services import (
    ORG_STAMP,
    grid_create,
    grid_update_geometry,
    organization_create,
)


class CreatedByService(admin.ModelAdmin):
    """A new row is made by the app's service `create` (it computes the materialized path,
    audits, and keeps every process's index current) from the form's `create_fields`; a
    change is saved by `save_change`."""

    create_fields: tuple[str, ...] = ()
    create: Callable[..., Model]

    def save_model(self, request, obj, form, change):
        if change:
            self.save_change(request, obj, form)
            return
        values = {name: getattr(obj, name) for name in self.create_fields}
        obj.pk = self.create(actor=request.user, **values).pk

    def save_change(self, request, obj, form):
        obj.save()


@admin.register(Organization)
class OrganizationAdmin(CreatedByService):
    list_display = ["code", "name", "kind", "level", "parent", "is_demo"]
    list_filter = ["level", "kind", "division", "is_demo"]
    search_fields = ["code", "name", "area_name"]
    raw_id_fields = ["parent"]
    create_fields = (
        "code",
        "name",
        "kind",
        "level",
        "parent",
        "area_name",
        "division",
        "phone",
        "address",
    )
    create = staticmethod(organization_create)

    def get_readonly_fields(self, request, obj=None):
        # The code and the parent make the materialized path: fixed once created.
        return ["path", "depth"] + (["code", "parent"] if obj is not None else [])

    def save_change(self, request, obj, form):
        obj.save()
        stamps.bump(ORG_STAMP)


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "organization", "is_active", "is_demo"]
    list_filter = ["is_active", "is_demo", "groups"]
    search_fields = ["username", "full_name"]
    raw_id_fields = ["organization"]
    fieldsets = [
        *(UserAdmin.fieldsets or ()),
        ("单位与职务", {"fields": ["full_name", "organization", "title", "phone", "is_demo"]}),
    ]


class GridAdminForm(forms.ModelForm):
    class Meta:
        model = Grid
        fields = ["code", "name", "village", "geometry", "leader", "workers", "is_demo"]

    def clean_geometry(self):
        geometry = self.cleaned_data["geometry"]
        try:
            polygon_from_geojson(geometry)
        except Exception as exc:
            raise forms.ValidationError(f"网格范围不是有效的多边形：{exc}") from exc
        return geometry


@admin.register(Grid)
class GridAdmin(CreatedByService):
    """Geometry edits go through the services, so the grid index of every process follows."""

    form = GridAdminForm
    list_display = ["code", "name", "village", "leader", "area_km2"]
    search_fields = ["code", "name"]
    raw_id_fields = ["village", "leader"]
    filter_horizontal = ["workers"]
    create_fields = ("code", "name", "village", "geometry")
    create = staticmethod(grid_create)

    def save_change(self, request, obj, form):
        obj.save()
        if "geometry" in form.changed_data:
            grid_update_geometry(actor=request.user, grid=obj, geometry=obj.geometry)


@admin.register(Boundary)
class BoundaryAdmin(admin.ModelAdmin):
    """Read only: boundaries change through the page 区划边界 (an official file, checked and
    audited as a whole), never one by one here."""

    list_display = ["organization", "source", "area_km2", "file_name", "uploaded_by", "uploaded_at"]
    list_filter = ["source", "organization__level"]
    search_fields = ["organization__code", "organization__name"]
    list_select_related = ["organization", "uploaded_by"]
    exclude = ["geometry"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("geometry")  # an official one runs to MBs

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "prefix", "user", "created_at"]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """登录失败与锁定: one row per (username, address, browser); 解除锁定 is audited."""

    list_display = [
        "username",
        "ip_address",
        "failures_since_start",
        "attempt_time",
        "lock",
        "user_agent",
    ]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    actions = ["unlock"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # clearing counters goes through the audited unlock
        return actions

    @admin.display(description="锁定状态")
    def lock(self, obj: LoginFailure) -> str:
        state = lockout.lock_state(obj.username or "", obj.ip_address)
        if state.address_locked:
            return f"该地址已锁定（全部账号共失败 {state.address_failures} 次）"
        if state.pair_locked:
            return f"已锁定（失败 {state.pair_failures} 次）"
        return f"未锁定（失败 {state.pair_failures} 次）"

    @admin.action(description="解除锁定", permissions=["delete"])
    def unlock(self, request, queryset):
        pairs = sorted({(row.username or "", row.ip_address) for row in queryset}, key=str)
        for username, address in pairs:
            lockout.login_unlock(actor=request.user, username=username, address=address)
        self.message_user(request, f"已解除 {len(pairs)} 个账号与地址组合的锁定")
