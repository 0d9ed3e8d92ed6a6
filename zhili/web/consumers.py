"""The WebSocket every signed-in page keeps open (/ws/cases/, the name it was born with):
live updates of cases, forces, incidents and calls (zhili.core.live).

A signed-in user's socket joins the group of their own organization (``org.<code>``) and
their own (``user.<id>``). Pushes go to every unit on a record's paths, so a unit hears about
what it dispatches or handles and about everything below it; a county-wide user (scope
"everything") joins the county root's group, which hears about everything. Every message a
group receives goes to the browser as it is; the browser's messages are ignored.

An anonymous or inactive user is accepted and then closed with code 4401, so that the
browser sees the code (a refused handshake shows only as 1006) and stops reconnecting.
A user with no organization is closed with 4403.
"""

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from zhili.core.live import group_name, user_group
from zhili.core.scope import scope_for
from zhili.core.types import Actor
from zhili.orgs.models import Organization

UNAUTHENTICATED = 4401
NO_ORGANIZATION = 4403


def groups_for_user(user: Actor) -> list[str]:
    """The groups whose updates `user` may hear: their unit's, or the county root's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    org = user.organization
    if scope_for(user).everything:
        if org is not None:
            return [group_name(org.path.strip("/").split("/")[0])]
        # A superuser or leader outside the tree: every root (there is one county).
        roots = Organization.objects.filter(parent__isnull=True).values_list("code", flat=True)
        return [group_name(code) for code in roots]
    return [group_name(org.code)] if org is not None else []


class LiveConsumer(AsyncJsonWebsocketConsumer):
    joined: list[str]

    async def connect(self) -> None:
        self.joined = []
        user = self.scope.get("user")
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            await self.accept()
            await self.close(code=UNAUTHENTICATED)
            return
        groups = await database_sync_to_async(groups_for_user)(user)
        if not groups:
            await self.accept()
            await self.close(code=NO_ORGANIZATION)
            return
        groups = [*groups, user_group(user.pk)]
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = groups
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: object, **kwargs: object) -> None:
        """The socket only talks one way; a client's message is ignored."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        """The socket's own messages (websocket.*) go to their handlers; a group's message,
        whatever its type, goes to the browser as it is."""
        if message["type"].startswith("websocket."):
            await super().dispatch(message)
        else:
            await self.send_json(message)
