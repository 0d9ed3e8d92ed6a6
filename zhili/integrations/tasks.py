"""Background tasks of the integrations (run by `zhili worker`; periodic ones fired by the
scheduler, see config/schedule.py)."""

from django.utils import timezone
from django_tasks import task

from zhili.integrations.models import PushSignature
from zhili.integrations.services.callbacks import callback_attempt, callbacks_resume


@task()
def deliver_reply(callback_id: int) -> str:
    """One attempt at a reply call-back; a failure enqueues the next one (with run_after)."""
    return callback_attempt(callback_id)


@task()
def resume_reply_callbacks() -> int:
    return callbacks_resume()


@task()
def prune_push_signatures() -> int:
    """Forget signatures past their window: the timestamp check refuses those requests now."""
    deleted, _ = PushSignature.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
