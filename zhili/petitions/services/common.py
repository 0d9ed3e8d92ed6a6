"""What the petition services share: numbers, the checks and `apply` on the dossier kernel
(zhili.core.dossier), the input helpers."""

from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from zhili.core.counters import take_next
from zhili.core.dossier import actions_for as kernel_actions_for
from zhili.core.dossier import apply_transition, check_action
from zhili.core.errors import InvalidInput
from zhili.core.models import Series
from zhili.core.types import Actor, SystemActor
from zhili.core.workflow import Transition
from zhili.orgs.models import Kind, Organization
from zhili.petitions import deadlines, workflow
from zhili.petitions.models import Petition

# The kinds of organization a petition can be transferred to (a handling unit).
HANDLING_KINDS = {Kind.CENTER, Kind.SUBCENTER, Kind.DEPARTMENT}


def next_petition_no(now: datetime) -> str:
    """XF2026-000123: sequential per local year, gap-free (taken in the caller's transaction)."""
    year = timezone.localdate(now).year
    number = take_next(Series.PETITION, str(year))
    prefix = getattr(settings, "ZHILI_PETITION_PREFIX", "XF")
    return f"{prefix}{year}-{number:06d}"


def check_transition(actor: Actor, petition: Petition, action: str) -> Transition:
    """The transition if `actor` may take `action` on `petition` now: 404 out of sight or
    unknown, 403 role or side, 409 state or a rule of zhili.petitions.guards."""
    return check_action(workflow.KIND, actor, petition, action)


def actions_for(actor: Actor, petition: Petition) -> list[Transition]:
    """The transitions `actor` may take on `petition` now (for the pages' buttons)."""
    return kernel_actions_for(workflow.KIND, actor, petition)


MAX_TEXT = 5000


def text(value: object, *, limit: int = MAX_TEXT) -> str:
    """An optional text of the input, stripped and cut to `limit`."""
    return str(value or "").strip()[:limit]


def required_text(value: object, name: str, message: str, *, limit: int = MAX_TEXT) -> str:
    """A text the step needs (InvalidInput naming the field `name` when empty or too long)."""
    cleaned = str(value or "").strip()
    if not cleaned:
        raise InvalidInput(message, field=name)
    if len(cleaned) > limit:
        raise InvalidInput(f"内容不超过{limit}字", field=name)
    return cleaned


def handling_unit_for(code: str, *, field: str = "handling_unit") -> Organization:
    unit = Organization.objects.filter(code=(code or "").strip(), is_active=True).first()
    if unit is None:
        raise InvalidInput(f"单位 {code} 不存在", field=field)
    if unit.kind not in HANDLING_KINDS:
        raise InvalidInput(f"{unit.name} 不是承办单位", field=field)
    return unit


def fields_of(petition: Petition) -> dict[str, object]:
    return {f.attname: getattr(petition, f.attname) for f in Petition._meta.concrete_fields}


def apply(
    petition: Petition,
    transition: Transition,
    actor: SystemActor,
    changes: Mapping[str, object],
    *,
    note: str = "",
    reclock: bool | None = None,
    at: datetime | None = None,
    **data: object,
) -> Petition:
    """`apply_transition` (the conditional update on state and version, history, audit and
    `PetitionTransitioned`) with the time-limit columns (deadlines.clock_fields) added to
    `changes`: they follow the new state, or, for a step that keeps the state, when
    `reclock` says so."""
    to_state = str(changes.get("state") or transition.target or petition.state)
    if reclock or (reclock is None and to_state != petition.state):
        fields = {**fields_of(petition), **changes, "state": to_state}
        changes = {**changes, **deadlines.clock_fields(fields, to_state)}
    step = apply_transition(
        workflow.KIND, petition, transition, actor, changes, note=note, at=at, **data
    )
    return step.record
