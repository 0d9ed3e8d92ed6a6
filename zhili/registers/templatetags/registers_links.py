"""`{% dossier_links record %}`: a dossier page's card of its tracking code (一案一码, with the
QR) and the people and houses it names (一人一档), for the page's viewer."""

from typing import Any

from django import template

from zhili.core.dossier.codes import Found, code_path, tracked_of
from zhili.core.qr import qr_svg
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.registers import mentions
from zhili.registers.models import MentionRelation

register = template.Library()


@register.inclusion_tag("registers/_dossier_links.html", takes_context=True)
def dossier_links(context: template.Context, record: Any) -> dict[str, object]:
    request = context.get("request")
    tracked = tracked_of(record)
    if tracked is None or request is None:  # not a page (a document, a mail)
        return {"card": None}
    found = Found(tracked, record)
    url = request.build_absolute_uri(code_path(found.code))
    return {
        "card": mentions.links_of(request.user, found),
        "code": found.code,
        "code_url": url,
        "qr": qr_svg(url, title=f"{tracked.kind.noun} {found.code}"),
        "may_link": can(request.user, Action.REGISTERS_VIEW),
        "relations": mentions.PERSON_RELATIONS,
        "concerned": MentionRelation.CONCERNED,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
