"""Form fields the pages' forms share: the free-text box."""

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
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=not optional,
        widget=forms.Textarea(attrs=attrs),
        help_text=help_text,
        error_messages={"required": missing} if missing else None,
    )
