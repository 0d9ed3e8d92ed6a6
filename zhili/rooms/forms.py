"""The form of the meetings page: a video meeting scheduled with its invited units."""

from django import forms

from zhili.core.dates import MomentField
from zhili.core.formfields import text_box, text_line
from zhili.orgs.pickers import unit_kinds_field


class MeetingForm(forms.Form):
    title = text_line("会议名称", max_length=64)
    starts_at = MomentField(
        label="开始时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    groups = unit_kinds_field("参会单位（整类）")
    organizations = forms.MultipleChoiceField(label="参会单位（逐个）", choices=[], required=False)
    agenda = text_box(
        "议程",
        rows=4,
        optional=True,
        max_length=4000,
        placeholder="每行一项，如：各乡镇排查情况汇报",
    )
