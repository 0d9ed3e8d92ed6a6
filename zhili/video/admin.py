"""The register in the admin. Stream credentials may be set, never read back: the form has
write-only inputs (blank keeps what is stored) and the list shows only whether they are set.
An ONVIF camera's streams are filled by the action 从 ONVIF 获取码流."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from zhili.core.admin import ServicesOnly, ViewOnly
from zhili.core.errors import DomainError, InvalidInput
from zhili.video.models import (
    Camera,
    CameraAlarm,
    CameraClip,
    CameraGrant,
    CameraGroup,
    Protocol,
)
from zhili.video.onvif import discover_streams
from zhili.video.services import ADDRESSES, camera_grant, camera_save, check_access, check_owner

DISCOVER_AT_ONCE = 20  # each camera is a session of up to onvif.TIMEOUT seconds

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
            "onvif_url",
            "main_stream",
            "sub_stream",
            "ptz",
            "status",
            "last_seen_at",
            "device_code",
            "shares_stream_of",
            "is_demo",
        ]

    def clean(self) -> dict[str, object]:
        """The service's checks as form errors on their fields, not a failed save."""
        data = super().clean() or {}
        fields = {name: data.get(name) or "" for name in ADDRESSES}
        try:
            if data.get("owner") is not None:
                check_owner(data["owner"])  # type: ignore[arg-type]
            check_access(Camera(protocol=data.get("protocol") or "", **fields))
        except InvalidInput as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


@admin.register(Camera)
class CameraAdmin(admin.ModelAdmin):
    form = CameraForm
    list_display = ["code", "name", "kind", "status", "owner", "protocol", "ptz", "credentials"]
    list_filter = ["kind", "status", "protocol", ("owner", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "device_code"]
    raw_id_fields = ["shares_stream_of"]
    readonly_fields = ["grid", "credentials", "created_at", "updated_at"]
    list_select_related = ["owner"]
    actions = ["discover_onvif"]

    @admin.action(description="从 ONVIF 获取码流")
    def discover_onvif(self, request: HttpRequest, queryset: QuerySet[Camera]) -> None:
        """Ask each selected ONVIF camera for its profiles: main and sub stream, PTZ."""
        chosen = list(queryset.order_by("code")[: DISCOVER_AT_ONCE + 1])
        if len(chosen) > DISCOVER_AT_ONCE:
            self.message_user(
                request, f"一次最多获取 {DISCOVER_AT_ONCE} 个点位，其余请分批选择", messages.WARNING
            )
            chosen = chosen[:DISCOVER_AT_ONCE]
        for camera in chosen:
            if camera.protocol != Protocol.ONVIF:
                self.message_user(request, f"{camera}：不是 ONVIF 接入的点位", messages.WARNING)
                continue
            try:
                found = discover_streams(actor=request.user, camera=camera)  # type: ignore[arg-type]
            except DomainError as exc:
                self.message_user(request, f"{camera}：{exc.message}", messages.ERROR)
                continue
            main, sub = found.profiles[0], found.profiles[-1]
            text = f"主码流 {main.resolution}"
            if sub != main:
                text += f"，子码流 {sub.resolution}"
            text += f"，云台{'：有' if found.ptz else '：无'}"
            self.message_user(request, f"{camera}：已从 ONVIF 获取码流（{text}）", messages.SUCCESS)

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
