"""Mediation data built with the models directly: committees, mediators, rooms and disputes in
any state, for the reports' tests.

    county committee (320722)       room R0
    T1 committee (320722901)        room R1, mediators m1 (王芳), m2 (李强)
    V11 committee (320722901001)    room R11, mediator m11 (赵敏)
    T2 committee (320722902)        room R2, mediator m2b (孙磊)
"""

import itertools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhili.cases.text import search_tokens
from zhili.core.roles import Role
from zhili.mediation.models import (
    Agreement,
    Committee,
    Dispute,
    DisputeState,
    MediationRoom,
    Mediator,
    Outcome,
    Party,
    Session,
)
from zhili.orgs.models import Organization

SH = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SH)


def committee_for(org: Organization, name: str) -> Committee:
    return Committee.objects.create(
        name=name,
        level=org.level,
        organization=org,
        path=org.path,
        term_start=date(2024, 1, 1),
        term_end=date(2026, 12, 31),
    )


class World:
    def __init__(self, **items: Any):
        self.__dict__.update(items)


@pytest.fixture
def world(tree: Any, make_user: Callable[..., Any]) -> World:
    c0 = committee_for(tree.county, "东海县矛盾纠纷调处中心人民调解委员会")
    c1 = committee_for(tree.t1, "甲镇人民调解委员会")
    c11 = committee_for(tree.v11, "甲一村人民调解委员会")
    c2 = committee_for(tree.t2, "乙乡人民调解委员会")

    def room(committee: Committee, name: str) -> MediationRoom:
        org = committee.organization
        return MediationRoom.objects.create(
            name=name, organization=org, path=org.path, committee=committee
        )

    def mediator(username: str, full_name: str, committee: Committee) -> Mediator:
        user = make_user(username, committee.organization, Role.MEDIATOR, full_name=full_name)
        return Mediator.objects.create(user=user, committee=committee)

    return World(
        c0=c0,
        c1=c1,
        c11=c11,
        c2=c2,
        r0=room(c0, "县调处中心第一调解室"),
        r1=room(c1, "甲镇调解室"),
        r11=room(c11, "甲一村调解室"),
        r2=room(c2, "乙乡调解室"),
        m1=mediator("m1", "王芳", c1),
        m2=mediator("m2", "李强", c1),
        m11=mediator("m11", "赵敏", c11),
        m2b=mediator("m2b", "孙磊", c2),
        chair=make_user("chair", tree.t1, Role.MEDIATION_CHAIR, full_name="周主任"),
        chair2=make_user("chair2", tree.t2, Role.MEDIATION_CHAIR, full_name="吴主任"),
        county_chair=make_user("cchair", tree.county, Role.MEDIATION_CHAIR, full_name="县主任"),
        viewer=make_user("viewer", tree.t1, Role.TOWNSHIP_OFFICER, full_name="综治专干"),
    )


def make_dispute(
    committee: Committee,
    *,
    title: str = "邻里纠纷",
    kind: str = "neighbourhood",
    source: str = "screening",
    registered_at: datetime | None = None,
    outcome: str = "",
    outcome_at: datetime | None = None,
    people: int = 2,
    risk_criminal: bool = False,
    risk_group_petition: bool = False,
    lead: Mediator | None = None,
    mediators: tuple[Mediator, ...] = (),
    room: MediationRoom | None = None,
    performed: str = "",
    archived: bool | None = None,
    summary: str = "",
    parties: tuple[tuple[str, str, str], ...] = (),
    sessions: tuple[str, ...] = (),
    terms: str = "双方自愿和解。",
) -> Dispute:
    """A dispute in the state its outcome implies (archived when concluded, unless told)."""
    registered_at = registered_at or at(2026, 11, 2)
    archived = bool(outcome) if archived is None else archived
    state = DisputeState.REGISTERED
    if outcome:
        state = {
            Outcome.AGREEMENT: DisputeState.FOLLOWING_UP,
            Outcome.NO_AGREEMENT: DisputeState.FAILED,
            Outcome.REFUSED: DisputeState.NOT_MEDIATED,
            Outcome.TERMINATED: DisputeState.TERMINATED,
        }[Outcome(outcome)]
    if archived:
        state = DisputeState.ARCHIVED
    outcome_at = outcome_at or (registered_at if outcome else None)
    summary = summary or f"{title}：双方因琐事发生争执。"
    dispute = Dispute.objects.create(
        number=f"TJ2026-T{next(_numbers):05d}",
        title=title,
        source=source,
        kind=kind,
        people_count=people,
        committee=committee,
        path=committee.path,
        level=committee.level,
        summary=summary,
        state=state,
        registered_at=registered_at,
        outcome=outcome,
        outcome_at=outcome_at,
        closed_at=outcome_at if archived else None,
        risk_criminal=risk_criminal,
        risk_group_petition=risk_group_petition,
        lead_mediator=lead,
        room=room,
    )
    if mediators:
        dispute.mediators.set(mediators)
    for name, id_number, phone in parties:
        Party.objects.create(
            dispute=dispute,
            side="applicant",
            name=name,
            id_number=id_number,
            phone=phone,
            consent="agreed",
        )
    for record in sessions:
        session = Session.objects.create(
            dispute=dispute, held_at=registered_at, place="调解室", room=room, record=record
        )
        if lead:
            session.mediators.set([lead])
    text = [title, summary, *sessions]
    if outcome == Outcome.AGREEMENT:
        moment = outcome_at or registered_at
        Agreement.objects.create(
            dispute=dispute,
            matters=summary,
            terms=terms,
            performance="签订之日起十日内履行。",
            signed_at=moment,
            effective_at=moment,
            confirmation_due=moment.date(),
            confirmation_warn_on=moment.date(),
            performed=performed,
        )
        text.append(terms)
    if archived:
        dispute.search_tokens = " ".join(search_tokens("\n".join(text)))
        dispute.save(update_fields=["search_tokens"])
    return dispute


@pytest.fixture
def dispute_factory(world: World) -> Callable[..., Dispute]:
    return make_dispute
