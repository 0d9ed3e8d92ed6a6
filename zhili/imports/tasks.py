"""Background work of the import (run by `zhili worker`)."""

from django_tasks import task

from zhili.imports.services import import_job_run


@task()
def run_import_job(job_id: int) -> dict[str, int | str]:
    job = import_job_run(job_id)
    return {"state": job.state, "created": job.created_count, "skipped": job.skipped_count}
