"""Template helpers shared by every page: masking personal data, role labels."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html

from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.roles import Role
from zhili.core.types import Actor

register = template.Library()

ROLE_LABELS = dict(Role.choices)


# 138****5678: phone numbers are masked in every list and detail by default.
register.filter("mask_phone", mask_phone)
register.filter("mask_id_number", mask_id_number)


@register.filter
def role_label(code: str) -> str:
    return ROLE_LABELS.get(code, code)


@register.filter
def role_labels(user: Actor) -> list[str]:
    """Chinese labels of a user's roles, in the order of the Role table."""
    codes = {g.name for g in user.groups.all()}
    return [label for code, label in Role.choices if code in codes]


@register.filter
def join_names(people: Iterable[Actor]) -> str:
    return "、".join(p.display_name for p in people)


PROVISIONAL_TITLE = (
    "该时限经过节假日安排尚未公布的年份，按周末和法定节假日临时计算；"
    "国务院通知公布、管理员录入后自动重新计算"
)


@register.simple_tag
def provisional_mark(provisional: bool) -> str:
    """The mark beside a deadline counted on a provisional year (zhili.core.workcal)."""
    if not provisional:
        return ""
    return format_html(
        '<span class="badge provisional" data-testid="provisional" title="{}">临时日历</span>',
        PROVISIONAL_TITLE,
    )
