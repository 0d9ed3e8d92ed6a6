"""Background tasks of the video app (run by `zhili worker`, fired by the scheduler)."""

from django_tasks import task

from zhili.video.live import live_sweep


@task()
def sweep_live_task() -> dict[str, int]:
    """Views the pages stopped beating for end; streams idle past the teardown time close."""
    swept = live_sweep()
    return {"views_ended": swept.views_ended, "streams_closed": swept.streams_closed}
