"""What the case services share: the timeline row, through the dossier kernel, and the types
of what a step writes and what an action takes."""

from datetime import datetime
from typing import Any, TypeAlias, TypedDict

from django.core.files.uploadedfile import UploadedFile

from zhili.cases.dossier import KIND
from zhili.cases.models import Case, CaseEvent
from zhili.core.dossier import record_history
from zhili.core.types import SystemActor
from zhili.core.uploads import Kind

# The fields a step writes on a case or a task: column name -> value (or an F expression).
Changes: TypeAlias = dict[str, object]
# Uploaded files with the real type `check_upload` found for each.
CheckedFiles: TypeAlias = list[tuple[UploadedFile, Kind]]


class ActionParams(TypedDict, total=False):
    """What an action of the workflow takes, from the action forms and the API: each handler
    reads the parameters it needs and names the one that is wrong."""

    unit: str | None  # dispatch, reassign, hand_down; an assisting unit's task
    assisting: list[str]  # dispatch, reassign
    assist_until: datetime | str | None
    note: str
    reply: str  # reply, assist_reply
    rating: str  # rate
    comment: str
    reason: str  # the actions that need a reason
    until: datetime | str | None  # request_extension
    township: str | None  # assign_down
    master: str | None  # merge
    attachments: list[UploadedFile]
    files: CheckedFiles  # the attachments, checked by `case_act`


class AssistData(TypedDict, total=False):
    """What a timeline row records of the assisting tasks a step opened or withdrew."""

    assisting: list[str]  # the units' codes
    assist_due_at: datetime | None
    withdrawn: list[str]


def history(
    case: Case,
    action: str,
    from_state: str,
    to_state: str,
    actor: SystemActor,
    note: str = "",
    **data: Any,
) -> CaseEvent:
    """A line of the case's timeline, in the caller's transaction (`data` as the kernel's
    `record_history` takes it, `at` included)."""
    row = record_history(
        KIND, case, action, from_state=from_state, to_state=to_state, actor=actor, note=note, **data
    )
    assert isinstance(row, CaseEvent)
    return row
