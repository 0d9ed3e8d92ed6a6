"""Reception records in the user's scope."""

from datetime import date, timedelta

from django.db.models import QuerySet

from zhili.core.errors import NotFound
from zhili.core.selecting import filter_given
from zhili.core.types import Actor
from zhili.orgs.models import User
from zhili.receptions.models import Reception, RotaDay
from zhili.receptions.selectors.common import day_start, path_scope


def reception_list(
    *,
    user: Actor,
    leader: User | None = None,
    rota_day: RotaDay | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Reception]:
    qs = Reception.objects.filter(path_scope(user))
    qs = filter_given(qs, leader=leader, rota_day=rota_day)
    if start is not None:
        qs = qs.filter(received_at__gte=day_start(start))
    if end is not None:
        qs = qs.filter(received_at__lt=day_start(end + timedelta(days=1)))
    return (
        qs.select_related("leader", "organization", "petition", "assigned_unit", "appointment")
        .prefetch_related("departments", "petitioners", "staff")
        .order_by("-received_at", "-id")
    )


def reception_get(*, user: Actor, pk: int) -> Reception:
    found = reception_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound("该接访记录不存在")
    return found


def walk_ins(*, user: Actor, rota_day: RotaDay) -> QuerySet[Reception]:
    """The receptions of `rota_day` without an appointment (当日来访)."""
    return reception_list(user=user, rota_day=rota_day).filter(appointment__isnull=True)
