"""Attachments added to a case, at intake, with a transition or on their own."""

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from zhili.cases.dossier import KIND
from zhili.cases.models import Case, CaseAttachment, CaseEvent, State
from zhili.cases.services.common import history
from zhili.core.audit import audit
from zhili.core.dossier.transitions import check_side
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.types import Actor, SystemActor
from zhili.core.uploads import MAX_BYTES, check_upload


def attach_files(case: Case, files: list, actor: SystemActor, event: CaseEvent | None) -> None:
    user = actor if getattr(actor, "pk", None) else None
    for upload, kind in files:
        CaseAttachment.objects.create(
            case=case,
            file=upload,
            name=upload.name[:200],
            content_type=kind.mime,
            size=upload.size,
            uploaded_by=user,
            event=event,
        )


def check_may_attach(actor: Actor, case: Case) -> None:
    """Someone on the case's handler or dispatch side, while it is not merged; else the
    DomainError (Forbidden, Conflict). Also asked before slow work that ends in an attachment
    (a camera clip, zhili.video.clips)."""
    try:
        check_side(KIND, actor, case, "handler")
    except Forbidden:
        check_side(KIND, actor, case, "dispatch")
    if case.state == State.MERGED:
        raise Conflict("已合并的工单不能添加附件，请添加到主工单", code="wrong_state")


@transaction.atomic
def case_attach(
    *, actor: Actor, case: Case, files: Iterable[UploadedFile], max_bytes: int = MAX_BYTES
) -> list[CaseAttachment]:
    """Add attachments to `case` (fetched through a selector) for someone on its handler or
    dispatch side; the state does not change, so it never conflicts with a transition.
    `max_bytes`: larger for what the platform made itself (a camera clip)."""
    check_may_attach(actor, case)
    checked = [(f, check_upload(f, field="file", max_bytes=max_bytes)) for f in files]
    if not checked:
        raise InvalidInput("请选择要上传的附件", field="file")
    names = [upload.name or "" for upload, _kind in checked]
    event = history(case, "attach", case.state, case.state, actor, "、".join(names))
    attach_files(case, checked, actor, event)
    audit(actor, "cases.case.attach", case, files=names)
    return list(event.attachments.order_by("id"))
