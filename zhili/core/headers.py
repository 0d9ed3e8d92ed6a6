"""Response headers every page and API answer carries: the Content-Security-Policy and the
caching rule. One middleware, so a view cannot forget them.

Content-Security-Policy: scripts, styles, fonts and pages come from the platform itself.
- ``script-src 'self'``: no inline ``<script>`` and no ``on…=`` attribute anywhere; page
  behaviour lives in static files (``web/behaviours.js`` handles ``data-confirm``,
  ``data-autosubmit`` and ``data-print``). JSON for scripts is embedded with
  ``json_script`` (``type="application/json"``, never executed).
- ``style-src 'self'`` with ``style-src-attr 'unsafe-inline'``: style sheets are files, no
  ``<style>`` element; ``style="…"`` attributes stay allowed because Leaflet, ECharts' tooltips
  and a few templates set them (an attribute cannot load anything or run script).
- ``img-src 'self' data: blob:`` plus the origin of ``ZHILI_MAP_TILE_URL`` when tiles come from
  a tile server; ``blob:`` for photos previewed before upload on the phone.
- ``connect-src 'self'`` plus ``ws://`` / ``wss://`` on the page's own host (live updates on
  ``/ws/cases/``; older browsers do not count a WebSocket to the same host as 'self'), and
  the media gateways' WebSockets (``JANUS_WS_URLS``: live video).
- ``frame-ancestors 'none'``, ``object-src 'none'``, ``base-uri 'self'``,
  ``form-action 'self'``.
`ZHILI_CSP_EXTRA` adds sources per directive (e.g. a Janus gateway's address in
connect-src) without touching this module.

Caching: a response that did not choose its own ``Cache-Control`` gets ``no-store``. Every
dynamic answer here is either a signed-in user's page, an API answer that may hold personal
data, or a public form that carries a one-time token; none may sit in a browser's or a
proxy's cache (nor in the back/forward cache after logging out). Views that are safe to cache
say so themselves (the phone app's manifest, the citizen page's township outlines). Static
files are served before this middleware (WhiteNoise) and keep their long cache lifetimes.
"""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CSP = "Content-Security-Policy"


def _origin(url: str) -> str:
    """The origin of a tile URL template; Leaflet's ``{s}`` subdomain becomes ``*``."""
    parts = urlsplit(url.replace("{s}", "subdomain-placeholder"))
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('subdomain-placeholder', '*')}"


@lru_cache(maxsize=4)
def _base_policy(
    tile_url: str, extra: tuple[tuple[str, tuple[str, ...]], ...], gateways: tuple[str, ...]
) -> dict:
    policy: dict[str, list[str]] = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    tiles = _origin(tile_url) if tile_url else ""
    if tiles:
        policy["img-src"].append(tiles)
    policy["connect-src"] += [origin for origin in map(_origin, gateways) if origin]
    for directive, sources in extra:
        policy.setdefault(directive, ["'self'"]).extend(sources)
    return policy


def content_security_policy(request: HttpRequest) -> str:
    extra = getattr(settings, "ZHILI_CSP_EXTRA", {}) or {}
    base = _base_policy(
        getattr(settings, "ZHILI_MAP_TILE_URL", "") or "",
        tuple(sorted((k, tuple(v)) for k, v in extra.items())),
        tuple(getattr(settings, "JANUS_WS_URLS", ())),
    )
    policy = {directive: list(sources) for directive, sources in base.items()}
    try:
        host = request.get_host()
    except DisallowedHost:  # answered 400 already; no socket to allow
        host = ""
    if host:
        policy["connect-src"] += [f"ws://{host}", f"wss://{host}"]
    return "; ".join(f"{d} {' '.join(s)}" for d, s in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP not in response:
            response[CSP] = content_security_policy(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response
