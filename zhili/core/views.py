import hmac
import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from zhili.core import health, live

HEALTHY = ("ok", "starting")


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "missing"

    async def roundtrip() -> bool:
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz.ping"})
        return (await layer.receive(channel))["type"] == "healthz.ping"

    return "ok" if async_to_sync(roundtrip)() else "no echo"


def _check_cache() -> str:
    key = f"healthz:{get_random_string(12)}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return "ok" if found == "1" else "no echo"


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Unauthenticated and cheap: verdicts, ages in seconds and names, never a record."""
    checks: dict[str, str] = {}
    ages: dict[str, int | None] = {}
    probes = (
        ("database", _check_database),
        ("channel_layer", _check_channel_layer),
        ("cache", _check_cache),
    )
    for name, check in probes:
        try:
            checks[name] = check()
        except Exception as exc:
            checks[name] = f"error: {exc.__class__.__name__}"
    if checks["database"] == "ok":
        try:
            background, ages = health.background_checks()
            checks.update(background)
        except Exception as exc:
            checks["background"] = f"error: {exc.__class__.__name__}"
    failed = [name for name, verdict in checks.items() if verdict not in HEALTHY]
    body = {"status": "error" if failed else "ok", **checks, "ages": ages, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)


@csrf_exempt  # signed with the secret key instead; no session, no page
@require_POST
def live_relay(request: HttpRequest) -> HttpResponse:
    """A background process's push, delivered to this process's sockets (zhili.core.live)."""
    signature = request.headers.get(live.RELAY_HEADER, "")
    if not hmac.compare_digest(signature, live.relay_signature(request.body)):
        return JsonResponse({"detail": "签名无效", "field": "signature"}, status=403)
    try:
        message = json.loads(request.body)
        groups, payload = message["groups"], message["payload"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": "内容无效", "field": "body"}, status=400)
    if not isinstance(payload, dict) or not all(isinstance(g, str) for g in groups):
        return JsonResponse({"detail": "内容无效", "field": "body"}, status=400)
    live.deliver(list(groups), payload)
    return HttpResponse(status=204)
