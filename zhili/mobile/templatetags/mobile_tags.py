from django import template

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
