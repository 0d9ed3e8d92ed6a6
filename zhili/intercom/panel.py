"""What the push-to-talk panel needs to draw itself (the desk page and the handheld's
include): the groups, the people one may call (单呼) and the URLs of the API."""

from typing import Any

from django.urls import reverse

from zhili.core.types import Actor
from zhili.intercom import selectors, services
from zhili.intercom.models import GroupKind


def panel_context(user: Actor, subject: str = "") -> dict[str, Any]:
    """The panel of `user`'s groups; a `subject`'s group (an incident's) first, so the panel
    joins it at once; the individual calls last (the panel never calls someone by itself)."""
    groups = services.groups_of(user=user)
    groups.sort(
        key=lambda g: (
            not (subject and g.kind == GroupKind.SUBJECT and g.subject == subject),
            g.kind == GroupKind.DIRECT,
        )
    )
    partners = selectors.call_partners(user=user, groups=groups)
    rows = [
        {
            "id": g.pk,
            "name": selectors.call_title(partners[g.pk][1]) if g.pk in partners else g.name,
            # An individual call's other person: the list of people to call marks them.
            "partner": partners[g.pk][0] if g.pk in partners else None,
            "partner_name": partners[g.pk][1] if g.pk in partners else "",
            "kind": g.kind,
            "kind_label": g.get_kind_display(),
            "speaker": services._speaker_name(g),
            "join": reverse("api:intercom_join", args=[g.pk]),
            "leave": reverse("api:intercom_leave", args=[g.pk]),
            "floor": reverse("api:intercom_floor_take", args=[g.pk]),
        }
        for g in groups
    ]
    callees = selectors.callees(user=user)
    return {
        "intercom_groups": rows,
        "intercom_callees": callees,
        "intercom_teams": list(dict.fromkeys(c.team for c in callees)),
        "intercom_config": {
            "groupsUrl": reverse("api:intercom_groups"),
            "directUrl": reverse("api:intercom_direct"),
            "me": user.pk,
            "tokenUrl": reverse("api:intercom_token"),
            "groups": rows,
        },
    }
