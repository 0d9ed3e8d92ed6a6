"""Live pushes: small messages to the open pages over the one WebSocket each page keeps
(``/ws/cases/``, zhili/web/consumers.py; the pages' side is zhili/web/static/web/live.js).

Groups:
- ``org.<code>``: every page of a user of that organization, and of the units above it (a
  message goes to the groups of every unit on a path, so the county hears everything);
- ``user.<id>``: every page of one user (a handheld's dispatch, a call to one person).

A message is a dict of primitives (msgpack over Redis) whose ``type`` names it
(``case.update``, ``forces.position``, ...); the socket forwards it to the browser as it is.
Pushes go out after commit and never fail the request that caused them.

With the channel layer (Redis) down, a push stops at its first failure instead of trying
each group, the outage is logged once, and pushes are skipped for a few seconds between
tries (zhili.core.outage); a whole push is bounded by PUSH_TIMEOUT: a dead or stalled
Redis cannot slow intake. Updates made meanwhile are not pushed; pages show them when reloaded.

Without Redis (the in-memory layer, one machine) the sockets are in the web process: a
background process started by `zhili serve --with-background` has `LIVE_RELAY_URL`, and its
pushes go there (`relay`), signed with the secret key, for the web process to deliver
(`deliver`, the view `zhili.core.views.live_relay`).
"""

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable, Mapping

import httpx
from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError

from zhili.core.outage import Outage

log = logging.getLogger(__name__)
layer_outage = Outage("channel layer", log, instead="live updates are not pushed")
# What a channel layer that cannot be reached raises (redis-py's errors; sockets; timeouts,
# PUSH_TIMEOUT's among them).
LAYER_DOWN: tuple[type[Exception], ...] = (RedisError, OSError)
# A whole push, all its groups: milliseconds on a live Redis. The layer's own read timeout is
# longer (it must outlast the 5 s blocking receive, docs/operations.md): without this bound a
# Redis that accepts and never answers would hold the request that pushed for 15 s.
PUSH_TIMEOUT = 2.0
RELAY_HEADER = "X-Zhili-Relay-Signature"


def group_name(code: str) -> str:
    """The group of one organization's pages."""
    return f"org.{code}"


def user_group(user_id: int) -> str:
    """The group of one user's pages."""
    return f"user.{user_id}"


def groups_for(*paths: str) -> list[str]:
    """The groups of every unit on the organizations' `paths` ("/C/T/V/"), each once."""
    codes: dict[str, None] = {}
    for path in paths:
        for code in path.strip("/").split("/"):
            if code:
                codes[code] = None
    return [group_name(code) for code in codes]


async def _send_all(
    layer: BaseChannelLayer, groups: list[str], payload: Mapping[str, object]
) -> None:
    async def send() -> None:
        # The first failure ends the push: the next group would go to the same dead Redis.
        for group in groups:
            await layer.group_send(group, dict(payload))

    await asyncio.wait_for(send(), PUSH_TIMEOUT)


def _about(payload: Mapping[str, object]) -> str:
    return str(payload.get("case_no") or payload.get("number") or payload.get("type"))


def push(groups: Iterable[str], payload: Mapping[str, object]) -> None:
    """Send `payload` to `groups` now (callers in a transaction use `push_after_commit`)."""
    groups = list(groups)
    if settings.LIVE_RELAY_URL:
        relay(groups, payload)
    else:
        deliver(groups, payload)


def relay_signature(body: bytes) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), body, hashlib.sha256).hexdigest()


def relay(groups: list[str], payload: Mapping[str, object]) -> None:
    """Hand the push to the web process, whose memory holds the sockets (no Redis)."""
    if not groups or layer_outage.paused():
        return
    body = json.dumps({"groups": groups, "payload": payload}, default=str).encode()
    headers = {"Content-Type": "application/json", RELAY_HEADER: relay_signature(body)}
    try:
        answer = httpx.post(
            settings.LIVE_RELAY_URL, content=body, headers=headers, timeout=PUSH_TIMEOUT
        )
        answer.raise_for_status()
    except httpx.HTTPError as exc:
        if not layer_outage.down:
            log.warning("live update for %s not relayed: %s", _about(payload), exc)
        layer_outage.failed(exc)
    else:
        layer_outage.succeeded()


def deliver(groups: list[str], payload: Mapping[str, object]) -> None:
    """Send `payload` to `groups` through this process's channel layer."""
    layer = get_channel_layer()
    if layer is None or not groups or layer_outage.paused():
        return
    try:
        # One event loop for all the groups: async_to_sync sets one up per call.
        async_to_sync(_send_all)(layer, groups, payload)
    except LAYER_DOWN as exc:
        if not layer_outage.down:  # the outage's first failure: its traceback, once
            log.exception("live update for %s not delivered", _about(payload))
        layer_outage.failed(exc)
    except Exception:  # not an outage (a full channel, a bug): this update only
        log.exception("live update for %s not delivered", _about(payload))
    else:
        layer_outage.succeeded()


def push_after_commit(groups: Iterable[str], payload: Mapping[str, object]) -> None:
    groups = list(groups)
    transaction.on_commit(lambda: push(groups, payload))
