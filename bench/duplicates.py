"""Duplicate detection and full-text search under load.

- MinHash: our numpy signature against datasketch's (time per text, and the error of the
  Jaccard estimate against the exact value over pairs of demo-like texts); SQLite run only;
- the duplicate check (candidate query + vectorised comparison, `duplicates.find`) p50/p99,
  with 1,000,000 cases registered in the 7-day window (BENCH_DUP_CASES to change it);
- full-text search (the lists' text box: first keyset page of 50) for a county dispatcher and
  a township officer, p50/p99.

Setup loads the Donghai demo's organizations, grids and catalog (no demo year); the cases are
synthetic rows spread over the grids and the last 7 days, their texts drawn from the demo
catalog's phrasings, written straight into the tables.
"""

import io
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from typing import Any

import numpy as np
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from bench.cases import text_pool
from zhili.cases import duplicates, text
from zhili.cases.models import Case, CaseText, Category, State
from zhili.cases.selectors import CaseFilters, case_list, filter_cases, keyset_page
from zhili.orgs.models import Grid, Organization, User

WINDOW_CASES = int(os.environ.get("BENCH_DUP_CASES", "1000000"))
CHECKS = 1000
STEP = 100_000
SEARCHES = ["噪音", "路灯", "占道经营", "噪音 扰民", "污水", "楼道 堆放"]


def setup() -> None:
    from zhili.cases.demo.loader import load

    call_command("migrate", verbosity=0)
    call_command("demo", "--only", "zhili.orgs", stdout=io.StringIO())
    load(stdout=io.StringIO(), cases=0)


def places() -> list[tuple[Any, ...]]:
    rows = Grid.objects.values_list(
        "id", "village_id", "village__parent_id", "min_lat", "min_lng", "max_lat", "max_lng"
    )
    return list(rows)


CASE_COLUMNS = [
    "id",
    "case_no",
    "channel",
    "external_id",
    "category_id",
    "title",
    "description",
    "urgency",
    "lat",
    "lng",
    "address",
    "grid_id",
    "village_id",
    "township_id",
    "out_of_area",
    "reporter_name",
    "reporter_phone",
    "anonymous",
    "state",
    "state_before_suspend",
    "dispatch_center_id",
    "routing_note",
    "area_path",
    "dispatch_path",
    "unit_path",
    "registered_at",
    "card",
    "extension_reason",
    "extended",
    "calendar_clock",
    "reply",
    "rating",
    "rating_comment",
    "reopen_count",
    "returned_count",
    "is_demo",
    "updated_at",
]
TEXT_COLUMNS = [
    "case_id",
    "tokens",
    "signature",
    '"group"',
    "registered_at",
    "grid_id",
    "township_id",
    "cell",
    "lat",
    "lng",
    "scope",
]


