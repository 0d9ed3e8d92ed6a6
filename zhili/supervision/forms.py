"""Forms of the supervision pages: the list's filters and the three actions' small forms.

They check the shape of the input only; the rules (who may, in which state) live in
`zhili.supervision.services`, whose errors come back beside the field they name.
"""

from django import forms

from zhili.core.dates import DayField
from zhili.core.formfields import text_box
from zhili.supervision.models import Level
from zhili.supervision.selectors import SIDES


class OrderFilterForm(forms.Form):
    """The list's filters. Invalid values are dropped, never an error page."""

    level = forms.ChoiceField(
        label="督办等级", choices=[("", "全部等级"), *Level.choices], required=False
    )
    unit = forms.CharField(label="被督办单位", max_length=40, required=False)
    # Kept as a hidden input: an assessment entry opens the orders to a unit and those under it.
    within = forms.CharField(
        label="被督办单位及其下级", max_length=40, required=False, widget=forms.HiddenInput
    )
    issued_from = DayField(label="下发日期自", required=False)
    issued_to = DayField(label="至", required=False)
    overdue = forms.BooleanField(label="只看答复已超时", required=False)
    due_today = forms.BooleanField(label="只看今日到期", required=False)
    side = forms.ChoiceField(
        label="范围", choices=[("", "全部督办单"), *SIDES.items()], required=False
    )


class AnswerForm(forms.Form):
    cause = text_box(
        "超期原因",
        max_length=2000,
        missing="请填写超期原因",
        placeholder="说明工单超期未办结的原因",
    )
    measures = text_box(
        "整改措施",
        max_length=2000,
        missing="请填写整改措施",
        placeholder="已采取和将要采取的整改措施",
    )


class CloseForm(forms.Form):
    note = text_box("审核意见", max_length=500, optional=True, placeholder="可不填")


class RejectForm(forms.Form):
    reason = text_box(
        "退回理由", max_length=500, missing="请填写退回理由", placeholder="说明答复存在的问题"
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "answer": AnswerForm,
    "close": CloseForm,
    "reject": RejectForm,
}
