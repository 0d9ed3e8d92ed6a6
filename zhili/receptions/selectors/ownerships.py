"""Leader ownership (包案) in the user's scope: the lists, their counts, which leaders may
be given one, and the center a petition's 包案 belongs to."""

from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhili.core.errors import InvalidInput, NotFound
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.selecting import filter_given
from zhili.core.types import Actor
from zhili.orgs.models import Organization, User
from zhili.petitions.models import Petition
from zhili.receptions import workflow
from zhili.receptions.models import Ownership, OwnershipState
from zhili.receptions.selectors.common import ancestor_paths, check_state, path_scope
from zhili.receptions.selectors.rota import leaders_for, rota_organizations


def sees_ownerships(user: Actor) -> bool:
    """Petition staff who assign 包案 and the leaders who hold them see the list."""
    return can(user, Action.RECEPTIONS_MANAGE) or can(user, Action.RECEPTIONS_RECEIVE)


def ownership_list(
    *, user: Actor, leader: User | None = None, state: str = "", overdue: bool = False
) -> QuerySet[Ownership]:
    check_state(state, OwnershipState.values, "包案状态无效")
    qs = Ownership.objects.filter(path_scope(user))
    qs = filter_given(qs, leader=leader, state=state)
    if overdue:
        qs = qs.filter(state=OwnershipState.ACTIVE, due_at__lte=timezone.now())
    return qs.select_related("leader", "petition", "petition__handling_unit").order_by(
        "state", "target_date", "id"
    )


# The list page's filter: a state, or the active ones past their target.
OVERDUE = "overdue"


def ownership_filtered(*, user: Actor, leader: User | None, show: str) -> QuerySet[Ownership]:
    """The list page's rows: `show` is a state, ``overdue`` or "" (all)."""
    if show == OVERDUE:
        return ownership_list(user=user, leader=leader, overdue=True)
    return ownership_list(user=user, leader=leader, state=show)


def is_overdue(ownership: Ownership, *, now: datetime | None = None) -> bool:
    """Not resolved by the end of its target date."""
    at = now or timezone.now()
    return ownership.state == OwnershipState.ACTIVE and ownership.due_at <= at


def late_days(ownership: Ownership, *, today: date | None = None) -> int:
    """How many days past its target an overdue 包案 is (0 when it is not)."""
    if not is_overdue(ownership):
        return 0
    return ((today or timezone.localdate()) - ownership.target_date).days


def ownership_counts(*, user: Actor) -> dict[str, int]:
    """In the user's scope: 包案 in progress, of which overdue, and resolved."""
    return Ownership.objects.filter(path_scope(user)).aggregate(
        active=Count("id", filter=Q(state=OwnershipState.ACTIVE)),
        overdue=Count("id", filter=Q(state=OwnershipState.ACTIVE, due_at__lte=timezone.now())),
        resolved=Count("id", filter=Q(state=OwnershipState.RESOLVED)),
    )


def ownership_work(*, user: Actor, leader: User | None = None) -> dict[str, int]:
    """In one query, the 包案 in the user's scope (of `leader` alone, when given): in
    progress (`active`), of which past their target (`overdue`, as the list's filter)."""
    now = timezone.now()
    counts = (
        ownership_list(user=user, leader=leader, state=OwnershipState.ACTIVE)
        .select_related(None)
        .order_by()
        .aggregate(active=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=now)))
    )
    return {key: int(value or 0) for key, value in counts.items()}


def ownership_leaders(*, user: Actor) -> QuerySet[User]:
    """The leaders holding a 包案 in the user's scope (the list's filter)."""
    owners = Ownership.objects.filter(path_scope(user)).values("leader_id")
    return User.objects.filter(pk__in=owners).order_by("organization__path", "username")


def assignable_leaders(*, user: Actor) -> list[tuple[Organization, list[User]]]:
    """Who can be given a 包案, per center in the user's scope: the county leaders, then each
    township's secretaries (`services.common.check_leader` says which fits a petition)."""
    groups = []
    for org in rota_organizations(user):
        leaders = list(leaders_for(org))
        if leaders:
            groups.append((org, leaders))
    return groups


def ownership_get(*, user: Actor, pk: int) -> Ownership:
    found = ownership_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound("该包案不存在")
    return found


def owner_organization(petition: Petition) -> Organization:
    """The level a petition's 包案 belongs to: the township center above the unit handling it
    (before it is transferred, the unit that registered it) for a township petition, else the
    county center. Its leaders are the ones `services.common.check_leader` accepts for that
    center."""
    path = petition.handling_path or petition.registering_path
    centers = Organization.objects.filter(
        path__in=ancestor_paths(path), kind="center", level__in=workflow.LEADER_ROLE_FOR_LEVEL
    )
    found = centers.order_by("-depth").first()
    if found is None:
        raise InvalidInput("该信访事项的登记或承办单位不在县、乡镇综治中心之下", field="petition")
    return found


def owner_level(petition: Petition) -> str:
    """Who owns `petition` by its level, as the assign form says it ("" when none may)."""
    try:
        org = owner_organization(petition)
    except InvalidInput:
        return ""
    if org.level == "county":
        return "县级信访事项，由县领导包案"
    return f"{org.area_name or org.name}信访事项，由该乡镇党委（政法委）书记包案"
