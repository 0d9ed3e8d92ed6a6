from typing import Any

from django import forms

from zhili.reports.models import Kind
from zhili.reports.services import GENERATED_KINDS


class ReportRequestForm(forms.Form):
    """The kind and its period: a day for the 日报, an ISO week (2026-W49) for the 周例会 pack."""

    kind = forms.ChoiceField(
        label="报告类别", choices=[(k.value, k.label) for k in GENERATED_KINDS]
    )
    day = forms.CharField(
        label="日报日期",
        max_length=10,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    week = forms.CharField(
        label="周例会周次",
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"type": "week"}),
    )

    def period(self) -> str:
        data: dict[str, Any] = self.cleaned_data
        return (data.get("day") if data.get("kind") == Kind.DAILY else data.get("week")) or ""


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *Kind.choices], required=False)
    period = forms.CharField(label="期次", max_length=10, required=False)
