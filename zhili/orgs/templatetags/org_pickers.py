"""Naming and choosing units in templates (zhili.orgs.pickers):
{% unit_options units selected blank %} writes the <option>s of a unit picker; `org|unit_label`
names a unit with its parent (花园社区综治中心（牛山街道）)."""

from collections.abc import Iterable

from django import template

from zhili.orgs.models import Organization
from zhili.orgs.pickers import unit_groups, unit_label

register = template.Library()
register.filter("unit_label", unit_label)


@register.inclusion_tag("orgs/_unit_options.html")
def unit_options(units: Iterable[Organization], selected: object = None, blank: str = "") -> dict:
    """`selected`: a code or a list of codes; `blank`: the label of an empty first option
    (selected when nothing is), so that no unit is chosen for the user."""
    if isinstance(selected, list | tuple | set):
        codes = {str(c) for c in selected}
    else:
        codes = {str(selected)} if selected else set()
    return {"groups": unit_groups(units), "selected": codes, "blank": blank}
