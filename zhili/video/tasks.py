"""Background tasks of the video app (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.video.clips import clip_record
from zhili.video.live import live_sweep


@task()
def sweep_live_task() -> dict[str, int]:
    """Views the pages stopped beating for end; streams idle past the teardown time close."""
    swept = live_sweep()
    return {"views_ended": swept.views_ended, "streams_closed": swept.streams_closed}


@task()
def record_clip(clip_id: int) -> dict[str, object]:
    """A clip asked for on a case's page (zhili.video.clips), recorded into its attachments."""
    clip = clip_record(clip_id)
    return {"state": clip.state, "attachment": clip.attachment_id}
