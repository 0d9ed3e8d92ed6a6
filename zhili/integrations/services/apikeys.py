"""Every write to API keys, and the check of a presented key (each use is audited)."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Channel
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.integrations.models import ApiKey

KEY_PREFIX = "zk_"


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def apikey_create(*, actor: Actor, channel: str, name: str) -> tuple[ApiKey, str]:
    """A new key for `channel`; returns the row and the key itself, which is never stored."""
    if actor is not None:
        require(actor, Action.INTEGRATIONS_MANAGE)
    if channel not in Channel.values:
        raise InvalidInput(f"未知的渠道 {channel}", field="channel")
    name = name.strip()
    if not name:
        raise InvalidInput("请填写密钥名称（对接系统）", field="name")
    if len(name) > 100:
        raise InvalidInput("名称不能超过100字", field="name")
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name,
        channel=channel,
        prefix=raw[:12],
        digest=key_digest(raw),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(actor, "integrations.apikey.create", key, channel=channel, prefix=key.prefix)
    return key, raw


@transaction.atomic
def apikey_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    if actor is not None:
        require(actor, Action.INTEGRATIONS_MANAGE)
    revoked = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not revoked:
        raise Conflict("该密钥已被吊销")
    key.refresh_from_db()
    audit(actor, "integrations.apikey.revoke", key, prefix=key.prefix)
    return key


@transaction.atomic
def apikey_use(raw: str, *, channel: str | None = None, what: str = "") -> ApiKey | None:
    """The active key `raw` (for `channel`, when given), its use audited; None if refused."""
    if not raw or not raw.startswith(KEY_PREFIX):
        return None
    key = ApiKey.objects.filter(digest=key_digest(raw), revoked_at__isnull=True).first()
    if key is None or (channel is not None and key.channel != channel):
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    audit(None, "integrations.apikey.use", key, prefix=key.prefix, channel=key.channel, what=what)
    return key
