"""The push sources: one per pushing channel, each with its shared HMAC secret."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Category, Channel, Urgency
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor, SystemActor
from zhili.integrations.models import PushChannel, PushSource

SECRET_PREFIX = "zs_"  # noqa: S105 - the prefix of generated secrets, not a secret
# 110 non-police matters (非警务警情) come through the linkage channel: urgent unless told.
DEFAULT_URGENCY = {Channel.EMERGENCY: Urgency.URGENT}


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _check_url(url: str) -> str:
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as exc:
            raise InvalidInput("回调地址须是 http(s) 网址", field="callback_url") from exc
    return url


def _check_new_source(channel: str, name: str, tolerance_seconds: int) -> str:
    """The checks of a new push source; its name, stripped."""
    if channel not in PushChannel.values:
        raise InvalidInput(f"渠道 {channel} 不支持工单推送", field="channel")
    if PushSource.objects.filter(channel=channel).exists():
        raise Conflict("该渠道已配置推送来源，请改为轮换密钥")
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("请填写对接系统名称（100字以内）", field="name")
    if not 10 <= tolerance_seconds <= 3600:
        raise InvalidInput("时间戳容差应在10到3600秒之间", field="tolerance_seconds")
    return name


@transaction.atomic
def pushsource_create(
    *,
    actor: SystemActor,
    channel: str,
    name: str,
    callback_url: str = "",
    fallback_category: Category | None = None,
    tolerance_seconds: int = 300,
) -> tuple[PushSource, str]:
    """The push source of `channel`; returns it and its secret (shown to the caller once)."""
    if actor is not None:
        require(actor, Action.INTEGRATIONS_MANAGE)
    name = _check_new_source(channel, name, tolerance_seconds)
    secret = new_secret()
    source = PushSource.objects.create(
        channel=channel,
        name=name,
        secret=secret,
        callback_url=_check_url(callback_url),
        tolerance_seconds=tolerance_seconds,
        default_urgency=DEFAULT_URGENCY.get(Channel(channel), Urgency.NORMAL),
        fallback_category=fallback_category,
    )
    audit(actor, "integrations.pushsource.create", source, channel=channel)
    return source, secret


@transaction.atomic
def pushsource_rotate(*, actor: Actor, source: PushSource) -> tuple[PushSource, str]:
    """A new secret for `source`; the old one stops working at once."""
    if actor is not None:
        require(actor, Action.INTEGRATIONS_MANAGE)
    secret = new_secret()
    PushSource.objects.filter(pk=source.pk).update(secret=secret, secret_rotated_at=timezone.now())
    source.refresh_from_db()
    audit(actor, "integrations.pushsource.rotate", source, channel=source.channel)
    return source, secret
