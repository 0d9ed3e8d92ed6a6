"""Audit rows are written in the service's transaction, or not at all."""

from typing import Any

import pytest

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.models import AuditLog
from zhili.orgs.models import User
from zhili.orgs.services import user_create


def test_audit_outside_a_transaction_raises() -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        audit(None, "test.nothing")


def test_user_create_writes_its_audit_row(personas: Any, tree: Any) -> None:
    user = user_create(
        actor=personas.admin,
        username="new-officer",
        full_name="新专干",
        organization=tree.v12,
        roles=["village_officer"],
    )
    row = AuditLog.objects.get(action="orgs.user.create")
    assert row.actor == personas.admin
    assert (row.target_type, row.target_id) == ("orgs.user", str(user.pk))
    assert row.extra == {"organization": tree.v12.code, "roles": ["village_officer"]}


def test_failed_service_writes_no_audit_row_and_no_user(personas: Any, tree: Any) -> None:
    before = AuditLog.objects.count()
    with pytest.raises(InvalidInput):
        user_create(
            actor=personas.admin,
            username="new-officer",
            full_name="新专干",
            organization=tree.v12,
            roles=["village_officer", "emperor"],
        )
    with pytest.raises(InvalidInput):
        user_create(
            actor=personas.admin,
            username="x" * 200,  # too long: fails in full_clean, after the checks
            full_name="新专干",
            organization=tree.v12,
            roles=["village_officer"],
        )
    assert AuditLog.objects.count() == before
    assert not User.objects.filter(username__in=["new-officer", "x" * 200]).exists()
