"""The petition demo: every state, group visits, review chains, a repeat after re-review,
key petitioners, red cards (their supervision orders: supervision/tests/test_demo.py);
idempotent and fast."""

import io
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.orgs.demo import load as load_orgs
from zhili.orgs.demo.hours import office_hours, office_time_of_day
from zhili.orgs.models import User
from zhili.petitions import demo, services
from zhili.petitions.models import Card, KeyPetitioner, Petition, PetitionEvent, State
from zhili.petitions.services.registration import REPEAT_MESSAGE
from zhili.registers.models import PersonRole

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
    # Each key petitioner is a role of the people register (its person registered by their
    # grid in the demo), or the record says why not (no ID number): no grid is invented.
    assert result["created"]["key_petitioner_roles"] >= 3
    for record in KeyPetitioner.objects.select_related("role__person", "petitioner"):
        if record.role is None:
            assert record.role_note and not record.petitioner.id_number, record.role_note
            continue
        assert record.role_note == "" and record.role.ended_at is None
        assert record.role.kind == "key_petitioner"
        assert record.role.person.id_number == record.petitioner.id_number
        assert record.role.details["reason"] == record.reason
    # The review windows run from the delivery of the answer; a re-review's hearing is under
    # way, its clock stopped.
    delivered = Petition.objects.filter(reply_delivered_on__isnull=False)
    assert delivered.count() > 100
    assert all(
        timezone.localdate(p.review_request_until) == p.reply_delivered_on + timedelta(days=30)
        for p in delivered
    )
    anonymous = Petition.objects.filter(is_anonymous=True)
    assert anonymous.count() == 2 and not anonymous.filter(parties__isnull=False).exists()
    assert not anonymous.filter(reply_delivered_on__isnull=False).exists()
    # 涉法涉诉 goes to the political-legal organs, 检举控告 to discipline inspection.
    assert set(
        Petition.objects.filter(category="law", handling_unit__isnull=False).values_list(
            "handling_unit__code", flat=True
        )
    ) == {"320722-SFSS"}
    assert set(
        Petition.objects.filter(kind="accusation", handling_unit__isnull=False).values_list(
            "handling_unit__code", flat=True
        )
    ) == {"320722-JJJC"}
    hearings = Petition.objects.filter(hearing_started_on__isnull=False)
    assert hearings.exists()
    assert all(p.state == State.RE_REVIEW_REQUESTED and p.due_at is None for p in hearings)
    # An extension waits for the head of 自然资源和规划局 (the "unithead" persona); approved
    # ones name who approved them.
    pending = Petition.objects.filter(
        extension_requested_at__isnull=False,
        extension_decided_at__isnull=True,
        handling_unit__code="320722-ZRZYJ",
    ).first()
    assert pending is not None
    head = User.objects.get(username="unithead")
    assert "approve_extension" in {t.name for t in services.actions_for(head, pending)}
    approved = Petition.objects.filter(extension_days__gt=0)
    assert approved.exists() and approved.filter(extension_decided_by__isnull=False).exists()
    assert approved.filter(events__action="approve_extension").count() == approved.count()
    assert Petition.objects.filter(card=Card.RED).exists()
    numbers = sorted(Petition.objects.values_list("number", flat=True))
    assert numbers[0].endswith("-000001") and numbers[-1].endswith(f"-{len(numbers):06d}")
    # Every petition has a timeline that starts with its registration.
    assert PetitionEvent.objects.filter(action="register").count() == len(numbers)
    # Officers, handlers and heads act in office hours: a petition is registered and accepted
    # (受理) in the working day, not at 02:25 (on a long holiday, in a duty officer's day);
    # only the petitioner rates online at any hour.
    by_people = PetitionEvent.objects.exclude(actor__isnull=True)
    assert by_people.filter(action="accept").count() > 100
    night = [(e.action, e.created_at) for e in by_people if not office_time_of_day(e.created_at)]
    assert night == []
    on_workdays = [e for e in by_people if office_hours(e.created_at)]
    assert len(on_workdays) > 0.9 * by_people.count()
    assert (
        User.objects.filter(username__in=["jijian", "renshe", "ziyuan"], is_demo=True).count() == 3
    )
    # A second run adds nothing.
    counts = (
        Petition.objects.count(),
        PetitionEvent.objects.count(),
        PersonRole.objects.count(),
    )
    again = io.StringIO()
    demo.load(stdout=again)
    assert "跳过" in again.getvalue()
    assert counts == (
        Petition.objects.count(),
        PetitionEvent.objects.count(),
        PersonRole.objects.count(),
    )
