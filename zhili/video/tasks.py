"""Background work of the video app (run by `zhili worker`)."""

from django_tasks import task

from zhili.video.clips import clip_record


@task()
def record_clip(clip_id: int) -> dict[str, object]:
    clip = clip_record(clip_id)
    return {"state": clip.state, "attachment": clip.attachment_id}
