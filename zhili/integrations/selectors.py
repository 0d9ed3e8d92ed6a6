from typing import Any

from django.db.models import QuerySet

from zhili.core.errors import NotFound
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.integrations.models import ApiKey


def apikey_list(*, user: Any) -> QuerySet[ApiKey]:
    """Keys are the county's: administrators see them all, nobody else any."""
    if not can(user, Action.INTEGRATIONS_MANAGE):
        return ApiKey.objects.none()
    return ApiKey.objects.select_related("created_by")


def apikey_get(*, user: Any, pk: int) -> ApiKey:
    try:
        return apikey_list(user=user).get(pk=pk)
    except ApiKey.DoesNotExist as exc:
        raise NotFound("密钥不存在") from exc
