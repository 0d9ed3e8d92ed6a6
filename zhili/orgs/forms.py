"""Forms of the organization pages. They only parse input; services hold the rules."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from zhili.core.errors import NotFound
from zhili.core.personal import mask_phone
from zhili.core.roles import Role
from zhili.core.types import Actor
from zhili.orgs import selectors
from zhili.orgs.models import Organization, User, code_validator


class StaffForm(forms.Form):
    """Create (with username and password) or edit (with is_active) a staff account."""

    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 @ . + - _"},
        help_text="登录用，创建后不能修改",
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    organization = forms.CharField(
        label="所属单位",
        max_length=40,
        validators=[code_validator],
        help_text="输入单位名称或编码搜索，选择后填入编码",
    )
    roles = forms.MultipleChoiceField(
        label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    title = forms.CharField(label="职务", max_length=50, required=False)
    phone = forms.RegexField(
        label="手机号",
        regex=r"^\+?[0-9-]{5,20}$",
        required=False,
        error_messages={"invalid": "请输入有效的电话号码"},
    )
    password = forms.CharField(
        label="初始密码",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="可留空：留空则账号暂不能用密码登录，由管理员稍后设置",
    )
    is_active = forms.BooleanField(label="账号启用", required=False, initial=True)

    def __init__(self, *args: Any, actor: Actor, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.editing = editing
        if editing:
            del self.fields["username"]
            del self.fields["password"]
        else:
            del self.fields["is_active"]

    def mask_current_phone(self, phone: str) -> None:
        """Editing: show the current number masked; an empty field keeps it unchanged."""
        if phone:
            masked = mask_phone(phone)
            self.fields["phone"].widget.attrs["placeholder"] = masked
            self.fields["phone"].help_text = f"当前号码 {masked}；留空则保持不变"

    def clean_organization(self) -> Organization:
        """The code typed or picked, resolved within the actor's scope."""
        code = self.cleaned_data["organization"].strip()
        try:
            return selectors.organization_get(user=self.actor, code=code)
        except NotFound as exc:
            raise ValidationError(f"单位编码 {code} 不存在或不在您的管辖范围内") from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            candidate = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class StaffFilterForm(forms.Form):
    q = forms.CharField(label="搜索", max_length=50, required=False)
    organization = forms.CharField(label="单位编码", max_length=40, required=False)
    role = forms.ChoiceField(
        label="角色", choices=[("", "全部角色"), *Role.choices], required=False
    )


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label="正式区划边界文件（GeoJSON）",
        error_messages={"required": "请选择要上传的 GeoJSON 文件"},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".geojson,.json,application/geo+json,application/json"}
        ),
    )
