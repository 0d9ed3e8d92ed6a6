"""The WebSocket that carries live case updates to the open pages (/ws/cases/).

A signed-in user's socket joins the group of their own organization (``org.<code>``, see
zhili.cases.live). live.py sends each update to every unit on the case's paths, so a unit
hears about the cases it dispatches or handles and about everything below it; a county-wide
user (scope "everything") joins the county root's group, which hears about every case.

An anonymous or inactive user is accepted and then closed with code 4401, so that the
browser sees the code (a refused handshake shows only as 1006) and stops reconnecting.
A user with no organization is closed with 4403.
"""

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from zhili.cases.live import Message, group_name
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


class CaseUpdatesConsumer(AsyncJsonWebsocketConsumer):
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
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = groups
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """The socket only talks one way; a client's message is ignored."""

    async def case_update(self, event: Message) -> None:
        await self.send_json(event)
