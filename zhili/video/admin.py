"""The register in the admin. Stream credentials may be set, never read back: the form has
write-only inputs (blank keeps what is stored) and the list shows only whether they are set."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from zhili.core.admin import ServicesOnly, ViewOnly
from zhili.video.models import Camera, CameraAlarm, CameraClip, CameraGrant, CameraGroup
from zhili.video.services import camera_grant, camera_save

SECRET_INPUT = forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"})


class CameraForm(forms.ModelForm):
    new_stream_username = forms.CharField(
        label="取流用户名", required=False, max_length=100, widget=SECRET_INPUT,
        help_text="不显示已保存的用户名；留空则不修改",
    )  # fmt: skip
    new_stream_password = forms.CharField(
        label="取流密码", required=False, max_length=200, widget=SECRET_INPUT,
        help_text="不显示已保存的密码；留空则不修改",
    )  # fmt: skip

    class Meta:
        model = Camera
        # Not the stored credentials: they are set through the write-only inputs above.
        fields = [
            "code",
            "name",
            "kind",
            "lat",
            "lng",
            "owner",
            "protocol",
            "main_stream",
            "sub_stream",
            "ptz",
            "status",
            "last_seen_at",
            "device_code",
            "shares_stream_of",
            "is_demo",
        ]


@admin.register(Camera)
class CameraAdmin(admin.ModelAdmin):
    form = CameraForm
    list_display = ["code", "name", "kind", "status", "owner", "protocol", "ptz", "credentials"]
    list_filter = ["kind", "status", "protocol", ("owner", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "device_code"]
    raw_id_fields = ["shares_stream_of"]
    readonly_fields = ["grid", "credentials", "created_at", "updated_at"]
    list_select_related = ["owner"]

    @admin.display(description="取流凭据")
    def credentials(self, obj: Camera) -> str:
        return "已设置（已隐藏）" if obj.stream_username or obj.stream_password else "未设置"

    def save_model(self, request: HttpRequest, obj: Camera, form: CameraForm, change: bool) -> None:
        username = form.cleaned_data.get("new_stream_username") or ""
        if username:
            obj.stream_username = username
        password = form.cleaned_data.get("new_stream_password") or None
        camera_save(actor=request.user, camera=obj, password=password)  # type: ignore[arg-type]


@admin.register(CameraGrant)
class CameraGrantAdmin(admin.ModelAdmin):
    """A grant is made or withdrawn (deleted), never moved to another area."""

    list_display = ["organization", "area", "note", "created_at"]
    search_fields = ["organization__name", "area__name", "note"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: CameraGrant | None = None
    ) -> list[str]:
        return ["organization", "area", "created_at"] if obj is not None else ["created_at"]

    def save_model(
        self, request: HttpRequest, obj: CameraGrant, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        grant = camera_grant(
            actor=request.user,  # type: ignore[arg-type]
            organization=obj.organization,
            area=obj.area,
            note=obj.note,
        )
        obj.pk, obj.area_path = grant.pk, grant.area_path


@admin.register(CameraAlarm)
class CameraAlarmAdmin(ViewOnly):
    """Alarms become cases through zhili.video.alarms only."""

    list_display = ["occurred_at", "alarm_id", "camera", "type", "source", "case"]
    list_filter = ["source", "type"]
    search_fields = ["alarm_id", "camera__code"]
    raw_id_fields = ["case", "camera"]


@admin.register(CameraClip)
class CameraClipAdmin(ViewOnly):
    """Clips are asked for on the case page and recorded by the worker."""

    list_display = ["requested_at", "case", "camera", "seconds", "state", "requested_by"]
    list_filter = ["state"]
    raw_id_fields = ["case", "camera", "requested_by", "attachment"]


@admin.register(CameraGroup)
class CameraGroupAdmin(ServicesOnly):
    """Business groups change through their services (audited); here they are shown."""

    list_display = ["name", "owner", "description", "created_by", "updated_at"]
    search_fields = ["name", "owner__name"]
    fields = readonly_fields = (
        "name",
        "owner",
        "description",
        "created_by",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
