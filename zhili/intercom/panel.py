"""What the push-to-talk panel needs to draw itself (the desk page and the handheld's
include): the groups and the URLs of the API."""

from typing import Any

from django.urls import reverse

from zhili.core.types import Actor
from zhili.intercom import services
from zhili.intercom.models import GroupKind


def panel_context(user: Actor, subject: str = "") -> dict[str, Any]:
    """The panel of `user`'s groups; a `subject`'s group (an incident's) first, so the panel
    joins it at once."""
    groups = services.groups_of(user=user)
    if subject:
        groups.sort(key=lambda g: not (g.kind == GroupKind.SUBJECT and g.subject == subject))
    return {
        "intercom_groups": groups,
        "intercom_config": {
            "groupsUrl": reverse("api:intercom_groups"),
            "me": user.pk,
            "tokenUrl": reverse("api:intercom_token"),
            "groups": [
                {
                    "id": g.pk,
                    "name": g.name,
                    "kind": g.kind,
                    "speaker": services._speaker_name(g),
                    "join": reverse("api:intercom_join", args=[g.pk]),
                    "leave": reverse("api:intercom_leave", args=[g.pk]),
                    "floor": reverse("api:intercom_floor_take", args=[g.pk]),
                }
                for g in groups
            ],
        },
    }
