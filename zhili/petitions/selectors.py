"""Every scoped read of petitions and of the key-petitioner register.

A user sees a petition when their scope covers the registering unit (the petition office
that registered it) or the handling unit it was transferred to; county-wide users see all.
Out of scope answers exactly like missing (NotFound).

The key-petitioner register is read only by holders of Action.KEY_PETITIONERS_VIEW (by role:
the administrator is not one), within their scope of the responsible unit. Every showing of
it (the list, a record, the flags on a petition) writes an audit row: the pages and the API
show it through zhili.petitions.services.key_petitioners, which reads it here.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhili.core.errors import NotFound
from zhili.core.roles import Action
from zhili.core.scope import can, scope_for, seen_q
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.petitions import workflow
from zhili.petitions.models import (
    Card,
    KeyPetitioner,
    Petition,
    Petitioner,
    PetitionParty,
    State,
)


def petition_scope(user: Actor) -> Q:
    return seen_q(user, Action.PETITIONS_VIEW, "registering_path", "handling_path")


@dataclass(frozen=True)
class PetitionFilters:
    state: str = ""
    kind: str = ""
    form: str = ""
    category: str = ""
    card: str = ""  # yellow, red, or "any"
    handling_unit: str = ""  # code
    township: str = ""  # code
    q: str = ""  # a petition number, or words of the title
    received_from: date | None = None
    received_to: date | None = None
    is_group: bool | None = None
    repeat: bool = False
    pending_extension: bool = False  # asked, not decided by the unit's head yet
    due: str = ""  # a key of DUE_FILTERS: a time limit running, due today, overdue


# The current step's time limit (`Petition.due_at`) of the petitions in a state where one runs
# (workflow.OPEN): any, due later today, or already passed.
DUE_FILTERS = {"open": "在办（时限计算中）", "today": "今日到期", "overdue": "已超期"}


def due_q(due: str, now: datetime | None = None) -> Q:
    if due not in DUE_FILTERS:
        return Q()
    now = now or timezone.now()
    running = Q(state__in=workflow.OPEN)
    if due == "today":
        return running & Q(
            due_at__gte=now, due_at__lt=_day_start(timezone.localdate(now)) + timedelta(days=1)
        )
    if due == "overdue":
        return running & Q(due_at__lt=now)
    return running


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def petition_list(*, user: Actor, filters: PetitionFilters | None = None) -> QuerySet[Petition]:
    f = filters or PetitionFilters()
    qs = Petition.objects.filter(petition_scope(user)).select_related(
        "handling_unit", "registering_unit", "township"
    )
    exact = {
        "state": f.state,
        "kind": f.kind,
        "form": f.form,
        "category": f.category,
        "handling_unit__code": f.handling_unit,
        "township__code": f.township,
    }
    qs = qs.filter(**{k: v for k, v in exact.items() if v})
    qs = _by_flags(qs, f)
    qs = _by_received_and_text(qs, f)
    return qs.order_by("-received_at", "-id")


def _by_flags(qs: QuerySet[Petition], f: PetitionFilters) -> QuerySet[Petition]:
    """The card, group, repeat, pending-extension and due filters."""
    if f.card == "any":
        qs = qs.exclude(card="")
    elif f.card:
        qs = qs.filter(card=f.card)
    if f.is_group is not None:
        qs = qs.filter(is_group=f.is_group)
    if f.repeat:
        qs = qs.filter(repeat_of__isnull=False)
    if f.pending_extension:
        qs = qs.filter(PENDING_EXTENSION)
    if f.due:
        qs = qs.filter(due_q(f.due))
    return qs


def _by_received_and_text(qs: QuerySet[Petition], f: PetitionFilters) -> QuerySet[Petition]:
    if f.received_from:
        qs = qs.filter(received_at__gte=_day_start(f.received_from))
    if f.received_to:
        qs = qs.filter(received_at__lt=_day_start(f.received_to) + timedelta(days=1))
    text = f.q.strip()
    if text:
        qs = qs.filter(Q(number=text.upper()) | Q(title__contains=text))
    return qs


PENDING_EXTENSION = Q(extension_requested_at__isnull=False, extension_decided_at__isnull=True)


def petition_work(*, user: Actor) -> dict[str, int]:
    """In one query over the petitions in the user's scope whose time limit runs: all of
    them (`open`), to transfer (`registered`), hand-backs to decide (`hand_back`), extensions
    waiting for the unit's head (`pending_extension`), due later today, overdue, and those
    under a yellow or red card."""
    now = timezone.now()
    counts = (
        petition_list(user=user)
        .filter(state__in=workflow.OPEN)
        .select_related(None)
        .order_by()
        .aggregate(
            open=Count("pk"),
            registered=Count("pk", filter=Q(state=State.REGISTERED)),
            hand_back=Count("pk", filter=Q(state=State.HAND_BACK_REQUESTED)),
            pending_extension=Count("pk", filter=PENDING_EXTENSION),
            due_today=Count("pk", filter=due_q("today", now)),
            overdue=Count("pk", filter=due_q("overdue", now)),
            yellow=Count("pk", filter=Q(card=Card.YELLOW)),
            red=Count("pk", filter=Q(card=Card.RED)),
        )
    )
    return {key: int(value or 0) for key, value in counts.items()}


def petition_get(*, user: Actor, number: str) -> Petition:
    rows = petition_list(user=user).select_related(
        "case", "repeat_of", "pending_of", "registered_by"
    )
    return one_or_not_found(rows, "信访事项不存在", number=(number or "").strip().upper())


def petition_parties(petition: Petition) -> QuerySet[PetitionParty]:
    return petition.parties.select_related("petitioner")


def petitions_for_case(*, user: Actor, case_id: int) -> QuerySet[Petition]:
    return petition_list(user=user).filter(case_id=case_id)


def petitioner_get(*, user: Actor, petition: Petition, petitioner_id: int) -> Petitioner:
    """A petitioner of a petition the user sees (for the audited reveal)."""
    party = petition.parties.filter(petitioner_id=petitioner_id).select_related("petitioner")
    found = party.first()
    if found is None:
        raise NotFound("信访人不存在")
    return found.petitioner


def may_see_key_petitioners(user: Actor) -> bool:
    """By role only: a superuser without one of the roles does not see the register
    (KEY_PETITIONERS_VIEW is in zhili.core.roles.ROLE_ONLY)."""
    return can(user, Action.KEY_PETITIONERS_VIEW)


def key_records_of(*, user: Actor, petition: Petition) -> list[KeyPetitioner]:
    """The register's active records of the petition's petitioners, for users who may see
    the register (others learn nothing of it from a petition). Showing them is audited:
    the pages and the API call services.key_records_show."""
    if not may_see_key_petitioners(user):
        return []
    ids = petition.parties.values_list("petitioner_id", flat=True)
    return list(
        KeyPetitioner.objects.filter(petitioner_id__in=ids, is_active=True).select_related(
            "petitioner", "responsible_unit"
        )
    )


# --- key petitioners ---------------------------------------------------------------------


def _key_scope(user: Actor) -> QuerySet[KeyPetitioner]:
    if not may_see_key_petitioners(user):
        raise NotFound()
    scope = scope_for(user)
    return scope.filter(
        KeyPetitioner.objects.select_related("petitioner", "responsible_unit", "role"),
        "responsible_path",
    )


def key_petitioner_rows(
    *, user: Actor, active: bool | None = True, q: str = ""
) -> list[KeyPetitioner]:
    """The register in the user's scope (shown through services.key_register_show, which
    audits the reading)."""
    qs = _key_scope(user)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q.strip():
        qs = qs.filter(petitioner__name__contains=q.strip())
    return list(qs.order_by("-since", "-id")[:500])


def key_petitioner_get(*, user: Actor, pk: int) -> KeyPetitioner:
    """One record of the register in the user's scope (shown through
    services.key_petitioner_show, which audits the reading)."""
    return one_or_not_found(_key_scope(user), "未找到该人员", pk=pk)


def key_petitioner_petitions(record: KeyPetitioner) -> QuerySet[Petition]:
    """Every petition of the person (the register is county-wide knowledge for its readers)."""
    return (
        Petition.objects.filter(parties__petitioner_id=record.petitioner_id)
        .select_related("handling_unit")
        .order_by("-received_at")
    )
