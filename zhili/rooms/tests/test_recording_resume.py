"""A conversion that falls silent (the worker killed mid-way, its task lost) is taken up again
by the rooms' sweep, and fails with its reason after ROOMS_CONVERT_ATTEMPTS tries; a
conversion that reports progress, or has just stopped, is left to its worker."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.rooms.models import Recording, RecordingState, Room
from zhili.rooms.recording import recordings_resume
from zhili.rooms.tasks import convert_recording_task

pytestmark = pytest.mark.django_db


def enqueued() -> list[int]:
    """The recordings whose conversion waits in the task queue (the worker is not running)."""
    rows = DBTaskResult.objects.filter(task_path=convert_recording_task.module_path)
    return sorted(row.args_kwargs["args"][0] for row in rows)


def converting(
    tree: Tree, personas: Tree, progress: int, silent_s: float, attempts: int
) -> Recording:
    now = timezone.now()
    room = Room.objects.create(
        number=f"SP{Room.objects.count() + 1:04d}",
        purpose="meeting",
        subject="会议",
        title="周例会",
        path=tree.county.path,
        starts_at=now - timedelta(hours=1),
        host=personas.dispatcher,
    )
    return Recording.objects.create(
        room=room,
        state=RecordingState.CONVERTING,
        folder="r1",
        started_at=now - timedelta(minutes=50),
        stopped_at=now - timedelta(minutes=40),
        started_by=personas.dispatcher,
        progress=progress,
        progress_at=now - timedelta(seconds=silent_s),
        attempts=attempts,
    )


def test_silent_conversions_are_taken_up_again_and_fail_after_the_last_try(
    tree: Tree,
    personas: Tree,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ROOMS_CONVERT_SILENT_SECONDS, settings.ROOMS_CONVERT_ATTEMPTS = 600, 3
    killed = converting(tree, personas, progress=40, silent_s=900, attempts=1)
    lost = converting(tree, personas, progress=0, silent_s=900, attempts=0)  # never claimed
    busy = converting(tree, personas, progress=40, silent_s=30, attempts=1)
    waiting = converting(tree, personas, progress=0, silent_s=30, attempts=0)
    spent = converting(tree, personas, progress=70, silent_s=900, attempts=3)

    with django_capture_on_commit_callbacks(execute=True):
        assert recordings_resume() == 3
    assert enqueued() == sorted([killed.pk, lost.pk])
    for recording in (killed, lost):
        recording.refresh_from_db()
        assert (recording.state, recording.progress) == (RecordingState.CONVERTING, 0)
        assert timezone.now() - recording.progress_at < timedelta(seconds=5)
    for recording in (busy, waiting):
        recording.refresh_from_db()
        assert recording.state == RecordingState.CONVERTING and recording.progress == (
            40 if recording == busy else 0
        )
    spent.refresh_from_db()
    assert spent.state == RecordingState.FAILED
    assert spent.error == "转换进程 3 次中断，原始录制文件已保留"
    assert AuditLog.objects.filter(
        action="rooms.recording.fail", target_id=str(spent.room_id)
    ).exists()

    # Taken up just now: the next sweep waits a whole silence again.
    with django_capture_on_commit_callbacks(execute=True):
        assert recordings_resume() == 0
