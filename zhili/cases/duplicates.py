"""Likely duplicates (疑似重复件): found at intake, merged or dismissed by a dispatcher.

At intake (`on_intake`, inside `case_register`'s transaction) the new case's text is indexed
(zhili.cases.text) and, when `settings.ZHILI_DUPLICATES["enabled"]`, compared with the
candidates: cases registered within `days` before it, of the same category group and the same
township (the same dispatch responsibility: merging across townships would cross dispatch
centers), in the same or an adjacent grid (grids whose polygons touch) or within
`distance_m`. The candidate query reads two indexes of CaseText (group, grid, time) and
(group, cell, time), newest first, at most `max_candidates` rows; their MinHash signatures are
compared in one numpy operation.

    score = text_weight * similarity + (1 - text_weight) * nearness
    nearness = 1 - distance / distance_m (0 beyond it, or when a case has no point)

A candidate is flagged when score >= threshold and similarity >= min_text; the best
`max_flags` are recorded as CaseDuplicate rows with a reason in Chinese. A dispatcher merges
the case into the candidate through the workflow's `merge` transition, or dismisses the flag:
both in zhili.cases.services.duplicates (`duplicate_merge`, `duplicate_dismiss`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple, TypedDict

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from zhili.cases import text
from zhili.cases.models import Case, CaseDuplicate, CaseText, DuplicateState, State
from zhili.core.audit import audit
from zhili.core.errors import NotFound
from zhili.core.geo import distances_m
from zhili.core.stamps import StampedCache
from zhili.core.types import Actor
from zhili.orgs.models import Grid
from zhili.orgs.services import GRID_STAMP


@dataclass(frozen=True)
class DuplicateConfig:
    """The check's settings (`settings.ZHILI_DUPLICATES` overrides any of them)."""

    enabled: bool = True
    days: int = 7
    distance_m: float = 1000
    threshold: float = 0.6
    min_text: float = 0.5
    text_weight: float = 0.7
    max_candidates: int = 300
    max_flags: int = 3


# Cases still waiting for a decision; later states have been dispatched or settled.
MERGEABLE = (State.REGISTERED, State.RETURNED, State.DISPATCHED)


def config() -> DuplicateConfig:
    return DuplicateConfig(**getattr(settings, "ZHILI_DUPLICATES", {}))


# --- grid adjacency, rebuilt when grids change ----------------------------------------------------


def _build_adjacency() -> dict[int, tuple[int, ...]]:
    """Grid id -> the grid and those whose polygons touch it (shared edge or corner)."""
    rows = list(Grid.objects.order_by("id").values_list("id", "geometry"))
    if not rows:
        return {}
    ids = np.array([pk for pk, _ in rows])
    geoms = np.array([shapely.geometry.shape(g) for _, g in rows], dtype=object)
    tree = shapely.STRtree(geoms)
    # A small tolerance (about 0.1 m): drawn neighbours rarely share coordinates exactly.
    left, right = tree.query(shapely.buffer(geoms, 1e-6), predicate="intersects")
    adjacency: dict[int, list[int]] = {int(pk): [] for pk in ids}
    for i, j in zip(left, right, strict=True):
        adjacency[int(ids[i])].append(int(ids[j]))
    return {pk: tuple(sorted(set(near))) for pk, near in adjacency.items()}


grid_adjacency: StampedCache[dict[int, tuple[int, ...]]] = StampedCache(
    GRID_STAMP, _build_adjacency
)


def adjacent_grids(grid_id: int) -> tuple[int, ...]:
    return grid_adjacency.get().get(grid_id, (grid_id,))


# --- the check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    case_id: int
    score: float
    similarity: float
    distance_m: float | None


def _window_sql(place: str, count: int, *, township: bool) -> str:
    """The newest `LIMIT` cases of the window at `count` values of one kind of place (`place`
    is a column: grid_id or cell), as one part of the union below."""
    table = connection.ops.quote_name(CaseText._meta.db_table)
    marks = ", ".join(["%s"] * count)
    same_township = "township_id = %s" if township else "township_id IS NULL"
    return (
        f"SELECT * FROM (SELECT case_id, signature, lat, lng, registered_at FROM {table}"  # noqa: S608
        f' WHERE "group" = %s AND registered_at >= %s AND registered_at <= %s'
        f" AND {same_township} AND case_id <> %s AND {place} IN ({marks})"
        f" ORDER BY registered_at DESC LIMIT %s) AS {place}_window"
    )


