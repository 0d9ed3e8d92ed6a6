"""Background tasks of the video app (run by `zhili worker`, fired by the scheduler)."""

from django.conf import settings
from django_tasks import task

from zhili.video.clips import clip_record
from zhili.video.devices import devices_sweep
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


@task()
def sweep_devices_task() -> dict[str, int]:
    """Take offline the GB/T 28181 devices silent for 3 keepalive intervals, with their
    channels, even while the `zhili gb28181` server itself is down (it sweeps too)."""
    codes = devices_sweep(
        interval=settings.GB28181_KEEPALIVE_INTERVAL, missed=settings.GB28181_KEEPALIVE_MISSED
    )
    return {"offline": len(codes)}
