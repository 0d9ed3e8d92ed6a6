"""The people register (issue 17) at a county's size.

Setup loads the Donghai demo's organizations, grids and staff. Then:

- `registers.import_100k`: a 100,000-row people file for the grids of township 320722003
  (its governance officer, the `township` persona, uploads it), run as the worker runs it
  (`import_job_run`: every row checked, then written batch by batch), then the same file
  again (every row skipped: the re-import adds nothing).
- The register is filled to 1,000,000 people over all the county's grids by bulk insert,
  100,000 open roles on them (a tenth of them special groups; care levels mixed) and a
  visit on a third of the roles.
- `registers.lookup_by_id`: a county leader's `people_list(q=<ID number>)` first row, the
  API's `q`, median of 200 random numbers.
- `registers.grid_list`: a township officer's first page of one grid's register
  (`people_list(grid=...)` + `keyset_page`, 50 rows, as the list page), median over 50 grids.
- `registers.visits_daily`: the visit scheduler's daily run: `visits.visits_due` for each
  township's officer (together they hold every person), due within the next day.
- `registers.visits_overdue`: the county's roles overdue by more than 7 days
  (`visits.overdue_roles`), what the warnings' scan reads every 10 minutes (走访逾期).

On PostgreSQL the filled tables are vacuumed and analyzed, as autovacuum does after a bulk
load (PostgreSQL 13+ counts inserts): without the visibility map an index-only scan (a grid's
people by `person_grid_newest`) reads every row from the heap.
"""

import io
import os
import random
import statistics
import time
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import Workbook

from zhili.core.dossier.pages import keyset_page
from zhili.core.personal import id_number_check_digit
from zhili.imports.models import JobState
from zhili.imports.people import COLUMNS, SHEET_NAME
from zhili.imports.services import import_job_create, import_job_run
from zhili.orgs.models import Grid, User
from zhili.registers import selectors, visits
from zhili.registers.kinds import KINDS, CareLevel, Kind
from zhili.registers.models import Person, PersonRole, Sex, Visit
from zhili.registers.services import KEPT_ELSEWHERE

ROWS = int(os.environ.get("BENCH_PEOPLE_ROWS", "100000"))
TOTAL = int(os.environ.get("BENCH_PEOPLE_TOTAL", "1000000"))
ROLES = int(os.environ.get("BENCH_PEOPLE_ROLES", "100000"))
TOWNSHIP = "320722003"
_EPOCH = date(1940, 1, 1)
_DAYS = 25_000  # birth dates 1940 .. 2008
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂兰玉兰建华建国志强永军海燕丽娟明军"


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", "--only", "zhili.orgs", stdout=io.StringIO())


