"""The filter forms of the report pages. Invalid values are reported beside their field."""

from datetime import date

from django import forms
from django.utils import timezone

from zhili.core.dates import DayField
from zhili.core.formfields import text_box
from zhili.mediation.models import DisputeKind
from zhili.mediation.reports import ranking

KIND_CHOICES = [("", "全部类型"), *DisputeKind.choices]


class MonthForm(forms.Form):
    month = forms.CharField(label="统计月份", required=False, max_length=7)
    unit = forms.CharField(label="统计单位", required=False, max_length=40)

    def clean_month(self) -> tuple[int, int]:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            today = timezone.localdate()
            return today.year, today.month
        try:
            year, month = (int(part) for part in value.split("-"))
        except ValueError as exc:
            raise forms.ValidationError("统计月份格式应为 2026-11") from exc
        if not (2000 <= year <= 2099 and 1 <= month <= 12):
            raise forms.ValidationError("统计月份不正确")
        return year, month

    def period(self) -> tuple[int, int]:
        if self.is_valid():
            return self.cleaned_data["month"]
        today = timezone.localdate()
        return today.year, today.month


class PeriodKindForm(forms.Form):
    start = DayField(label="归档日期自", required=False)
    end = DayField(label="至", required=False)
    kind = forms.ChoiceField(label="纠纷类型", choices=KIND_CHOICES, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "结束日期不能早于开始日期")
        return data


class SearchForm(PeriodKindForm):
    q = forms.CharField(label="关键词", required=False, max_length=100)


class RankingForm(forms.Form):
    start = DayField(label="开始日期", required=False)
    end = DayField(label="结束日期", required=False)
    min_cases = forms.IntegerField(
        label="最低调结件数", required=False, min_value=1, max_value=1000
    )

    def values(self) -> tuple[date, date, int]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        return start, data.get("end") or today, data.get("min_cases") or ranking.MIN_CASES


class MarkForm(forms.Form):
    note = text_box("案例评析", max_length=2000, missing="请填写案例评析（典型意义）")


class UnmarkForm(forms.Form):
    reason = forms.CharField(label="取消理由", required=False, max_length=2000)
