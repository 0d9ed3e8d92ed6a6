"""What the mediation forms share: widgets, input formats and the typed choice field."""

from typing import cast

from django import forms

TEXTAREA = {"rows": 3}
LOCAL_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """The form's choice field `name`, typed (its choices are set per request)."""
    return cast(forms.ChoiceField, form.fields[name])
