"""Template helpers shared by every page: masking personal data, role labels."""

from collections.abc import Iterable
from typing import Any

from django import template

from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.roles import Role

register = template.Library()

ROLE_LABELS = dict(Role.choices)


# 138****5678: phone numbers are masked in every list and detail by default.
register.filter("mask_phone", mask_phone)
register.filter("mask_id_number", mask_id_number)


@register.filter
def role_label(code: str) -> str:
    return ROLE_LABELS.get(code, code)


@register.filter
def role_labels(user: Any) -> list[str]:
    """Chinese labels of a user's roles, in the order of the Role table."""
    codes = {g.name for g in user.groups.all()}
    return [label for code, label in Role.choices if code in codes]


@register.filter
def join_names(people: Iterable[Any]) -> str:
    return "、".join(p.display_name for p in people)
