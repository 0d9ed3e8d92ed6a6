"""`insert_row` writes what `Model.objects.create` would, and gives the object its key."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.models import AuditLog, OutboxEvent
from zhili.core.rows import find_pk, insert_row, update_row

pytestmark = pytest.mark.django_db


def test_defaults_are_applied_and_the_new_key_is_returned() -> None:
    before = timezone.now()
    event = insert_row(OutboxEvent(name="test.happened", payload={"街道": "白塔埠", "n": 2}))
    assert event.pk is not None and not event._state.adding
    stored = OutboxEvent.objects.get(pk=event.pk)
    assert stored.payload == {"街道": "白塔埠", "n": 2}
    assert stored.attempts == 0 and stored.claimed_by == "" and stored.delivered_at is None
    assert before <= stored.created_at <= timezone.now()
    assert stored.available_at == event.available_at


def test_the_row_equals_the_one_create_writes(personas: Any) -> None:
    fields = {"name": "test.same", "payload": {"a": [1, 2]}, "attempts": 3, "last_error": "x"}
    made = OutboxEvent.objects.create(**fields)
    inserted = insert_row(OutboxEvent(**fields))
    assert inserted.pk == made.pk + 1  # the same sequence, no gap
    one, other = (
        model_to_dict(OutboxEvent.objects.get(pk=pk), exclude=["id", "created_at", "available_at"])
        for pk in (made.pk, inserted.pk)
    )
    assert one == other


def test_an_explicit_key_is_kept() -> None:
    at = timezone.now() - timedelta(days=1)
    event = insert_row(OutboxEvent(pk=987_654, name="test.keyed", created_at=at))
    assert event.pk == 987_654
    assert OutboxEvent.objects.get(pk=987_654).created_at == at


def test_audit_rows_go_through_it_inside_the_transaction(personas: Any) -> None:
    with transaction.atomic():
        row = audit(personas.admin, "test.rows", personas.dispatcher, why="检查")
    stored = AuditLog.objects.get(pk=row.pk)
    assert (stored.actor, stored.target_id) == (personas.admin, str(personas.dispatcher.pk))
    assert stored.extra == {"why": "检查"}


def test_update_row_writes_only_the_named_fields() -> None:
    event = insert_row(OutboxEvent(name="test.before", attempts=1))
    event.name, event.attempts, event.last_error = "test.after", 7, "not written"
    update_row(event, "name", "attempts")
    stored = OutboxEvent.objects.get(pk=event.pk)
    assert (stored.name, stored.attempts, stored.last_error) == ("test.after", 7, "")


def test_find_pk_answers_the_key_of_a_matching_row_or_none() -> None:
    event = insert_row(OutboxEvent(name="test.find", claimed_by="worker-1"))
    assert find_pk(OutboxEvent, name="test.find", claimed_by="worker-1") == event.pk
    assert find_pk(OutboxEvent, name="test.find", claimed_by="worker-2") is None
    assert find_pk(OutboxEvent, name="test.nowhere") is None
