"""Every write of the import: the upload (a job of one kind, zhili/imports/kinds.py), and
the job's run in the background.

A job runs in two passes over the workbook. The first reads every row (streaming) and checks
it, collecting every fault; a file with any fault is rejected and imports nothing. The
checked rows wait in a temporary file (pickled batches), so the second pass does not parse
the workbook again: it hands the rows to the kind's `write` batch by batch, each batch in
its own transaction, and moves the progress bar between batches. Should the run stop
half-way (the machine stops, the database refuses), running the same file again completes
it: each kind skips the rows already imported (cases by their channel and original number,
people by their ID number).
"""

import hashlib
import logging
import pickle
import tempfile
from collections.abc import Iterator
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.core.uploads import sniff
from zhili.imports.cases import EXAMPLE_ID
from zhili.imports.kinds import kind_of
from zhili.imports.models import ImportJob, JobState
from zhili.imports.reading import MAX_ROWS, RowError, Sheet
from zhili.imports.validation import Checker

log = logging.getLogger(__name__)

MAX_BYTES = 40 * 1024 * 1024  # 100,000 rows of the template take about 7 MB
BATCH = 2000  # rows per transaction of the import, and per progress step
__all__ = ["EXAMPLE_ID", "import_job_create", "import_job_run"]


def _check_file(upload: UploadedFile) -> str:
    """The file's SHA-256, after making sure that it is a workbook (by its content)."""
    size = upload.size or 0
    if size == 0:
        raise InvalidInput("上传的文件是空的", field="file")
    if size > MAX_BYTES:
        raise InvalidInput(
            f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入", field="file"
        )
    upload.seek(0)
    kind = sniff(upload.read(65536))
    if kind is None or kind.extension != "xlsx":
        raise InvalidInput("请上传 Excel 工作簿（.xlsx），可先下载导入模板填写", field="file")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def import_job_create(*, actor: Actor, upload: UploadedFile, kind: str = "cases") -> ImportJob:
    """Store the upload as a job of `kind` (zhili.imports.kinds) and queue its run (the
    worker picks it up after commit)."""
    spec = kind_of(kind)
    require(actor, spec.action)
    sha256 = _check_file(upload)
    name = (upload.name or f"{spec.noun}.xlsx").rsplit("/", 1)[-1][:200]
    job = ImportJob(name=name, size=upload.size or 0, sha256=sha256, created_by=actor, kind=kind)
    job.file.save(f"{sha256[:12]}.xlsx", upload, save=False)
    job.save()
    audit(actor, "imports.job.upload", job, kind=kind, name=name, size=job.size, sha256=sha256)
    from zhili.imports.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job


# --- the run -------------------------------------------------------------------------------------


def import_job_run(job_id: int) -> ImportJob:
    """Validate, then import. Runs once per job: a second call finds the job taken."""
    claimed = ImportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.VALIDATING, started_at=timezone.now(), processed=0
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        with job.file.open("rb") as handle, tempfile.TemporaryFile() as spool:
            checker = _validate(job, handle, spool)
            if checker.error_count:
                _reject(job, checker)
            else:
                spool.seek(0)
                _import(job, spool, checker.rows)
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        _fail(job, exc)
        raise
    job.refresh_from_db()
    return job


def _progress(job: ImportJob, **fields: object) -> None:
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _validate(job: ImportJob, handle: IO[bytes], spool: IO[bytes]) -> Checker[object]:
    """Pass one: every row checked; the good ones spooled, in batches, while all are good."""
    kind = kind_of(job.kind)
    checker = kind.checker(job)
    try:
        sheet = Sheet(handle, kind)
    except InvalidInput as exc:
        checker.add(RowError(1, "", exc.message))
        return checker
    try:
        for error in sheet.read_header():
            checker.add(error)
        if checker.error_count:
            return checker
        _check_rows(job, sheet, checker, spool)
        if not checker.rows and not checker.error_count:
            checker.add(RowError(sheet.header_row + 1, "", f"表头之下没有{kind.noun}数据"))
    finally:
        sheet.close()
    return checker


