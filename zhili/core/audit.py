"""The audit log: every state change and every view of personal data leaves a row."""

from django.db import models, transaction

from zhili.core.models import AuditLog
from zhili.core.rows import insert_row
from zhili.core.types import SystemActor


def target_label(target: models.Model) -> tuple[str, str]:
    return target._meta.label_lower, str(target.pk)


def audit(
    actor: SystemActor, action: str, target: models.Model | None = None, **extra: object
) -> AuditLog:
    """Record `action` (a stable code such as ``orgs.user.create``) by `actor` on `target`.

    Call it inside the service's transaction so the row commits or rolls back with the change.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit() must be called inside the service's transaction")
    target_type, target_id = target_label(target) if target is not None else ("", "")
    user = actor if getattr(actor, "pk", None) else None
    return insert_row(
        AuditLog(
            actor=user, action=action, target_type=target_type, target_id=target_id, extra=extra
        )
    )
