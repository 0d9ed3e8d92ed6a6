from typing import TypeVar

from django.db import models
from django.db.models import Case as When_
from django.db.models import IntegerField, QuerySet, Value, When

from zhili.cases.models import Category
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.integrations.models import (
    ApiKey,
    CallbackState,
    CategoryMapping,
    PushSource,
    ReplyCallback,
)

M = TypeVar("M", bound=models.Model)


def county_only(user: Actor, rows: QuerySet[M]) -> QuerySet[M]:
    """The integrations' settings are the county's: administrators see them all, nobody else
    any."""
    return rows if can(user, Action.INTEGRATIONS_MANAGE) else rows.none()


def apikey_list(*, user: Actor) -> QuerySet[ApiKey]:
    return county_only(user, ApiKey.objects.select_related("created_by"))


def apikey_get(*, user: Actor, pk: int) -> ApiKey:
    return one_or_not_found(apikey_list(user=user), "密钥不存在", pk=pk)


# --- pushes: like the keys, the county's, for administrators only ---------------------------


def pushsource_list(*, user: Actor) -> QuerySet[PushSource]:
    return county_only(user, PushSource.objects.select_related("fallback_category"))


def pushsource_get(*, user: Actor, pk: int) -> PushSource:
    return one_or_not_found(pushsource_list(user=user), "推送来源不存在", pk=pk)


def mapping_list(*, user: Actor, channel: str = "") -> QuerySet[CategoryMapping]:
    """Unmapped texts first (most frequent first), then the mapped ones."""
    mappings = county_only(
        user, CategoryMapping.objects.select_related("category", "category__parent")
    )
    if channel:
        mappings = mappings.filter(channel=channel)
    unmapped_first = When_(
        When(category__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return mappings.order_by(unmapped_first, "-hit_count", "channel", "text")


def mapping_get(*, user: Actor, pk: int) -> CategoryMapping:
    return one_or_not_found(mapping_list(user=user), "映射不存在", pk=pk)


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
    order = When_(
        When(state=CallbackState.FAILED, then=Value(0)),
        When(state=CallbackState.PENDING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    callbacks = ReplyCallback.objects.select_related("order__case", "order__source")
    return county_only(
        user, callbacks.prefetch_related("log").order_by(order, "-created_at", "-id")
    )


def callback_get(*, user: Actor, pk: int) -> ReplyCallback:
    return one_or_not_found(callback_list(user=user), "回调不存在", pk=pk)
