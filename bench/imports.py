"""The import of historical work orders (历史工单导入) at 100,000 rows.

Setup loads the Donghai demo's organizations, grids, people, catalog and rules (no year of
cases). The file is written as an officer would fill the template: realistic rows drawn by
the demo's sampler (channels, categories, places on the grids, a few address-only and
out-of-county requests, wording from the demo texts), registered over the past year, about
80 % of them closed with a reply. The run is the worker's: `import_job_run` reads and checks
every row, then writes the cases batch by batch. A second run of the same file measures the
idempotent path (every row skipped).
"""

import io
import os
import random
import time
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from zhili.cases.demo import texts
from zhili.cases.demo.sampling import Sampler, World
from zhili.cases.models import Case, Channel
from zhili.imports.columns import COLUMNS, SHEET_NAME
from zhili.imports.models import JobState
from zhili.imports.services import import_job_create, import_job_run
from zhili.orgs.models import User

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
CHANNEL_LABELS = dict(Channel.choices)


def setup() -> None:
    from zhili.cases.demo.loader import load

    call_command("migrate", verbosity=0)
    call_command("demo", "--only", "zhili.orgs", stdout=io.StringIO())
    load(stdout=io.StringIO(), cases=0)


def build_file(rows: int, seed: int = 7) -> bytes:
    now = timezone.now() - timedelta(days=1)
    world = World()
    sampler = Sampler(world, total=rows, now=now, seed=seed)
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_NAME)
    sheet.append([c.header for c in COLUMNS])
    for n, (at, channel) in enumerate(sampler.registration_times(), start=1):
        code, group, leaf = sampler.pick_category(channel, at.month)
        place = sampler.pick_place()
        name, phone, _anonymous = sampler.reporter(channel)
        phrase = rng.choice(leaf.phrases)
        opener = rng.choice(texts.OPENERS.get(channel, ("群众反映：",)))
        closed = at + timedelta(hours=rng.randint(4, 24 * 12))
        done = rng.random() < 0.8 and closed < now
        reply = rng.choice(texts.RESOLUTIONS.get(group.code, texts.RESOLUTIONS["QT"]))
        local = timezone.localtime(at).replace(tzinfo=None)
        sheet.append(
            [
                f"HIS-{local:%Y%m%d}-{n:06d}",
                CHANNEL_LABELS[channel],
                local,
                code,
                phrase,
                f"{opener}{place.address}{phrase}。{rng.choice(texts.REQUESTS)}",
                "",
                place.address,
                place.lat,
                place.lng,
                name,
                phone,
                reply if done else "",
                timezone.localtime(closed).replace(tzinfo=None) if done else None,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed_job(content: bytes, actor: User) -> tuple[float, float, object]:
    """(wall seconds, this process's CPU seconds, the finished job). On a busy machine the
    CPU time says what the work costs; the wall time what the officer waits."""
    upload = SimpleUploadedFile("historical.xlsx", content)
    job = import_job_create(actor=actor, upload=upload)
    started, cpu = time.perf_counter(), time.process_time()
    job = import_job_run(job.pk)
    return time.perf_counter() - started, time.process_time() - cpu, job


def run() -> dict[str, tuple[float, str]]:
    setup()
    dispatcher = User.objects.get(username="dispatcher")
    started = time.perf_counter()
    content = build_file(ROWS)
    build = time.perf_counter() - started
    before = Case.objects.count()
    seconds, cpu, job = timed_job(content, dispatcher)
    assert job.state == JobState.DONE, (job.state, job.message, job.errors[:5])  # type: ignore[attr-defined]
    created = Case.objects.count() - before
    assert created == ROWS, created
    again, _cpu, second = timed_job(content, dispatcher)
    assert second.skipped_count == ROWS  # type: ignore[attr-defined]
    return {
        "imports.file.rows": (float(ROWS), "rows"),
        "imports.file.megabytes": (len(content) / 1e6, "MB"),
        "imports.file.build_seconds": (build, "s"),
        "imports.import_100k.seconds": (seconds, "s"),
        "imports.import_100k.rate": (ROWS / seconds, "rows/s"),
        "imports.import_100k.cpu_seconds": (cpu, "s"),
        "imports.reimport_100k.seconds": (again, "s"),
    }
