from typing import Any

from django import template
from django.conf import settings

from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.forces.models import Force
from zhili.forces.selectors import force_of

register = template.Library()


@register.filter
def distance(metres: float | None) -> str:
    """1234.5 -> "1.23 公里"; under a kilometre in metres."""
    value = metres or 0
    return f"{value / 1000:.2f} 公里" if value >= 1000 else f"{value:.0f} 米"


@register.filter
def duration(seconds: int | None) -> str:
    """3725 -> "1小时2分"; under a minute: "不足1分钟"."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes = rest // 60
    if hours:
        return f"{hours}小时{minutes}分"
    return f"{minutes}分钟" if minutes else "不足1分钟"


_NOT_LOOKED_UP = object()


@register.simple_tag
def handheld_of(user: Any) -> Force | None:
    """The force whose handheld this phone is (None for a user who is no force): asked once
    per request, the pages ask it in several blocks."""
    found = getattr(user, "_zhili_handheld", _NOT_LOOKED_UP)
    if found is _NOT_LOOKED_UP:
        found = force_of(user)
        user._zhili_handheld = found
    return found  # type: ignore[return-value]


@register.simple_tag
def may_use_grid(user: Any) -> bool:
    """The grid worker's part of the app (report, cases, patrols): not for every handheld."""
    return can(user, Action.MOBILE_USE)


@register.simple_tag
def report_seconds() -> int:
    """How often a handheld on duty reports its position."""
    return settings.FORCES_REPORT_SECONDS
