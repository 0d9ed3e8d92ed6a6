"""Form fields the pages' forms share: the free-text box, the one-line text input and the
rating picked from radio buttons."""

from collections.abc import Iterable

from django import forms


def text_box(
    label: str,
    *,
    max_length: int | None = None,
    rows: int = 3,
    missing: str = "",
    optional: bool = False,
    placeholder: str = "",
    help_text: str = "",
) -> forms.CharField:
    """A free-text box of `rows` rows. `missing` is the message shown when a required box is
    left empty (Django's own when not given); `placeholder` the grey hint inside the box."""
    attrs: dict[str, object] = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    widget = forms.Textarea(attrs=attrs)
    return _char_field(label, widget, max_length, missing, optional, help_text)


def text_line(
    label: str,
    *,
    max_length: int | None = None,
    missing: str = "",
    optional: bool = False,
    help_text: str = "",
    **attrs: str,
) -> forms.CharField:
    """A one-line text input with the HTML attributes `attrs` (placeholder, inputmode,
    autocomplete); `missing` as for `text_box`."""
    widget = forms.TextInput(attrs=attrs or None)
    return _char_field(label, widget, max_length, missing, optional, help_text)


def _char_field(
    label: str,
    widget: forms.Widget,
    max_length: int | None,
    missing: str,
    optional: bool,
    help_text: str,
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=not optional,
        widget=widget,
        help_text=help_text,
        error_messages={"required": missing} if missing else None,
    )


def rating_choice(label: str, choices: Iterable[tuple[str, str]]) -> forms.ChoiceField:
    """A rating (满意, 基本满意, 不满意…) picked from radio buttons; none picked, or one not
    offered, asks for one."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价", "invalid_choice": "请选择评价"},
    )
