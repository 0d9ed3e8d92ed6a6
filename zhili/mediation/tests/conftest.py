"""Mediation fixtures on top of the shared tree (zhili/conftest.py): a committee in each
township and in village V11, their mediators and chairs, a room, and a dispute factory."""

from datetime import date
from typing import Any

import pytest

from zhili.conftest import Tree
from zhili.core.personal import id_number_check_digit
from zhili.core.roles import Role
from zhili.mediation.models import (
    Committee,
    CommitteeMember,
    DisputeKind,
    Employment,
    MediationRoom,
    Mediator,
)
from zhili.mediation.services import PartyInput, Registration, dispute_register


def id_number(first17: str = "32072219800101123") -> str:
    return first17 + id_number_check_digit(first17)


def make_committee(org: Any, name: str) -> Committee:
    committee = Committee.objects.create(
        name=name,
        level=org.level,
        organization=org,
        path=org.path,
        term_start=date(2025, 1, 1),
        term_end=date(2027, 12, 31),
    )
    for i, (person, gender, position) in enumerate(
        [("王主任", "male", "chair"), ("李委员", "female", "member"), ("赵委员", "male", "member")]
    ):
        CommitteeMember.objects.create(
            committee=committee,
            name=f"{person}{i}",
            gender=gender,
            position=position,
            since=date(2025, 1, 1),
        )
    return committee


@pytest.fixture
def med(tree: Tree, personas: Tree, make_user: Any) -> Tree:
    c1 = make_committee(tree.t1, "甲镇人民调解委员会")
    c2 = make_committee(tree.t2, "乙乡人民调解委员会")
    cv11 = make_committee(tree.v11, "甲一村人民调解委员会")
    room = MediationRoom.objects.create(
        name="甲镇调解室", organization=tree.t1, path=tree.t1.path, committee=c1
    )
    users = {
        "mediator1": make_user("mediator1", tree.t1, Role.MEDIATOR),
        "chair1": make_user("chair1", tree.t1, Role.MEDIATION_CHAIR),
        "mediator2": make_user("mediator2", tree.t2, Role.MEDIATOR),
        "chair2": make_user("chair2", tree.t2, Role.MEDIATION_CHAIR),
        "secretary1": make_user("secretary1", tree.t1, Role.TOWNSHIP_SECRETARY),
    }
    mediators = {
        "m1": Mediator.objects.create(
            user=users["mediator1"], committee=c1, employment=Employment.FULL_TIME
        ),
        "m_chair1": Mediator.objects.create(user=users["chair1"], committee=c1),
        "m2": Mediator.objects.create(user=users["mediator2"], committee=c2),
        "m_chair2": Mediator.objects.create(user=users["chair2"], committee=c2),
    }
    mediators["m1"].rooms.add(room)
    return Tree(c1=c1, c2=c2, cv11=cv11, room=room, **users, **mediators, **personas.__dict__)


def registration(**fields: Any) -> Registration:
    data: dict[str, Any] = {
        "title": "邻里排水沟纠纷",
        "kind": DisputeKind.NEIGHBOURHOOD,
        "summary": "张某与李某因房屋之间排水沟堵塞、雨水倒灌发生争执，多次口角。",
        "place": "甲一村三组",
        "parties": [
            PartyInput(side="applicant", name="张建华", id_number=id_number(), phone="13912345678"),
            PartyInput(side="respondent", name="李桂英", phone="13800001111"),
        ],
    }
    data.update(fields)
    return Registration(**data)


@pytest.fixture
def make_dispute(med: Tree) -> Any:
    def make(actor: Any = None, committee: Committee | None = None, **fields: Any):
        return dispute_register(
            actor=actor or med.mediator1,
            registration=registration(**fields),
            committee=committee,
        )

    return make


def consent_all(dispute: Any, actor: Any) -> Any:
    from zhili.mediation.services import dispute_act

    for party in dispute.parties.all():
        dispute = dispute_act(
            actor=actor,
            dispute=dispute,
            action="consent",
            data={"party": party.pk, "consent": "agreed"},
        )
    return dispute


AGREEMENT = {
    "matters": "双方房屋之间排水沟长期堵塞，雨水倒灌至申请人厨房，双方为清理费用发生争执。",
    "terms": "一、被申请人于2026年12月5日前疏通排水沟；\n二、清理费用800元由双方各半承担。",
    "performance": "被申请人于2026年12月5日前一次性支付申请人400元。",
}
LIABILITY = {"applicant": "未及时清理自家一侧淤泥，负次要责任。", "respondent": "负主要责任。"}


def signed_agreement(dispute: Any, **extra: Any) -> dict[str, Any]:
    """The `agree` inputs of a written agreement every party, the mediator and the committee
    signed and sealed when it was reached (so it takes effect then)."""
    parties = list(dispute.parties.all())
    return {
        **AGREEMENT,
        "liabilities": [{"party": p.pk, "liability": LIABILITY[p.side]} for p in parties],
        "signatures": [{"party": p.pk, "method": "sign"} for p in parties],
        "mediator_signed_at": True,
        "sealed_at": True,
        **extra,
    }


def walk(dispute: Any, to: str, med: Tree) -> Any:
    """Take a fresh dispute of committee c1 to `to` by the usual path."""
    from zhili.mediation.services import dispute_act

    steps = {
        "accepted": [("accept", med.chair1, {})],
        "mediating": [("accept", med.chair1, {}), ("start", med.mediator1, {})],
    }
    steps["agreed"] = steps["mediating"] + [
        ("session", med.mediator1, {"record": "双方陈述了各自意见，调解员释法说理。"}),
        ("agree", med.mediator1, None),  # signed_agreement(dispute), built when reached
    ]
    steps["following_up"] = steps["agreed"] + [
        ("follow_up", med.mediator1, {"performed": "yes", "note": "已按约疏通并支付"})
    ]
    steps["failed"] = steps["mediating"] + [("fail", med.mediator1, {"note": "双方分歧过大"})]
    steps["archived"] = steps["following_up"] + [("archive", med.chair1, {})]
    dispute = consent_all(dispute, med.mediator1)
    for action, actor, data in steps.get(to, []):
        data = signed_agreement(dispute) if data is None else data
        dispute = dispute_act(actor=actor, dispute=dispute, action=action, data=data)
    assert dispute.state == to if to != "registered" else True
    return dispute


# The case and browser fixtures, by name, for the stories that start from a case.
from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: E402, F401
from zhili.web.tests.conftest import browser, page, session_cookies  # noqa: E402, F401
