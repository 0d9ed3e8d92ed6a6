"""Reads of import jobs: an administrator sees every job, anyone else the jobs they uploaded."""

from django.db.models import QuerySet

from zhili.core.roles import Role
from zhili.core.scope import role_codes
from zhili.core.selecting import one_or_not_found
from zhili.core.types import Actor
from zhili.imports.models import ImportJob


def job_list(*, user: Actor, kind: str = "") -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("created_by")
    if kind:
        qs = qs.filter(kind=kind)
    if user.is_superuser or Role.ADMIN in role_codes(user):
        return qs
    return qs.filter(created_by=user)


def job_get(*, user: Actor, pk: int) -> ImportJob:
    return one_or_not_found(job_list(user=user), "导入批次不存在", pk=pk)
