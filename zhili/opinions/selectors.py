"""Every scoped read of the 舆情 register: a township sees its own items, the county all."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from zhili.core.dates import period_bounds
from zhili.core.roles import Action
from zhili.core.scope import seen_q
from zhili.core.selecting import filter_given, one_or_not_found
from zhili.core.types import Actor
from zhili.opinions.models import Opinion


@dataclass(frozen=True)
class OpinionFilters:
    state: str = ""
    heat: str = ""
    source: str = ""
    found_from: date | None = None
    found_to: date | None = None


def found_in(start: date, end: date) -> QuerySet[Opinion]:
    """Every item found in the local days given (both included): the analysis reports'
    count, the platform's own figure, not a user's view."""
    begin, stop = period_bounds(start, end)
    return Opinion.objects.filter(found_at__gte=begin, found_at__lt=stop)


def opinion_list(*, user: Actor, filters: OpinionFilters | None = None) -> QuerySet[Opinion]:
    f = filters or OpinionFilters()
    qs = Opinion.objects.filter(seen_q(user, Action.OPINIONS_VIEW, "place_path"))
    qs = filter_given(qs, state=f.state, heat=f.heat, source=f.source)
    if f.found_from:
        qs = qs.filter(found_at__gte=period_bounds(f.found_from, f.found_from)[0])
    if f.found_to:
        qs = qs.filter(found_at__lt=period_bounds(f.found_to, f.found_to)[1])
    return qs.select_related("place").order_by("-found_at", "-id")


def opinion_get(*, user: Actor, number: str) -> Opinion:
    return one_or_not_found(opinion_list(user=user), "舆情不存在", number=number)
