"""`seconds|watch_time`: a length or a watch time as an officer reads it (45秒, 12分30秒,
1小时05分)."""

from django import template

register = template.Library()


@register.filter
def watch_time(seconds: float | None) -> str:
    total = round(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes:02d}分"
    if minutes:
        return f"{minutes}分{secs:02d}秒" if secs else f"{minutes}分钟"
    return f"{secs}秒"
