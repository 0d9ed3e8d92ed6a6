from django import forms

from zhili.reports.models import Kind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="报告类别", choices=[(Kind.DAILY.value, Kind.DAILY.label)])
    period = forms.CharField(
        label="日期", max_length=10, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *Kind.choices], required=False)
    period = forms.CharField(label="期次", max_length=10, required=False)


class DeliverForm(forms.Form):
    units = forms.MultipleChoiceField(label="接收单位", choices=[], required=False)
