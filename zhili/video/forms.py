from django import forms

from zhili.video.models import CameraKind, CameraStatus
from zhili.video.selectors import CameraFilters


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

    def filters(self) -> CameraFilters:
        """The valid filters of the request (an invalid value is dropped, as if not given)."""
        self.is_valid()
        data = self.cleaned_data
        return CameraFilters(
            kind=data.get("kind", ""),
            status=data.get("status", ""),
            township=data.get("township", ""),
            q=data.get("q", ""),
        )
