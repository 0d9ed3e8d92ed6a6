from django import forms

from zhili.video.models import CameraKind, CameraStatus


class CameraFilterForm(forms.Form):
    """The camera list's filters. Invalid values are dropped, never an error page."""

    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部类型"), *CameraKind.choices], required=False
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *CameraStatus.choices], required=False
    )
    township = forms.CharField(label="乡镇（街道）", max_length=40, required=False)
    q = forms.CharField(label="名称或编码", max_length=100, required=False)
