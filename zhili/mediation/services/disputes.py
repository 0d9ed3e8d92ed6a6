"""Registering a dispute (调解登记): by a mediator, or from a case of the one queue."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhili.cases.models import Case
from zhili.cases.services.dossiers import case_take_for_dossier
from zhili.core.audit import audit
from zhili.core.counters import take_next
from zhili.core.dossier import record_history
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Conflict, DomainError, InvalidInput
from zhili.core.events import emit
from zhili.core.models import Series
from zhili.core.personal import validate_id_number, validate_phone
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.mediation import workflow
from zhili.mediation.events import DisputeTransitioned
from zhili.mediation.models import (
    Committee,
    Dispute,
    DisputeKind,
    DisputeState,
    Mediator,
    Party,
    PartyKind,
    PartySide,
    Scale,
    Source,
)
from zhili.mediation.selectors import default_committee
from zhili.mediation.services.common import check_committee, choice, text, validate_org_code
from zhili.orgs.models import Grid, Level, Organization

DOSSIER_LABEL = "矛盾纠纷"
MAX_PARTIES = 50


def next_dispute_no(now: datetime) -> str:
    """TJ2026-000123: sequential per local year, gap-free (zhili.core.counters)."""
    year = timezone.localdate(now).year
    number = take_next(Series.DISPUTE, str(year))
    prefix = getattr(settings, "ZHILI_DISPUTE_PREFIX", "TJ")
    return f"{prefix}{year}-{number:06d}"


@dataclass
class PartyInput:
    side: str
    name: str
    kind: str = PartyKind.PERSON
    id_number: str = ""
    phone: str = ""
    address: str = ""
    org_code: str = ""


@dataclass
class Registration:
    title: str
    kind: str
    summary: str
    source: str = Source.APPLICATION
    scale: str = Scale.ORDINARY
    people_count: int = 2
    place: str = ""
    grid: str = ""  # grid code
    lat: float | None = None
    lng: float | None = None
    parties: list[PartyInput] = field(default_factory=list)


def _prefixed(exc: DomainError, index: int) -> DomainError:
    exc.field = f"parties.{index}.{exc.field}" if exc.field else f"parties.{index}"
    return exc


class PartyFields(TypedDict):
    side: str
    kind: str
    name: str
    address: str
    id_number: str
    org_code: str
    phone: str


class DisputeFields(TypedDict):
    title: str
    summary: str
    kind: str
    source: str
    scale: str
    place: str


def clean_party(data: PartyInput, *, index: int = 0) -> PartyFields:
    """The party's validated fields; errors name `parties.<index>.<field>`."""
    try:
        raw = data.__dict__
        values: PartyFields = {
            "side": choice(raw, "side", "当事人身份", PartySide),
            "kind": choice(raw, "kind", "当事人类型", PartyKind, PartyKind.PERSON),
            "name": text(raw, "name", "当事人姓名或名称", required=True, limit=100),
            "address": text(raw, "address", "住址", required=False, limit=200),
            "id_number": "",
            "org_code": "",
            "phone": "",
        }
        if values["kind"] == PartyKind.PERSON and (data.id_number or "").strip():
            values["id_number"] = validate_id_number(data.id_number)
        if values["kind"] == PartyKind.ORGANIZATION and (data.org_code or "").strip():
            values["org_code"] = validate_org_code(data.org_code)
        if (data.phone or "").strip():
            values["phone"] = validate_phone(data.phone)
    except DomainError as exc:
        raise _prefixed(exc, index) from exc
    return values


def _township_of(org: Organization) -> Organization | None:
    if org.level == Level.TOWNSHIP:
        return org
    if org.level == Level.VILLAGE:
        return org.parent
    return None


def _grid(code: str, committee: Committee) -> Grid | None:
    if not code:
        return None
    grid = Grid.objects.select_related("village").filter(code=code).first()
    if grid is None:
        raise InvalidInput(f"网格 {code} 不存在", field="grid")
    if committee.level != Level.COUNTY and not grid.village.path.startswith(committee.path):
        raise InvalidInput(f"{grid.name}不在{committee.name}的辖区内", field="grid")
    return grid


def _check_committee(actor: Actor, committee: Committee | None) -> Committee:
    if committee is None:
        raise InvalidInput("请选择受理的调委会", field="committee")
    if not committee.is_active:
        raise InvalidInput(f"{committee.name}已停用", field="committee")
    check_committee(actor, committee.path)
    return committee


def _clean(reg: Registration) -> DisputeFields:
    raw = reg.__dict__
    values: DisputeFields = {
        "title": text(raw, "title", "纠纷名称", required=True, limit=200),
        "summary": text(raw, "summary", "纠纷简要情况", required=True, limit=5000),
        "kind": choice(raw, "kind", "纠纷类型", DisputeKind),
        "source": choice(raw, "source", "纠纷来源", Source),
        "scale": choice(raw, "scale", "纠纷规模", Scale, Scale.ORDINARY),
        "place": text(raw, "place", "发生地点", required=False, limit=200),
    }
    if not isinstance(reg.people_count, int) or not 1 <= reg.people_count <= 100_000:
        raise InvalidInput("涉及人数应为1至100000之间的整数", field="people_count")
    for name, low, high in (("lat", -90, 90), ("lng", -180, 180)):
        value = getattr(reg, name)
        if value is not None and not low <= value <= high:
            raise InvalidInput("坐标超出范围", field=name)
    if not reg.parties:
        raise InvalidInput("请至少登记一名当事人", field="parties")
    if len(reg.parties) > MAX_PARTIES:
        raise InvalidInput(f"当事人最多{MAX_PARTIES}名", field="parties")
    return values


