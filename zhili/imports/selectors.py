"""Reads of import jobs: an administrator sees every job, anyone else the jobs they uploaded."""

from django.db.models import QuerySet

from zhili.core.errors import NotFound
from zhili.core.roles import Role
from zhili.core.scope import role_codes
from zhili.core.types import Actor
from zhili.imports.models import ImportJob


def job_list(*, user: Actor) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("created_by")
    if user.is_superuser or Role.ADMIN in role_codes(user):
        return qs
    return qs.filter(created_by=user)


def job_get(*, user: Actor, pk: int) -> ImportJob:
    try:
        return job_list(user=user).get(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise NotFound("导入批次不存在") from exc