def number(i: int) -> str:
    """The i-th distinct, valid resident ID number of the county."""
    born = _EPOCH + timedelta(days=i % _DAYS)
    first = f"320722{born:%Y%m%d}{i // _DAYS:03d}"
    return first + id_number_check_digit(first)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def build_file(grids: list[str], rows: int, seed: int = 17) -> bytes:
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_NAME)
    sheet.append([c.header for c in COLUMNS])
    # Not the kinds another register keeps (the key petitioners: the petition office's).
    kinds = [k for k in KINDS if k not in KEPT_ELSEWHERE]
    for i in range(rows):
        role = rng.choice(kinds) if rng.random() < 0.1 else ""
        values = {
            "id_number": number(i),
            "name": _name(rng),
            "grid": grids[i % len(grids)],
            "phone": f"139{rng.randrange(10**8):08d}",
            "ethnicity": "汉族",
            "current_address": f"东海县某村{i % 500}号",
            "house": f"{i % 500}号",
            "same_as_registered": "是",
            "role": Kind(role).label if role else "",
            "care_level": "高" if role and rng.random() < 0.2 else "",
        }
        sheet.append([values.get(c.key, "") for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def timed_job(content: bytes, actor: User) -> tuple[float, float, object]:
    upload = SimpleUploadedFile("people.xlsx", content)
    job = import_job_create(actor=actor, upload=upload, kind="people")
    started, cpu = time.perf_counter(), time.process_time()
    job = import_job_run(job.pk)
    return time.perf_counter() - started, time.process_time() - cpu, job


def _people(start: int, stop: int, grid_ids: list[int], now: datetime) -> Iterator[Person]:
    rng = random.Random(start)
    for i in range(start, stop):
        n = number(i)
        yield Person(
            id_number=n,
            name=_name(rng),
            sex=Sex.MALE if int(n[16]) % 2 else Sex.FEMALE,
            birth_date=date(int(n[6:10]), int(n[10:12]), int(n[12:14])),
            grid_id=grid_ids[i % len(grid_ids)],
            phone=f"138{i:08d}",
            created_at=now - timedelta(seconds=i),
            updated_at=now,
        )


def fill(start: int, grid_ids: list[int]) -> None:
    """People `start`..TOTAL by bulk insert, then ROLES roles and a visit on a third."""
    now = timezone.now()
    step = 10_000
    for chunk in range(start, TOTAL, step):
        with transaction.atomic():
            Person.objects.bulk_create(_people(chunk, min(TOTAL, chunk + step), grid_ids, now))
    rng = random.Random(5)
    ids = list(Person.objects.filter(roles__isnull=True).values_list("pk", flat=True))
    have = PersonRole.objects.count()
    plain = [k for k, s in KINDS.items() if not s.special]
    special = [k for k, s in KINDS.items() if s.special]
    chosen = rng.sample(ids, max(0, ROLES - have))
    roles = [
        PersonRole(
            person_id=pk,
            kind=rng.choice(special if rng.random() < 0.1 else plain),
            care_level=rng.choice(CareLevel.values),
            started_at=now - timedelta(days=rng.randrange(1, 200)),
        )
        for pk in chosen
    ]
    with transaction.atomic():
        made = PersonRole.objects.bulk_create(roles, batch_size=5000)
    visitor = User.objects.get(username="township")
    rows = [
        Visit(
            role_id=r.pk,
            by=visitor,
            visited_at=now - timedelta(days=rng.randrange(1, 100)),
            client_uuid=uuid.uuid4(),
        )
        for r in made[::3]
    ]
    with transaction.atomic():
        Visit.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def median_ms(calls: list) -> float:  # type: ignore[type-arg]
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run() -> dict[str, tuple[float, str]]:
    setup()
    officer = User.objects.get(username="township")
    grids = list(
        Grid.objects.filter(village__path__under=officer.organization.path)
        .order_by("code")
        .values_list("code", flat=True)
    )
    content = build_file(grids, ROWS)
    seconds, import_cpu, job = timed_job(content, officer)
    assert job.state == JobState.DONE, (job.state, job.message, job.errors[:5])  # type: ignore[attr-defined]
    assert job.created_count == ROWS, job.created_count  # type: ignore[attr-defined]
    again, again_cpu, second = timed_job(content, officer)
    assert second.created_count == 0 and second.skipped_count == ROWS  # type: ignore[attr-defined]

    started = time.perf_counter()
    fill(ROWS, list(Grid.objects.order_by("code").values_list("pk", flat=True)))
    filled = time.perf_counter() - started
    people = Person.objects.count()
    role_count = PersonRole.objects.count()

    leader = User.objects.get(username="leader")
    rng = random.Random(3)
    numbers = [number(rng.randrange(people)) for _ in range(200)]
    lookup = median_ms([lambda n=n: list(selectors.people_list(leader, q=n)[:1]) for n in numbers])
    some = rng.sample(grids, min(50, len(grids)))
    listing = median_ms(
        [
            lambda g=g: list(
                keyset_page(selectors.people_list(officer, grid=g), field="created_at").items
            )
            for g in some
        ]
    )
    officers = list(User.objects.filter(username__startswith="to320722").order_by("username"))
    now = timezone.now()
    started, cpu = time.perf_counter(), time.process_time()
    due = sum(
        len(visits.visits_due(o, due_before=now + timedelta(days=1), now=now)) for o in officers
    )
    daily, daily_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    overdue = len(visits.overdue_roles(now=now, by_more_than=timedelta(days=7)))
    county, county_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "registers.import_100k.seconds": (seconds, "s"),
        "registers.import_100k.cpu_seconds": (import_cpu, "s"),
        "registers.import_100k.file_megabytes": (len(content) / 1e6, "MB"),
        "registers.reimport_100k.seconds": (again, "s"),
        "registers.reimport_100k.cpu_seconds": (again_cpu, "s"),
        "registers.fill.seconds": (filled, "s"),
        "registers.people": (float(people), "people"),
        "registers.roles": (float(role_count), "roles"),
        "registers.lookup_by_id.median_ms": (lookup, "ms"),
        "registers.grid_list.median_ms": (listing, "ms"),
        "registers.visits_daily.seconds": (daily, "s"),
        "registers.visits_daily.cpu_seconds": (daily_cpu, "s"),
        "registers.visits_daily.due": (float(due), "roles"),
        "registers.visits_daily.townships": (float(len(officers)), "officers"),
        "registers.visits_overdue.seconds": (county, "s"),
        "registers.visits_overdue.cpu_seconds": (county_cpu, "s"),
        "registers.visits_overdue.roles": (float(overdue), "roles"),
    }
