"""Forms of the warning pages: the list's filters, the actions' small forms and a rule's
settings. They check the shape of the input; the rules live in `zhili.warnings.services`."""

from django import forms

from zhili.core.dates import DayField
from zhili.core.formfields import text_box
from zhili.warnings.models import Level, RuleKind, WarningRule
from zhili.warnings.rules import PARAMS


class WarningFilterForm(forms.Form):
    """The list's filters. Invalid values are dropped, never an error page."""

    level = forms.ChoiceField(
        label="预警等级", choices=[("", "全部等级"), *Level.choices], required=False
    )
    kind = forms.ChoiceField(
        label="预警类型", choices=[("", "全部类型"), *RuleKind.choices], required=False
    )
    issued_from = DayField(label="发布日期自", required=False)
    issued_to = DayField(label="至", required=False)
    late = forms.BooleanField(label="只看签收或答复超时", required=False)
    open = forms.BooleanField(label="只看未关闭的", required=False)
    unanswered = forms.BooleanField(label="只看未答复的", required=False)
    # Kept as a hidden input: a report's figure opens the warnings of one responsible unit
    # (the 周例会's open warnings by unit).
    unit = forms.CharField(
        label="责任单位", max_length=40, required=False, widget=forms.HiddenInput
    )
    mine = forms.BooleanField(label="只看发给本单位的", required=False)
    new = forms.BooleanField(label="只看推送给我、尚未查看的", required=False)
    grave = forms.BooleanField(label="只看红色、橙色预警", required=False)


class SignForm(forms.Form):
    pass


class AnswerForm(forms.Form):
    answer = text_box(
        "研判处置情况",
        max_length=2000,
        missing="请填写研判处置情况",
        placeholder="核查了什么、研判结论、已采取和将要采取的稳控化解措施",
    )


class CloseForm(forms.Form):
    note = text_box("审核意见", max_length=500, optional=True, placeholder="可不填")


class RejectForm(forms.Form):
    reason = text_box(
        "退回理由", max_length=500, missing="请填写退回理由", placeholder="说明还需补充的处置"
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "sign": SignForm,
    "answer": AnswerForm,
    "close": CloseForm,
    "reject": RejectForm,
}


class RuleForm(forms.Form):
    """A rule's level, switch, time limits and the thresholds of its kind (one integer field
    per parameter, `param_<name>`; keywords as one comma-separated line)."""

    level = forms.ChoiceField(label="预警等级", choices=Level.choices)
    enabled = forms.BooleanField(label="启用", required=False)
    sign_hours = forms.IntegerField(label="签收时限（小时）", min_value=1, max_value=720)
    answer_hours = forms.IntegerField(label="答复时限（小时）", min_value=1, max_value=720)

    def __init__(self, *args: object, rule: WarningRule, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.rule = rule
        for name, (label, _default, low, high) in PARAMS[rule.kind].items():
            self.fields[f"param_{name}"] = forms.IntegerField(
                label=label, min_value=low, max_value=high
            )
        if rule.kind == RuleKind.GROUP:
            self.fields["param_keywords"] = forms.CharField(
                label="关键词（以逗号分隔）", max_length=1000, required=False
            )

    def params(self) -> dict[str, object]:
        return {
            key.removeprefix("param_"): value
            for key, value in self.cleaned_data.items()
            if key.startswith("param_")
        }


def rule_initial(rule: WarningRule) -> dict[str, object]:
    initial: dict[str, object] = {
        "level": rule.level,
        "enabled": rule.enabled,
        "sign_hours": rule.sign_hours,
        "answer_hours": rule.answer_hours,
    }
    for name in PARAMS[rule.kind]:
        initial[f"param_{name}"] = rule.params.get(name, PARAMS[rule.kind][name][1])
    if rule.kind == RuleKind.GROUP:
        initial["param_keywords"] = "，".join(rule.params.get("keywords", []))
    return initial


def rule_thresholds(rule: WarningRule) -> list[tuple[str, object]]:
    """A rule's thresholds as the rules page names them: (label, value)."""
    shown: list[tuple[str, object]] = [
        (label, rule.params.get(name, default))
        for name, (label, default, _low, _high) in PARAMS[rule.kind].items()
    ]
    if rule.kind == RuleKind.GROUP:
        shown.append(("关键词", "、".join(rule.params.get("keywords", []))))
    return shown