@transaction.atomic
def dispute_register(
    *, actor: Actor, registration: Registration, committee: Committee | None = None
) -> Dispute:
    """Register a dispute in `committee` (default: the actor's own) with its parties."""
    require(actor, Action.DISPUTES_MEDIATE)
    committee = _check_committee(actor, committee or default_committee(actor))
    return _create(actor, committee, registration, case=None)


def _create(actor: Actor, committee: Committee, reg: Registration, *, case: Case | None) -> Dispute:
    values = _clean(reg)
    parties = [clean_party(p, index=i) for i, p in enumerate(reg.parties)]
    now = timezone.now()
    lead = Mediator.objects.filter(user_id=actor.pk, committee=committee, is_active=True).first()
    dispute = Dispute.objects.create(
        **values,
        number=next_dispute_no(now),
        people_count=reg.people_count,
        committee=committee,
        path=committee.path,
        level=committee.level,
        township=_township_of(committee.organization),
        grid=_grid(reg.grid, committee),
        lat=reg.lat,
        lng=reg.lng,
        case=case,
        state=DisputeState.REGISTERED,
        registered_by=actor if getattr(actor, "pk", None) else None,
        registered_at=now,
        lead_mediator=lead,
        updated_at=now,
    )
    if lead is not None:
        dispute.mediators.add(lead)
    Party.objects.bulk_create([Party(dispute=dispute, **p) for p in parties])
    _registered(actor, dispute, case)
    return dispute


def _registered(actor: Actor, dispute: Dispute, case: Case | None) -> None:
    """The registration's timeline row, audit row and event."""
    note = f"由工单 {case.case_no} 转入" if case is not None else "登记"
    state = DisputeState.REGISTERED
    at = dispute.registered_at
    record_history(
        workflow.KIND,
        dispute,
        "register",
        from_state="",
        to_state=state,
        actor=actor,
        note=note,
        at=at,
    )
    audit(actor, "mediation.dispute.register", dispute, case=case.case_no if case else "")
    emit(
        DisputeTransitioned(
            dispute_id=dispute.pk,
            number=dispute.number,
            action="register",
            from_state="",
            to_state=state,
        )
    )


def registration_from_case(case: Case, *, kind: str = DisputeKind.OTHER) -> Registration:
    """What a case says about the dispute: its text, place, grid and reporter."""
    reporter = PartyInput(
        side=PartySide.APPLICANT,
        name=(case.reporter_name or "").strip()[:100] or "诉求人",
        phone=case.reporter_phone if not case.anonymous else "",
    )
    try:
        validate_phone(reporter.phone)
    except InvalidInput:
        reporter.phone = ""
    return Registration(
        title=case.title,
        kind=kind,
        summary=case.description or case.title,
        source=Source.CASE,
        place=case.address,
        grid=case.grid.code if case.grid_id else "",  # type: ignore[union-attr]
        lat=case.lat,
        lng=case.lng,
        parties=[reporter],
    )


@transaction.atomic
def dispute_open_from_case(
    *,
    actor: Actor,
    case: Case,
    committee: Committee | None = None,
    kind: str = DisputeKind.OTHER,
    parties: list[PartyInput] | None = None,
    scale: str = Scale.ORDINARY,
    people_count: int = 2,
) -> Dispute:
    """Open a dispute dossier from a case that the actor's unit holds: the case is
    acknowledged and started (zhili.cases.services.dossiers), its text, place, grid and
    reporter (as the applicant) are copied; `parties` adds the others."""
    require(actor, Action.DISPUTES_MEDIATE)
    if Dispute.objects.filter(case=case).exists():
        raise Conflict(f"工单 {case.case_no} 已转为矛盾纠纷", code="already_opened")
    committee = _check_committee(actor, committee or default_committee(actor))
    case = case_take_for_dossier(actor=actor, case=case, dossier_label=DOSSIER_LABEL)
    reg = registration_from_case(case, kind=kind)
    reg.parties += parties or []
    reg.scale, reg.people_count = scale, people_count
    return _create(actor, committee, reg, case=case)


@transaction.atomic
def party_add(*, actor: Actor, dispute: Dispute, data: PartyInput) -> Party:
    """Add a party while the dispute is still being registered (a dispute out of the actor's
    sight is not found, 404, before the role is asked)."""
    check_visible(workflow.KIND, actor, dispute)
    require(actor, Action.DISPUTES_MEDIATE)
    if dispute.state != DisputeState.REGISTERED:
        raise Conflict("只有已登记、尚未受理的纠纷可以增加当事人", code="wrong_state")
    if dispute.parties.count() >= MAX_PARTIES:
        raise InvalidInput(f"当事人最多{MAX_PARTIES}名", field="parties")
    party = Party.objects.create(dispute=dispute, **clean_party(data))
    audit(actor, "mediation.party.add", dispute, party=party.pk)
    return party
