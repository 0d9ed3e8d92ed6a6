"""The petition demo: every state, group visits, review chains, a repeat after re-review,
key petitioners, red cards with their supervision orders; idempotent and fast."""

import io
import time
from typing import Any

import pytest

from zhili.orgs.demo import load as load_orgs
from zhili.orgs.models import User
from zhili.petitions import demo
from zhili.petitions.models import Card, KeyPetitioner, Petition, PetitionEvent, State
from zhili.petitions.services.registration import REPEAT_MESSAGE
from zhili.supervision.models import SupervisionOrder

pytestmark = pytest.mark.any_day


def test_the_demo_loads_every_state_once(db: Any) -> None:
    load_orgs(stdout=io.StringIO())
    out = io.StringIO()
    started = time.monotonic()
    result = demo.load(stdout=out)
    assert time.monotonic() - started < 10
    assert "信访事项" in out.getvalue()
    assert 190 <= Petition.objects.count() == result["created"]["petitions"] <= 220
    assert set(Petition.objects.values_list("state", flat=True)) == set(State.values)
    assert Petition.objects.filter(is_group=True).count() >= 5
    assert all(
        p.parties.filter(is_representative=True).count() <= 5
        for p in Petition.objects.filter(is_group=True)
    )
    repeat = Petition.objects.filter(repeat_of__isnull=False).first()
    assert repeat is not None and repeat.repeat_flag == REPEAT_MESSAGE
    assert repeat.repeat_of.re_review_decided_at is not None
    assert KeyPetitioner.objects.count() >= 3
    red = Petition.objects.filter(card=Card.RED)
    assert red.exists() and SupervisionOrder.objects.filter(petition__in=red).count() == red.count()
    numbers = sorted(Petition.objects.values_list("number", flat=True))
    assert numbers[0].endswith("-000001") and numbers[-1].endswith(f"-{len(numbers):06d}")
    # Every petition has a timeline that starts with its registration.
    assert PetitionEvent.objects.filter(action="register").count() == len(numbers)
    assert (
        User.objects.filter(username__in=["jijian", "renshe", "ziyuan"], is_demo=True).count() == 3
    )
    # A second run adds nothing.
    counts = (
        Petition.objects.count(),
        PetitionEvent.objects.count(),
        SupervisionOrder.objects.count(),
    )
    again = io.StringIO()
    demo.load(stdout=again)
    assert "跳过" in again.getvalue()
    assert counts == (
        Petition.objects.count(),
        PetitionEvent.objects.count(),
        SupervisionOrder.objects.count(),
    )
