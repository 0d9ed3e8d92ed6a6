"""What the mediation forms share: widgets, input formats and the typed choice field."""

from typing import cast

from django import forms

from zhili.core.dates import MomentField

TEXTAREA = {"rows": 3}
LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, typed (its choices are set per request)."""
    return cast(forms.ChoiceField, form.fields[name])


def moment_field(label: str, blank_means: str = "") -> MomentField:
    """An optional date and time on a datetime-local input; `blank_means` what an empty one
    stands for (现在, 达成时间)."""
    return MomentField(
        label=label,
        required=False,
        widget=LOCAL_DT,
        input_formats=DT_FORMATS,
        help_text=f"不填为{blank_means}" if blank_means else "",
    )
