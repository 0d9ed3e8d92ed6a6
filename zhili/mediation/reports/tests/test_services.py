"""Marking exemplary cases: who may, on what, and what is recorded."""

import pytest

from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog
from zhili.mediation.models import DisputeEvent
from zhili.mediation.reports.services import dispute_mark_exemplary, dispute_unmark_exemplary
from zhili.mediation.reports.tests.conftest import make_dispute

pytestmark = pytest.mark.django_db


def test_chair_marks_an_archived_agreed_dispute(world):
    dispute = make_dispute(world.c11, outcome="agreement")
    dispute_mark_exemplary(actor=world.chair, dispute=dispute, note="  以情说理，化解积怨。 ")
    dispute.refresh_from_db()
    assert dispute.is_exemplary and dispute.exemplary_note == "以情说理，化解积怨。"
    assert dispute.exemplary_by == world.chair and dispute.exemplary_at is not None
    event = DisputeEvent.objects.get(dispute=dispute, action="mark_exemplary")
    assert event.actor == world.chair and event.from_state == event.to_state == "archived"
    log = AuditLog.objects.get(action="mediation.dispute.mark_exemplary")
    assert log.target_id == str(dispute.pk) and log.actor == world.chair


def test_marking_twice_is_a_conflict_and_unmark_takes_it_back(world):
    dispute = make_dispute(world.c1, outcome="agreement")
    dispute_mark_exemplary(actor=world.chair, dispute=dispute, note="典型")
    with pytest.raises(Conflict):
        dispute_mark_exemplary(actor=world.chair, dispute=dispute, note="典型")
    dispute_unmark_exemplary(actor=world.chair, dispute=dispute, reason="案情重复")
    dispute.refresh_from_db()
    assert not dispute.is_exemplary and dispute.exemplary_note == ""
    assert DisputeEvent.objects.get(action="unmark_exemplary").note == "案情重复"
    assert AuditLog.objects.filter(action="mediation.dispute.unmark_exemplary").count() == 1
    with pytest.raises(Conflict):
        dispute_unmark_exemplary(actor=world.chair, dispute=dispute)


def test_only_archived_disputes_with_an_agreement(world):
    open_one = make_dispute(world.c1, outcome="agreement", archived=False)
    failed = make_dispute(world.c1, outcome="no_agreement")
    audit_rows = AuditLog.objects.count()
    for dispute in (open_one, failed):
        with pytest.raises(Conflict) as exc:
            dispute_mark_exemplary(actor=world.chair, dispute=dispute, note="典型")
        assert exc.value.code == "wrong_state"
    assert not DisputeEvent.objects.filter(action="mark_exemplary").exists()
    assert AuditLog.objects.count() == audit_rows


def test_refusals_by_role_scope_and_note(world):
    dispute = make_dispute(world.c1, outcome="agreement")
    with pytest.raises(Forbidden):
        dispute_mark_exemplary(actor=world.viewer, dispute=dispute, note="典型")
    with pytest.raises(Forbidden):
        dispute_mark_exemplary(actor=world.m1.user, dispute=dispute, note="典型")
    with pytest.raises(NotFound):  # another township's chair: as if it did not exist
        dispute_mark_exemplary(actor=world.chair2, dispute=dispute, note="典型")
    with pytest.raises(InvalidInput) as exc:
        dispute_mark_exemplary(actor=world.chair, dispute=dispute, note="   ")
    assert exc.value.field == "note"
    with pytest.raises(InvalidInput):
        dispute_mark_exemplary(actor=world.chair, dispute=dispute, note="长" * 2001)
    dispute.refresh_from_db()
    assert not dispute.is_exemplary
    dispute_mark_exemplary(actor=world.county_chair, dispute=dispute, note="县级评选")
