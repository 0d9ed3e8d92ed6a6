from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from zhili.orgs.models import AuthToken


@task()
def expire_idle_tokens() -> int:
    """Revoke bearer tokens unused for ZHILI_TOKEN_IDLE_DAYS, so they stop showing as live."""
    cutoff = timezone.now() - timedelta(days=settings.ZHILI_TOKEN_IDLE_DAYS)
    return AuthToken.objects.filter(revoked_at__isnull=True, last_used_at__lt=cutoff).update(
        revoked_at=timezone.now()
    )
