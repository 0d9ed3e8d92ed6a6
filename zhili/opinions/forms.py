"""Forms of the 舆情 pages: the register's filters, an item registered, the response."""

from django import forms

from zhili.core.dates import DayField, MomentField
from zhili.core.formfields import text_box, text_line
from zhili.opinions.models import Heat, OpinionState, Source


class OpinionFilterForm(forms.Form):
    state = forms.ChoiceField(choices=[("", "全部"), *OpinionState.choices], required=False)
    heat = forms.ChoiceField(choices=[("", "全部热度"), *Heat.choices], required=False)
    source = forms.ChoiceField(choices=[("", "全部来源"), *Source.choices], required=False)
    found_from = DayField(required=False)
    found_to = DayField(required=False)


class OpinionForm(forms.Form):
    title = text_line("标题", max_length=200)
    source = forms.ChoiceField(label="来源", choices=Source.choices)
    url = forms.CharField(label="链接", max_length=500)
    heat = forms.ChoiceField(label="热度", choices=Heat.choices)
    views = forms.IntegerField(label="阅读/播放量", min_value=0, required=False)
    found_at = MomentField(label="发现时间")
    place = forms.ChoiceField(label="涉及地区", choices=[], required=False)
    summary = text_box("内容摘要", max_length=5000, missing="请填写内容摘要")


class RespondForm(forms.Form):
    response = text_box(
        "回应处置情况",
        max_length=5000,
        missing="请填写回应处置情况",
        placeholder="核实情况、发布回应、处置措施和结果",
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {"respond": RespondForm}