class Candidate(NamedTuple):
    case_id: int
    signature: bytes | memoryview  # memoryview on PostgreSQL
    lat: float | None
    lng: float | None


def candidates(row: CaseText, cfg: DuplicateConfig) -> list[Candidate]:
    """The earlier cases that may repeat `row`'s case, the newest first, at most
    `max_candidates`.

    One statement that unites two parts, one per index (grid; cell): SQLite cannot use either
    index for `grid IN (...) OR cell IN (...)` and would read the whole category group. It is
    SQL because it runs in every intake's transaction, where building two querysets cost more
    than running them."""
    places = _places(row, cfg)
    if not places:  # no point and no grid: nothing to compare places with
        return []
    parts, params = [], []
    for place, values in places:
        # The lists' lengths rounded up to a power of two (the last value repeated): a few
        # statement texts instead of one per length, so the driver's and the server's caches
        # of parsed statements keep them.
        padded = values + values[-1:] * ((1 << (len(values) - 1).bit_length()) - len(values))
        parts.append(_window_sql(place, len(padded), township=row.township_id is not None))
        params += [*_window_params(row, cfg), *padded, cfg.max_candidates]
    union = " UNION ".join(parts)  # UNION, not UNION ALL: a case found by both parts once
    sql = f"SELECT case_id, signature, lat, lng FROM ({union}) AS found"  # noqa: S608
    sql += " ORDER BY registered_at DESC, case_id DESC LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, cfg.max_candidates])
        return [Candidate(*r) for r in cursor.fetchall()]


def _places(row: CaseText, cfg: DuplicateConfig) -> list[tuple[str, list[int]]]:
    """Where candidates are looked for: (column, values) for the same or an adjacent grid,
    and for the cells within `distance_m` of the point."""
    places: list[tuple[str, list[int]]] = []
    if row.grid_id is not None:
        places.append(("grid_id", list(adjacent_grids(row.grid_id))))
    if row.lat is not None and row.lng is not None:
        places.append(("cell", text.cells_around(row.lat, row.lng, cfg.distance_m)))
    return places


def _window_params(row: CaseText, cfg: DuplicateConfig) -> list[str | int | datetime]:
    """The parameters of `_window_sql` before the places: the group, the `days` before the
    case, its township, the case itself."""
    at = CaseText._meta.get_field("registered_at")
    since = row.registered_at - timedelta(days=cfg.days)
    return [
        row.group,
        at.get_db_prep_value(since, connection),
        at.get_db_prep_value(row.registered_at, connection),
        *([] if row.township_id is None else [row.township_id]),
        row.case_id,
    ]


def score(row: CaseText, found: list[Candidate], cfg: DuplicateConfig) -> list[Hit]:
    """The candidates that pass, best first."""
    if not found:
        return []
    ids = np.array([f.case_id for f in found])
    sigs = np.frombuffer(b"".join(bytes(f.signature) for f in found), dtype="<u4")
    sims = text.similarity(text.from_bytes(row.signature), sigs.reshape(len(found), -1))
    if row.lat is not None and row.lng is not None:
        lats = np.array([np.nan if f.lat is None else f.lat for f in found], dtype=float)
        lngs = np.array([np.nan if f.lng is None else f.lng for f in found], dtype=float)
        dist = distances_m(row.lat, row.lng, lats, lngs)
    else:
        dist = np.full(len(found), np.nan)
    near = np.nan_to_num(np.clip(1 - dist / cfg.distance_m, 0, 1), nan=0.0)
    weight = cfg.text_weight
    scores = weight * sims + (1 - weight) * near
    passed = np.flatnonzero((scores >= cfg.threshold) & (sims >= cfg.min_text))
    best = passed[np.argsort(-scores[passed], kind="stable")]
    return [
        Hit(
            int(ids[i]),
            round(float(scores[i]), 3),
            round(float(sims[i]), 3),
            None if np.isnan(dist[i]) else round(float(dist[i]), 1),
        )
        for i in best
    ]


