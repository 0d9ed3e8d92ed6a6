"""Rate limits: a fixed-window counter per (action, client) in the shared cache.

The cache is Redis in production (one counter shared by every process and machine) and local
memory by default (one counter per process: good enough for one machine, and for tests). With
Redis down, zhili.core.sharedcache counts in this process's memory: the limit still holds,
per process. The limits live in `settings.ZHILI_RATE_LIMITS` as
``action -> (requests, window seconds)``.

A fixed window lets a client send up to twice the limit around a window's edge; that is
acceptable against robots and costs one cache round trip (``add`` + ``incr``) per request.

    try:
        ratelimit.hit("portal.report", ratelimit.client_key(request))
    except ratelimit.RateLimited as exc:
        ...  # a 429 page saying when to retry: exc.retry_after seconds, exc.until
"""

import functools
import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest

from zhili.core import sharedcache

PREFIX = "ratelimit"


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: int


class RateLimited(Exception):
    """Too many requests for `action`; the window ends `retry_after` seconds from now."""

    def __init__(self, action: str, retry_after: int):
        super().__init__(f"{action}: retry after {retry_after}s")
        self.action = action
        self.retry_after = retry_after
        self.until = datetime.fromtimestamp(time.time() + retry_after, tz=UTC)


def limit_for(action: str) -> Limit:
    """The configured limit of `action`; an action with no entry is a programming error."""
    requests, seconds = settings.ZHILI_RATE_LIMITS[action]
    return Limit(int(requests), int(seconds))


def _key(action: str, client: str, window: int) -> str:
    # Hash the client part: IPv6 addresses and case numbers make ragged keys, and some cache
    # backends (memcached) refuse spaces and long keys.
    digest = hashlib.blake2b(client.encode(), digest_size=12).hexdigest()
    return f"{PREFIX}:{action}:{digest}:{window}"


def _window(limit: Limit, now: float) -> tuple[int, int]:
    """(window number, seconds until it ends)."""
    number = int(now // limit.seconds)
    ends = (number + 1) * limit.seconds
    return number, max(math.ceil(ends - now), 1)


def hit(action: str, client: str) -> int:
    """Count one request of `client` for `action`; the count so far in this window.

    Raises RateLimited when the count passes the limit (the request must be refused).
    """
    limit = limit_for(action)
    number, left = _window(limit, time.time())
    key = _key(action, client, number)
    sharedcache.add(key, 0, timeout=left + 1)
    try:
        count = sharedcache.incr(key)
    except ValueError:  # the key expired between add and incr: this request opens a window
        sharedcache.set(key, 1, timeout=left + 1)
        count = 1
    if count > limit.requests:
        raise RateLimited(action, left)
    return count


def check(action: str, client: str) -> None:
    """Raise RateLimited if `client` is already over the limit, without counting a request.

    For limits that count only failures: `check` before the attempt, `hit` after a failure.
    """
    limit = limit_for(action)
    number, left = _window(limit, time.time())
    count = sharedcache.get(_key(action, client, number)) or 0
    if count >= limit.requests:
        raise RateLimited(action, left)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies saw.

    `settings.ZHILI_TRUSTED_PROXIES` names the reverse proxies in front of the application:
    a list of addresses or networks (``["10.0.0.5", "10.1.0.0/16"]``). X-Forwarded-For is read
    only when REMOTE_ADDR is one of them, from the right, skipping the listed proxies: the
    first address that is not a trusted proxy is the client. A client that reaches the
    application directly cannot forge its address with the header. An integer (the older
    form) trusts that many proxies whatever REMOTE_ADDR is. Empty or 0 (the default): the
    header is ignored. Whatever the header holds, the answer is an IP address or "".
    """
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "ZHILI_TRUSTED_PROXIES", 0)
    if not proxies:
        return address
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in chain if a]
    if isinstance(proxies, int):
        if len(chain) >= proxies and _ip(chain[-proxies]) is not None:
            return chain[-proxies]
        return address
    return _past_trusted_proxies(address, chain, _networks(tuple(proxies)))


def _past_trusted_proxies(address: str, chain: list[str], networks: tuple[Network, ...]) -> str:
    """The first hop from the right of the forwarded `chain` that is not a trusted proxy,
    when the request came from one (`address`)."""
    if not _trusted(address, networks):
        return address
    for hop in reversed(chain):
        if _ip(hop) is None:
            break  # a trusted proxy never writes this: the rest of the header is forged
        address = hop
        if not _trusted(hop, networks):
            break
    return address


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in networks)


def client_key(request: HttpRequest) -> str:
    """The client as a rate-limit key. An IPv6 client counts by its /64: one household or
    phone gets a whole /64 and could otherwise rotate through it."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6 and ip.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip.ipv4_mapped or ip) if ip.version == 6 else str(ip)
