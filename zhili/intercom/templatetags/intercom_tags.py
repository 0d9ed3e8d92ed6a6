"""`{% intercom_panel user %}`: the push-to-talk panel on a page of another app (the
handheld's home at /m/), with its groups, its script and the live socket."""

from typing import Any

from django import template

from zhili.core.types import Actor
from zhili.intercom.panel import panel_context

register = template.Library()


@register.inclusion_tag("intercom/_handheld.html")
def intercom_panel(user: Actor) -> dict[str, Any]:
    return panel_context(user)
