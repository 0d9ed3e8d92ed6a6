from django import forms

from zhili.cases.models import Category
from zhili.incidents.models import Level, Plan


class OpenForm(forms.Form):
    """The desk's form to open an incident (转为指挥事件: with a case number)."""

    category = forms.ModelChoiceField(
        Category.objects.order_by("path"),
        label="事项分类",
        to_field_name="code",
        empty_label="请选择分类",
    )
    title = forms.CharField(label="标题", max_length=200)
    level = forms.ChoiceField(label="等级", choices=Level.choices)
    plan = forms.ModelChoiceField(
        Plan.objects.all(),
        label="预案",
        required=False,
        to_field_name="code",
        empty_label="按分类和等级自动匹配",
    )
    case_no = forms.CharField(label="关联工单编号", max_length=30, required=False)
    lat = forms.FloatField(label="纬度", min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(label="经度", min_value=-180, max_value=180, widget=forms.HiddenInput)
