from django.db.models import Case as When_
from django.db.models import IntegerField, QuerySet, Value, When

from zhili.cases.models import Category
from zhili.core.errors import NotFound
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.integrations.models import (
    ApiKey,
    CallbackState,
    CategoryMapping,
    PushSource,
    ReplyCallback,
)


def apikey_list(*, user: Actor) -> QuerySet[ApiKey]:
    """Keys are the county's: administrators see them all, nobody else any."""
    if not can(user, Action.INTEGRATIONS_MANAGE):
        return ApiKey.objects.none()
    return ApiKey.objects.select_related("created_by")


def apikey_get(*, user: Actor, pk: int) -> ApiKey:
    try:
        return apikey_list(user=user).get(pk=pk)
    except ApiKey.DoesNotExist as exc:
        raise NotFound("密钥不存在") from exc


# --- pushes: like the keys, the county's, for administrators only ---------------------------


def pushsource_list(*, user: Actor) -> QuerySet[PushSource]:
    if not can(user, Action.INTEGRATIONS_MANAGE):
        return PushSource.objects.none()
    return PushSource.objects.select_related("fallback_category")


def pushsource_get(*, user: Actor, pk: int) -> PushSource:
    try:
        return pushsource_list(user=user).get(pk=pk)
    except PushSource.DoesNotExist as exc:
        raise NotFound("推送来源不存在") from exc


def mapping_list(*, user: Actor, channel: str = "") -> QuerySet[CategoryMapping]:
    """Unmapped texts first (most frequent first), then the mapped ones."""
    if not can(user, Action.INTEGRATIONS_MANAGE):
        return CategoryMapping.objects.none()
    mappings = CategoryMapping.objects.select_related("category", "category__parent")
    if channel:
        mappings = mappings.filter(channel=channel)
    unmapped_first = When_(
        When(category__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return mappings.order_by(unmapped_first, "-hit_count", "channel", "text")


def mapping_get(*, user: Actor, pk: int) -> CategoryMapping:
    try:
        return mapping_list(user=user).get(pk=pk)
    except CategoryMapping.DoesNotExist as exc:
        raise NotFound("映射不存在") from exc


def mapping_targets() -> QuerySet[Category]:
    """The catalog categories a text may be mapped to (the leaves: a case never takes a
    group), in catalog order."""
    return (
        Category.objects.filter(is_active=True)
        .exclude(children__is_active=True)
        .select_related("parent")
        .order_by("path")
    )


def callback_list(*, user: Actor) -> QuerySet[ReplyCallback]:
    """Failed replies first, then those still being tried, then the delivered ones."""
    if not can(user, Action.INTEGRATIONS_MANAGE):
        return ReplyCallback.objects.none()
    order = When_(
        When(state=CallbackState.FAILED, then=Value(0)),
        When(state=CallbackState.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        ReplyCallback.objects.select_related("order__case", "order__source")
        .prefetch_related("log")
        .order_by(order, "-created_at", "-id")
    )


def callback_get(*, user: Actor, pk: int) -> ReplyCallback:
    try:
        return callback_list(user=user).get(pk=pk)
    except ReplyCallback.DoesNotExist as exc:
        raise NotFound("回调不存在") from exc