def find(row: CaseText, cfg: DuplicateConfig | None = None) -> list[Hit]:
    cfg = cfg or config()
    return score(row, candidates(row, cfg), cfg)


class CaseRef(TypedDict):
    pk: int
    case_no: str
    registered_at: datetime
    state: str
    master_id: int | None


REF_FIELDS = ("pk", "case_no", "registered_at", "state", "master_id")


def _reason(case: Case, other: CaseRef, hit: Hit) -> str:
    hours = (case.registered_at - other["registered_at"]).total_seconds() / 3600
    when = f"{hours:.0f}小时前" if hours >= 1 else "1小时内"
    where = "同一或相邻网格" if hit.distance_m is None else f"相距约{hit.distance_m:.0f}米"
    return (
        f"与 {other['case_no']}（{when}受理）同类事项，{where}，"
        f"内容相似度{hit.similarity:.0%}，综合得分{hit.score:.2f}"
    )


def _refs(ids: list[int]) -> dict[int, CaseRef]:
    rows = Case.objects.filter(pk__in=ids).values_list(*REF_FIELDS)
    return {
        r[0]: CaseRef(pk=r[0], case_no=r[1], registered_at=r[2], state=r[3], master_id=r[4])
        for r in rows
    }


def _masters(hits: list[Hit]) -> dict[int, CaseRef]:
    """The cases behind the hits; a candidate merged into another stands for its master."""
    found = _refs([h.case_id for h in hits])
    masters = [r["master_id"] for r in found.values() if r["state"] == State.MERGED]
    if masters:
        by_pk = _refs([m for m in masters if m is not None])
        for pk, r in list(found.items()):
            if r["state"] == State.MERGED and r["master_id"] in by_pk:
                found[pk] = by_pk[r["master_id"]]
    return found


def flag(case: Case, hits: list[Hit], cfg: DuplicateConfig) -> list[CaseDuplicate]:
    if not hits:
        return []
    targets = _masters(hits)
    flags: dict[int, CaseDuplicate] = {}
    for hit in hits:
        other = targets.get(hit.case_id)
        if other is None or other["pk"] == case.pk or other["pk"] in flags:
            continue
        flags[other["pk"]] = CaseDuplicate(
            case=case,
            candidate_id=other["pk"],
            score=hit.score,
            text_similarity=hit.similarity,
            distance_m=hit.distance_m,
            reason=_reason(case, other, hit),
        )
        if len(flags) >= cfg.max_flags:
            break
    rows = CaseDuplicate.objects.bulk_create(flags.values())
    audit(None, "cases.duplicate.flag", case, candidates=[f.candidate_id for f in rows])
    return rows


def on_intake(case: Case) -> list[CaseDuplicate]:
    """Index a new case's text and record its likely duplicates (in the intake's transaction)."""
    row = text.index_case(case)
    cfg = config()
    if not cfg.enabled:
        return []
    return flag(case, find(row, cfg), cfg)


# --- reads -------------------------------------------------------------------------------------


def open_flags(case_ids: list[int]) -> dict[int, list[CaseDuplicate]]:
    """The open flags of these cases, best first, by case id (for the workbench rows)."""
    result: dict[int, list[CaseDuplicate]] = {}
    qs = (
        CaseDuplicate.objects.filter(case_id__in=case_ids, state=DuplicateState.OPEN)
        .filter(case__state__in=MERGEABLE)
        .select_related("candidate")
        .order_by("-score", "id")
    )
    for row in qs:
        result.setdefault(row.case_id, []).append(row)
    return result


def flags_of(case: Case) -> QuerySet[CaseDuplicate]:
    return case.duplicate_flags.select_related("candidate", "decided_by").order_by("-score", "id")


def flag_get(*, user: Actor, pk: int) -> CaseDuplicate:
    """A flag whose case the user may see (the same 404 otherwise)."""
    from zhili.cases.selectors import case_scope

    try:
        return CaseDuplicate.objects.select_related("case", "candidate").get(
            Q(pk=pk), Q(case__in=Case.objects.filter(case_scope(user)))
        )
    except CaseDuplicate.DoesNotExist as exc:
        raise NotFound("疑似重复记录不存在") from exc
