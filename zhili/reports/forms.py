from typing import Any

from django import forms

from zhili.reports.models import Kind
from zhili.reports.services import GENERATED_KINDS


class ReportRequestForm(forms.Form):
    """The kind and its period: a day for the 日报, an ISO week (2026-W49) for the 周例会 pack, a
    month (2026-11) for the 月分析, a quarter (2026-Q4) for the 季点评."""

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

    month = forms.CharField(
        label="月分析月份",
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    quarter = forms.CharField(
        label="季点评季度",
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如 2026-Q4", "size": 8}),
    )

    def period(self) -> str:
        data: dict[str, Any] = self.cleaned_data
        field = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter"}
        return data.get(field.get(str(data.get("kind") or ""), "day")) or ""


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *Kind.choices], required=False)
    period = forms.CharField(label="期次", max_length=10, required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label="领导点评", widget=forms.Textarea(attrs={"rows": 5}))
