"""Push fixtures: the four push sources (a fallback category with no responsibility rule, so
unmapped texts land at the county center) and a signed-push helper."""

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from zhili.cases.models import Category, Channel
from zhili.cases.tests.conftest import catalog, make_category, register, rules, staff  # noqa: F401
from zhili.conftest import Tree
from zhili.integrations.models import CategoryMapping, PushSource
from zhili.integrations.services import pushsource_create
from zhili.integrations.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: F401

PUSH_CHANNELS = [
    Channel.HOTLINE,
    Channel.EMERGENCY,
    Channel.CITY_MANAGEMENT,
    Channel.PETITION,
]


@pytest.fixture
def fallback(catalog: Tree) -> Category:  # noqa: F811
    return make_category("QT", "其他事项")


@pytest.fixture
def sources(
    catalog: Tree,  # noqa: F811
    rules: Tree,  # noqa: F811
    fallback: Category,
) -> dict[str, tuple[PushSource, str]]:
    """channel -> (source, secret); 12345's "噪声扰民" is mapped to the catalog's noise."""
    made = {}
    for channel in PUSH_CHANNELS:
        made[channel.value] = pushsource_create(
            actor=None, channel=channel, name=f"{channel.label}平台", fallback_category=fallback
        )
    CategoryMapping.objects.create(channel="hotline", text="噪声扰民", category=catalog.noise)
    return made


def order_body(order_no: str = "12345-20261126-0001", **fields: Any) -> dict[str, Any]:
    body = {
        "order_no": order_no,
        "created_at": "2026-11-26T17:40:00+08:00",
        "caller_name": "李女士",
        "caller_phone": "13912345678",
        "category": "噪声扰民",
        "content": "小区旁工地夜间施工噪音很大\n晚上十点以后还在打桩",
        "address": "东海县甲镇甲一村",
        "lat": 34.505,
        "lng": 118.705,
        "deadline": "2026-12-03T17:40:00+08:00",
    }
    body.update(fields)
    return body


def signed_post(
    client: Client,
    channel: str,
    secret: str,
    body: dict[str, Any] | bytes,
    *,
    timestamp: int | None = None,
    signature: str | None = None,
) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: signature or sign(secret, ts, raw)}
    return client.post(
        f"/api/v1/integrations/push/{channel}",
        raw,
        content_type="application/json",
        headers=headers,
    )


@pytest.fixture
def push(client: Client, sources: dict[str, tuple[PushSource, str]]) -> Callable[..., Any]:
    """push(body, channel="hotline", **signing) with the channel's secret."""

    def send(body: dict[str, Any] | bytes, channel: str = "hotline", **signing: Any) -> Any:
        return signed_post(client, channel, sources[channel][1], body, **signing)

    return send
