"""The platform's calls to Janus's HTTP API: a session with a plugin attached (the Streaming
plugin's mountpoints for the live view, the VideoRoom plugin's rooms for zhili/rooms).

Every error is one of two: `GatewayDown` (Janus cannot be reached or answers nonsense: the pages
say the gateway is not running) and `GatewayRefused` (Janus answered with an error, e.g. the
camera's RTSP server would not give its stream).
"""

import itertools
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

import httpx
from django.utils import timezone

from zhili.video.gateway.tokens import AUDIOBRIDGE, STREAMING, VIDEOROOM, sign

Json = dict[str, object]
_transactions = itertools.count()


class GatewayDown(Exception):
    pass


class GatewayRefused(Exception):
    def __init__(self, code: int, reason: str):
        super().__init__(f"{code}: {reason}")
        self.code, self.reason = code, reason


@dataclass(frozen=True)
class Gateway:
    """One Janus instance: where the platform calls it and where browsers reach it."""

    api_url: str
    ws_url: str
    token_secret: str
    admin_key: str
    timeout: float = 10.0


class PluginHandle:
    def __init__(self, gateway: Gateway, client: httpx.Client, url: str, token: str):
        self.gateway, self.client, self.url, self.token = gateway, client, url, token

    def request(self, body: Json) -> Json:
        """Send a request to the attached plugin; its answer's data, or `GatewayRefused`."""
        answer = _post(self.client, self.url, {"janus": "message", "body": body}, self.token)
        data = answer.get("plugindata", {}).get("data", {})  # type: ignore[attr-defined]
        if not isinstance(data, dict):
            raise GatewayDown(f"Janus answered without plugin data: {answer}")
        if "error_code" in data:
            raise GatewayRefused(int(data["error_code"]), str(data.get("error", "")))
        return data

    def admin(self, body: Json) -> Json:
        return self.request({**body, "admin_key": self.gateway.admin_key})


def _post(client: httpx.Client, url: str, message: Json, token: str) -> Json:
    message = {**message, "transaction": f"z{next(_transactions)}", "token": token}
    try:
        answer = client.post(url, json=message).json()
    except (httpx.HTTPError, ValueError) as exc:
        raise GatewayDown(str(exc)) from exc
    if not isinstance(answer, dict):
        raise GatewayDown(f"Janus answered {answer!r}")
    if answer.get("janus") == "error":
        error = answer.get("error", {})
        raise GatewayDown(f"Janus refused the request: {error}")
    return answer


StreamingHandle = PluginHandle  # the live view's name for it


@contextmanager
def attached(gateway: Gateway, plugin: str) -> Iterator[PluginHandle]:
    """A Janus session with `plugin` attached, destroyed on leaving."""
    expires_at = timezone.now() + timedelta(minutes=5)
    token = sign(gateway.token_secret, expires_at=expires_at, plugins=(plugin,))
    with httpx.Client(timeout=gateway.timeout) as client:
        session = _post(client, gateway.api_url, {"janus": "create"}, token)
        session_url = f"{gateway.api_url.rstrip('/')}/{_id(session)}"
        try:
            handle = _post(client, session_url, {"janus": "attach", "plugin": plugin}, token)
            yield PluginHandle(gateway, client, f"{session_url}/{_id(handle)}", token)
        finally:
            with suppress(GatewayDown):  # the session times out on its own
                _post(client, session_url, {"janus": "destroy"}, token)


def streaming(gateway: Gateway) -> AbstractContextManager[PluginHandle]:
    """A Janus session with the Streaming plugin attached (the live view's mountpoints)."""
    return attached(gateway, STREAMING)


def videoroom(gateway: Gateway) -> AbstractContextManager[PluginHandle]:
    """A Janus session with the VideoRoom plugin attached (zhili/rooms)."""
    return attached(gateway, VIDEOROOM)


def audiobridge(gateway: Gateway) -> AbstractContextManager[PluginHandle]:
    """A Janus session with the AudioBridge plugin attached (zhili/intercom's talk groups)."""
    return attached(gateway, AUDIOBRIDGE)


def _id(answer: Json) -> int:
    data = answer.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        raise GatewayDown(f"Janus answered without an id: {answer}")
    return data["id"]


def ping(gateway: Gateway) -> bool:
    """Whether Janus answers (its `info` needs no token)."""
    try:
        with httpx.Client(timeout=2.0) as client:
            return client.post(
                gateway.api_url, json={"janus": "info", "transaction": "p"}
            ).is_success
    except httpx.HTTPError:
        return False
