"""Background tasks of the rooms (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.rooms.attendance import rooms_sweep
from zhili.rooms.recording import recording_convert, recordings_resume
from zhili.rooms.watches import watches_sweep


@task()
def sweep_rooms_task() -> dict[str, int]:
    """Attendance of pages that stopped beating (and whose leave Janus never reported) closes,
    as do silent supervisors' watches; recordings whose conversion fell silent are taken up
    again."""
    return {
        "presences_closed": rooms_sweep(),
        "watches_ended": watches_sweep(),
        "recordings_resumed": recordings_resume(),
    }


@task()
def convert_recording_task(recording_id: int) -> dict[str, object]:
    """A stopped recording's .mjr files into one MP4 (zhili.rooms.recording)."""
    recording = recording_convert(recording_id)
    return {"state": recording.state, "sha256": recording.sha256}