def with_defaults(
    model: Any, columns: list[str], rows: list[tuple[Any, ...]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every other column that takes no NULL gets the model's default: a new field must not
    break the bench's raw insert (as in bench.cases.synthetic_rows)."""
    named = {c.strip('"') for c in columns}
    rest = [
        f
        for f in model._meta.concrete_fields
        if not f.null and not f.primary_key and f.column not in named
    ]
    defaults = tuple(f.get_default() for f in rest)
    return columns + [f.column for f in rest], [row + defaults for row in rows]


def insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def fill(total: int, rng: random.Random, pool: list[tuple[str, str, str]]) -> None:
    """`total` cases registered in the last 7 days, with their index rows."""
    county = Organization.objects.get(code="320722")
    grids = places()
    paths = dict(Organization.objects.filter(level="village").values_list("id", "path"))
    # Who sees each case (its village's area, the county center holding it): CaseText.scope.
    scopes = {v: text.scope_keys([path, county.path]) for v, path in paths.items()}
    categories = dict(Category.objects.values_list("code", "id"))
    analysed = [text.analyse(f"{title}\n{description}") for _c, title, description in pool]
    now = timezone.now()
    next_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    done = 0
    while done < total:
        count = min(STEP, total - done)
        cases, texts = [], []
        for n in range(next_id, next_id + count):
            grid_id, village_id, township_id, y0, x0, y1, x1 = rng.choice(grids)
            lat, lng = rng.uniform(y0, y1), rng.uniform(x0, x1)
            k = rng.randrange(len(pool))
            code, title, description = pool[k]
            registered = now - timedelta(seconds=rng.uniform(60, 7 * 86400 - 60))
            case = (n, f"BD{n:09d}", "hotline", "", categories[code], title, description)
            place = ("normal", lat, lng, "东海县", grid_id, village_id, township_id, False)
            who = ("", "", False, State.REGISTERED, "", county.pk, "", paths[village_id])
            rest = (county.path, "", registered, "", "", False, False, "", "", "", 0, 0)
            cases.append((*case, *place, *who, *rest, False, now))
            tokens, sig = analysed[k]
            group = code[:2]
            cell = text.cell_of(lat, lng)
            scope = scopes[village_id]
            row = (n, tokens, sig, group, registered, grid_id, township_id, cell, lat, lng, scope)
            texts.append(row)
        with transaction.atomic():
            insert(Case._meta.db_table, *with_defaults(Case, CASE_COLUMNS, cases))
            insert(CaseText._meta.db_table, *with_defaults(CaseText, TEXT_COLUMNS, texts))
        next_id += count
        done += count
        print(f"  {done:,} cases in the window", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), "
                "(SELECT max(id) FROM cases_case))"
            )
            cursor.execute("ANALYZE cases_case")
            cursor.execute("ANALYZE cases_casetext")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99


def new_intakes(rng: random.Random, pool: list[tuple[str, str, str]], n: int) -> list[CaseText]:
    """Unsaved index rows of cases being registered now: half repeat a recent case's words at
    a point near it (duplicates to find), half are new requests anywhere."""
    grids = places()
    recent: list[Any] = list(
        CaseText.objects.filter(grid_id__isnull=False, lat__isnull=False)
        .order_by("-registered_at")
        .values_list("group", "lat", "lng", "grid_id", "tokens", "signature")[:n]
    )
    townships = dict(Grid.objects.values_list("id", "village__parent_id"))
    rows = []
    now = timezone.now()
    for i in range(n):
        code, title, description = rng.choice(pool)
        tokens, sig = text.analyse(f"{title}\n{description}")
        if i % 2 and recent:
            group, lat, lng, grid_id, tokens, sig = recent[i % len(recent)]
            lat, lng = lat + rng.uniform(-0.002, 0.002), lng + rng.uniform(-0.002, 0.002)
            sig = bytes(sig)
        else:
            grid_id, _v, _t, y0, x0, y1, x1 = rng.choice(grids)
            group, lat, lng = code[:2], rng.uniform(y0, y1), rng.uniform(x0, x1)
        rows.append(
            CaseText(
                case_id=0,
                tokens=tokens,
                signature=sig,
                group=group,
                registered_at=now,
                grid_id=grid_id,
                township_id=townships[grid_id],
                cell=text.cell_of(lat, lng),
                lat=lat,
                lng=lng,
            )
        )
    return rows


def bench_check(rng: random.Random, pool: list[tuple[str, str, str]]) -> dict[str, Any]:
    cfg = duplicates.config()
    rows = new_intakes(rng, pool, CHECKS)
    for row in rows[:50]:  # warm the caches (grid adjacency, statements)
        duplicates.find(row, cfg)
    times, found, hits = [], [], 0
    for row in rows:
        started = time.perf_counter()
        result = duplicates.score(row, candidates := duplicates.candidates(row, cfg), cfg)
        times.append((time.perf_counter() - started) * 1000)
        found.append(len(candidates))
        hits += bool(result)
    p50, p99 = percentiles(times)
    return {
        "duplicates.check.p50": (p50, "ms"),
        "duplicates.check.p99": (p99, "ms"),
        "duplicates.check.candidates_mean": (statistics.mean(found), "cases"),
        "duplicates.check.flagged_share": (100 * hits / len(rows), "%"),
    }


def bench_search() -> dict[str, Any]:
    results: dict[str, Any] = {}
    county = User.objects.get(username="dispatcher")
    township = User.objects.get(username="township")
    for who, user in (("county", county), ("township", township)):
        times = []
        for _ in range(5):
            for q in SEARCHES:
                started = time.perf_counter()  # the full-text lookup is part of the filter
                qs = filter_cases(case_list(user=user), CaseFilters(q=q), user=user)
                keyset_page(qs, size=50)
                times.append((time.perf_counter() - started) * 1000)
        p50, p99 = percentiles(times)
        results[f"search.{who}.first_page.p50"] = (p50, "ms")
        results[f"search.{who}.first_page.p99"] = (p99, "ms")
    return results


def bench_minhash(pool: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Our numpy MinHash against datasketch's, same NUM_PERM, same word sets."""
    from datasketch import MinHash

    sets = [set(text.words(f"{t}\n{d}")) for _c, t, d in pool[:2000]]
    encoded = [[w.encode() for w in s] for s in sets]

    started = time.perf_counter()
    ours = [text.signature(s) for s in sets]
    ours_us = (time.perf_counter() - started) / len(sets) * 1e6

    started = time.perf_counter()
    theirs = []
    for words in encoded:
        m = MinHash(num_perm=text.NUM_PERM)
        m.update_batch(words)
        theirs.append(m)
    theirs_us = (time.perf_counter() - started) / len(sets) * 1e6

    shared = MinHash(num_perm=text.NUM_PERM)  # its permutations, made once
    started = time.perf_counter()
    for words in encoded:
        m = MinHash(num_perm=text.NUM_PERM, permutations=shared.permutations, scheme=shared.scheme)
        m.update_batch(words)
    reused_us = (time.perf_counter() - started) / len(sets) * 1e6

    started = time.perf_counter()
    MinHash.bulk(encoded, num_perm=text.NUM_PERM)
    bulk_us = (time.perf_counter() - started) / len(sets) * 1e6

    rng = random.Random(7)
    pairs = [(rng.randrange(len(sets)), rng.randrange(len(sets))) for _ in range(5000)]
    # Half the pairs share a phrasing, so that the similarities span the whole range.
    pairs += [(i, j) for i in range(len(sets)) for j in range(i + 1, min(i + 40, len(sets)))][:5000]
    matrix = np.vstack(ours)
    err_ours, err_theirs = [], []
    for i, j in pairs:
        union = len(sets[i] | sets[j])
        exact = len(sets[i] & sets[j]) / union if union else 0.0
        err_ours.append(abs(float(text.similarity(matrix[i], matrix[j : j + 1])[0]) - exact))
        err_theirs.append(abs(theirs[i].jaccard(theirs[j]) - exact))
    started = time.perf_counter()
    for _ in range(1000):
        text.similarity(matrix[0], matrix[:300])
    compare_us = (time.perf_counter() - started) / 1000 * 1e6
    return {
        "minhash.numpy.signature": (ours_us, "µs/text"),
        "minhash.datasketch.signature": (theirs_us, "µs/text"),
        "minhash.datasketch.signature_shared_permutations": (reused_us, "µs/text"),
        "minhash.datasketch.signature_bulk": (bulk_us, "µs/text"),
        "minhash.numpy.mean_abs_error": (statistics.mean(err_ours), "jaccard"),
        "minhash.datasketch.mean_abs_error": (statistics.mean(err_theirs), "jaccard"),
        "minhash.numpy.compare_300": (compare_us, "µs"),
    }


def run() -> dict[str, tuple[float, str]]:
    setup()
    rng = random.Random(20261126)
    pool = text_pool(rng, 3000)
    results: dict[str, tuple[float, str]] = {}
    if connection.vendor == "sqlite":
        results |= bench_minhash(pool)
    fill(WINDOW_CASES, rng, pool)
    results["duplicates.window_cases"] = (float(CaseText.objects.count()), "cases")
    results |= bench_check(rng, pool)
    results |= bench_search()
    return results
