"""Petition fixtures: the discipline inspection center, handlers, and a registration helper."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from zhili.conftest import Tree, make_org
from zhili.core.roles import Role
from zhili.orgs.models import User
from zhili.petitions import services, workflow
from zhili.petitions.models import Petition
from zhili.petitions.services import PersonIn, Registration

# Valid GB 11643 numbers (check digits computed).
ID_A = "320722198503150017"
ID_B = "320722199001010027"
ID_C = "320722197811200034"
ID_D = "320722196507080045"
ID_E = "320722197202140056"
ID_F = "320722198810300062"
ID_G = "320722199306120075"


@pytest.fixture
def staff(personas: Tree, tree: Tree, make_user: Callable[..., User]) -> Tree:
    """The personas plus a discipline inspection center and its handler, the joint reception
    center for law-related matters (涉法涉诉, the political-legal organs), a second township
    officer, a township secretary (T1's head), the police's head and the county center's
    director (the head of the sub-centers)."""
    jjjc = make_org("320722-JJJC", "纪检监察举报中心", "subcenter", "county", tree.county)
    sfss = make_org("320722-SFSS", "涉法涉诉联合接访中心", "subcenter", "county", tree.county)
    return Tree(
        **personas.__dict__,
        jjjc=jjjc,
        sfss=sfss,
        inspector=make_user("inspector", jjjc, Role.DEPARTMENT_HANDLER),
        township2=make_user("township2", tree.t2, Role.TOWNSHIP_OFFICER),
        secretary=make_user("secretary", tree.t1, Role.TOWNSHIP_SECRETARY),
        police_head=make_user("police_head", tree.gaj, Role.UNIT_HEAD),
        director=make_user("director", tree.county, Role.CENTER_DIRECTOR),
    )


def registration(**overrides: Any) -> Registration:
    values: dict[str, Any] = dict(
        form="visit",
        kind="claim",
        title="土地征收补偿款未足额发放",
        matter="2025年村里修路征收我家承包地2亩，补偿款至今只发了一半，多次找村里未解决。",
        category="land",
        township="320722901",
        petitioners=[PersonIn(name="王秀英", id_number=ID_A, phone="13805181234")],
    )
    values.update(overrides)
    return Registration(**values)


@pytest.fixture
def register(staff: Tree) -> Callable[..., Petition]:
    def make(actor: Any = None, **overrides: Any) -> Petition:
        return services.petition_register(
            actor=actor or staff.petition, data=registration(**overrides)
        )

    return make


def advance(petition: Petition, staff: Tree, upto: str) -> Petition:
    """Move a claim along the main path up to `upto` (an action name), handled by T1, from
    wherever it stands on that path."""
    steps = [
        ("assign", staff.petition, {"handling_unit": "320722901", "route": "department_duty"}),
        ("accept", staff.township, {}),
        ("start", staff.township, {}),
        (
            "reply",
            staff.township,
            {
                "facts": "经查，补偿款已拨付到村。",
                "outcome": "support",
                "reply": "责成村委会十日内足额发放。",
                "basis": "《中华人民共和国土地管理法》第四十八条",
            },
        ),
        (
            "deliver",
            staff.township,
            {"delivered_on": timezone.localdate(), "delivery_method": "direct"},
        ),
        ("close", staff.petition, {}),
    ]
    for action, actor, params in steps:
        if petition.state not in workflow.TRANSITIONS[action].sources:
            continue  # already past this step
        petition = services.petition_act(actor=actor, petition=petition, action=action, **params)
        if action == upto:
            break
    return petition
