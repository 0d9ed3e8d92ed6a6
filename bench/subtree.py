"""Subtree queries on a tree of 100,000 organizations: materialized path against walking the
tree level by level through `parent_id` (the naive way without a path column).

The tree: one root, 100 townships, 999 villages each (100,101 nodes), codes prefixed BENCH so
that they never mix with real data; they are deleted at the end.
"""

import time

from django.core.management import call_command
from django.db import connection, transaction

from zhili.core import lookups  # noqa: F401
from zhili.orgs.models import Organization
from zhili.orgs.services import tree_path

TOWNSHIPS, VILLAGES = 100, 999
REPEAT = 30


def build() -> Organization:
    root = Organization(code="BENCH", name="基准县", kind="center", level="county")
    root.path, root.depth = tree_path(None, root.code), 0
    root.save()
    towns = []
    for t in range(TOWNSHIPS):
        code = f"BENCH{t:03d}"
        towns.append(
            Organization(
                code=code,
                name=f"乡镇{t}",
                kind="center",
                level="township",
                parent=root,
                path=tree_path(root, code),
                depth=1,
            )
        )
    towns = Organization.objects.bulk_create(towns, batch_size=1000)
    towns = list(Organization.objects.filter(code__startswith="BENCH", depth=1).order_by("code"))
    villages = []
    for town in towns:
        for v in range(VILLAGES):
            code = f"{town.code}{v:03d}"
            villages.append(
                Organization(
                    code=code,
                    name=f"村{v}",
                    kind="center",
                    level="village",
                    parent=town,
                    path=tree_path(town, code),
                    depth=2,
                )
            )
    Organization.objects.bulk_create(villages, batch_size=5000)
    return root


def remove() -> None:
    # One statement: the parent foreign key is checked at its end, and the ORM's collector
    # would load all 100k rows first.
    with connection.cursor() as cursor:
        table = Organization._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE code LIKE %s", ["BENCH%"])


def walk(root_id: int) -> int:
    total, frontier = 1, [root_id]
    while frontier:
        frontier = list(
            Organization.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        total += len(frontier)
    return total


def timed(fn, repeat: int = REPEAT) -> tuple[float, object]:
    result = fn()
    started = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    return (time.perf_counter() - started) / repeat * 1000, result


def run() -> dict[str, tuple[float, str]]:
    call_command("migrate", verbosity=0)
    remove()
    started = time.perf_counter()
    with transaction.atomic():
        root = build()
    build_s = time.perf_counter() - started
    town = Organization.objects.get(code="BENCH050")
    try:
        town_ms, town_n = timed(lambda: Organization.objects.filter(path__under=town.path).count())
        page_ms, _ = timed(
            lambda: list(Organization.objects.filter(path__under=town.path).order_by("path")[:50])
        )
        all_ms, all_n = timed(
            lambda: Organization.objects.filter(path__under=root.path).count(), 10
        )
        walk_town_ms, walk_town_n = timed(lambda: walk(town.pk))
        walk_all_ms, walk_all_n = timed(lambda: walk(root.pk), 3)
        assert town_n == walk_town_n == VILLAGES + 1 and all_n == walk_all_n
    finally:
        remove()
    return {
        "subtree.nodes": (float(all_n), "organizations"),
        "subtree.build": (build_s, "s"),
        "subtree.township_count": (town_ms, "ms"),
        "subtree.township_first_page": (page_ms, "ms"),
        "subtree.county_count": (all_ms, "ms"),
        "subtree.walk_township": (walk_town_ms, "ms"),
        "subtree.walk_county": (walk_all_ms, "ms"),
        "subtree.township_vs_walk": (walk_town_ms / town_ms, "x"),
        "subtree.county_vs_walk": (walk_all_ms / all_ms, "x"),
    }