def _check_rows(job: ImportJob, sheet: Sheet, checker: Checker[object], spool: IO[bytes]) -> None:
    """Every data row checked (up to MAX_ROWS); the valid ones spooled in batches while no
    row has failed; the progress written every batch."""
    estimate = sheet.estimate()
    _progress(job, total_rows=estimate)
    batch: list[object] = []  # the kind's checked rows
    for number, row in sheet.data():
        if checker.rows >= MAX_ROWS:
            checker.add(
                RowError(number, "", f"超过单个文件 {MAX_ROWS:,} 行的上限，请拆分后分批导入")
            )
            break
        valid = checker.check(number, row)
        if valid is not None and sheet.kind.is_example(valid):
            checker.rows -= 1  # the template's example row
            continue
        if valid is not None and not checker.error_count:
            batch.append(valid)
        if len(batch) >= BATCH:
            pickle.dump(batch, spool)
            batch = []
        if checker.rows % BATCH == 0:
            _progress(job, processed=checker.rows, total_rows=max(estimate, checker.rows))
    if batch and not checker.error_count:
        pickle.dump(batch, spool)


def _batches(spool: IO[bytes]) -> Iterator[list[object]]:
    while True:
        try:
            yield pickle.load(spool)  # noqa: S301  (our own temporary file, written above)
        except EOFError:
            return


def _import(job: ImportJob, spool: IO[bytes], total: int) -> None:
    """Pass two: the rows written by the kind, a batch per transaction; the job audited once
    at the end."""
    kind = kind_of(job.kind)
    _progress(job, state=JobState.IMPORTING, total_rows=total, processed=0)
    created = skipped = done = 0
    for rows in _batches(spool):
        with transaction.atomic():
            result = kind.write(job, rows)
        created += result.created
        skipped += result.skipped
        done += len(rows)
        _progress(job, processed=done, created_count=created, skipped_count=skipped)
    counts = {"created_count": created, "skipped_count": skipped}
    message = f"新增 {created} {kind.unit}，已存在跳过 {skipped} {kind.unit}"
    with transaction.atomic():
        _end(job, JobState.DONE, message, processed=done, **counts)
        _audit(job, "imports.job.import", rows=done, created=created, skipped=skipped)
        kind.finished(job, created, skipped)


def _end(job: ImportJob, state: JobState, message: str, **fields: object) -> None:
    """The job's last state, with its message and the end's time."""
    _progress(job, state=state, message=message, finished_at=timezone.now(), **fields)


def _audit(job: ImportJob, action: str, **extra: object) -> None:
    audit(job.created_by, action, job, kind=job.kind, **extra)


def _rejection(checker: Checker[object], noun: str) -> str:
    if checker.error_rows:
        return f"{checker.error_rows} 行有误，共 {checker.error_count} 处问题，未导入任何{noun}"
    return f"文件格式有误（{checker.error_count} 处问题），未导入任何{noun}"


@transaction.atomic
def _reject(job: ImportJob, checker: Checker[object]) -> None:
    rows, error_rows, errors = checker.rows, checker.error_rows, checker.error_count
    _end(
        job,
        JobState.REJECTED,
        _rejection(checker, kind_of(job.kind).noun),
        total_rows=rows,
        processed=rows,
        error_count=errors,
        error_rows=error_rows,
        errors=[e.as_dict() for e in checker.errors],
    )
    _audit(job, "imports.job.reject", rows=rows, error_rows=error_rows, errors=errors)


@transaction.atomic
def _fail(job: ImportJob, exc: Exception) -> None:
    noun = kind_of(job.kind).noun
    message = (
        f"导入中断（{exc.__class__.__name__}），已导入的{noun}保留；重新上传同一文件可补齐其余部分"
    )
    _end(job, JobState.FAILED, message)
    audit(job.created_by, "imports.job.fail", job, error=str(exc)[:300])
