"""The text of cases: jieba tokens, MinHash signatures, and the per-case index (CaseText).

Two token lists come from one text (title and description):
- `search_tokens`: jieba's `cut_for_search` (long words and their shorter parts) and the
  pairs of adjacent Chinese characters, for the full-text index; a query's words are looked
  up as their character pairs, so a search does not depend on how jieba cut the text;
- `words`: jieba's `cut`, whose set is what MinHash estimates the Jaccard similarity of.
Both drop punctuation, whitespace and stop words and lowercase Latin letters.

The MinHash is our own, vectorised with numpy (one matrix operation per text), with
`NUM_PERM` universal hash functions over a CRC-32 of each word. Measured against datasketch
2.0 in bench/duplicates.py (docs/architecture.md quotes the figures): the same accuracy
(both are the same estimator), several times faster per text, because datasketch builds its
permutations per object and hashes each word with SHA-1.

`index_cases(cases)` writes the index rows of many cases at once (the demo loader, the XLSX
importer); `index_case(case)` one case, in the intake's transaction.
"""

import logging
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TypeAlias

import jieba
import numpy as np
from django.db import connection

from zhili.cases.models import Case, CaseAssist, CaseText, Category
from zhili.core.rows import insert_row, insert_rows

# A parameter of the search's SQL: the words, a user's scope keys, a reporter's id.
SqlParam: TypeAlias = str | int | list[str]

NUM_PERM = 64
_PRIME = (1 << 61) - 1
_MAX = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(20261126)
# a, b < 2**32 and a word's hash < 2**32: a*h + b stays below 2**64, so nothing overflows.
_A = _rng.randint(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)
EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)

# Cells for the "within distance" candidate query: about 1.1 km a side at the county's
# latitude (the key packs the row and the column of a 0.01 x 0.012 degree square).
CELL_LAT = 0.01
CELL_LNG = 0.012
_CELL_STRIDE = 100_000

# Words that say nothing about what a request is about: function words and the formulas every
# complaint uses (opening, asking for action).
STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "有",
        "也",
        "都",
        "就",
        "还",
        "又",
        "很",
        "太",
        "被",
        "把",
        "让",
        "给",
        "对",
        "向",
        "从",
        "到",
        "为",
        "以",
        "于",
        "并",
        "而",
        "但",
        "等",
        "这",
        "那",
        "其",
        "该",
        "此",
        "之",
        "个",
        "些",
        "一",
        "一个",
        "一些",
        "我",
        "我们",
        "你",
        "他",
        "她",
        "它",
        "他们",
        "大家",
        "自己",
        "本人",
        "请",
        "请求",
        "希望",
        "要求",
        "尽快",
        "相关",
        "部门",
        "处理",
        "解决",
        "反映",
        "来电",
        "市民",
        "群众",
        "网民",
        "称",
        "人",
        "说",
        "已",
        "已经",
        "没有",
        "不",
        "没",
        "未",
        "能",
        "会",
        "可以",
        "进行",
        "问题",
        "情况",
        "目前",
        "现在",
        "一直",
        "多次",
        "非常",
        "比较",
        "严重",
        "影响",
        "周边",
        "附近",
        "地方",
        "这里",
        "那里",
    ]
)
_WORD = re.compile(r"\w", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


# jieba loads its dictionary on the first cut (about half a second), not when this module is
# imported: every `zhili` command imports it, most never cut a text.
jieba.setLogLevel(logging.WARNING)


def _clean(tokens: Iterable[str]) -> list[str]:
    out = []
    for token in tokens:
        token = token.strip().lower()
        if token and token not in STOP_WORDS and _WORD.search(token) and "_" not in token:
            out.append(token)
    return out


def bigrams(text: str) -> list[str]:
    """The overlapping pairs of Chinese characters: what makes search independent of how
    jieba happened to cut a phrase (it cuts 路灯不亮 as 路 / 灯不亮)."""
    return [run[i : i + 2] for run in _HAN.findall(text) for i in range(len(run) - 1)]


def for_search(cut: list[str]) -> list[str]:
    """jieba's `cut_for_search` of a text from its `cut`: each long word preceded by its
    two- and three-character parts that are dictionary words (what jieba does, without
    cutting the text a second time)."""
    freq = jieba.dt.FREQ
    out: list[str] = []
    for word in cut:
        if len(word) > 2:
            out += [g for i in range(len(word) - 1) if freq.get(g := word[i : i + 2])]
        if len(word) > 3:
            out += [g for i in range(len(word) - 2) if freq.get(g := word[i : i + 3])]
        out.append(word)
    return out


def search_tokens(text: str, cut: list[str] | None = None) -> list[str]:
    """The words (cut_for_search) and the character pairs of `text`, each once."""
    cut = list(jieba.cut(text)) if cut is None else cut
    return list(dict.fromkeys(_clean(for_search(cut)) + bigrams(text)))


def query_terms(text: str) -> list[str]:
    """What a search for `text` requires, each of it: the words of the query, a Chinese word
    of two or more characters as its character pairs."""
    terms: list[str] = []
    for word in words(text):
        terms += bigrams(word) if _HAN.fullmatch(word) and len(word) > 1 else [word]
    return list(dict.fromkeys(terms))


def words(text: str) -> list[str]:
    return _clean(jieba.cut(text))


def signature(tokens: Iterable[str]) -> np.ndarray:
    """The MinHash of the set of `tokens`: NUM_PERM uint32 minima."""
    unique = {t.encode() for t in tokens}
    if not unique:
        return EMPTY.copy()
    hashes = np.fromiter((zlib.crc32(t) for t in unique), dtype=np.uint64, count=len(unique))
    permuted = (hashes[:, None] * _A + _B) % np.uint64(_PRIME) & _MAX
    return permuted.min(axis=0).astype(np.uint32)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(raw: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype="<u4")


def similarity(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of `sig` with each row of `others` (n x NUM_PERM)."""
    if not len(others):
        return np.zeros(0)
    same = others == sig
    sims: np.ndarray = same.mean(axis=1)
    # Two empty texts share every "minimum" but no word.
    if (sig == EMPTY).all():
        sims[:] = 0.0
    return sims


def cell_of(lat: float | None, lng: float | None) -> int | None:
    if lat is None or lng is None:
        return None
    return math.floor(lat / CELL_LAT) * _CELL_STRIDE + math.floor(lng / CELL_LNG)


def cells_around(lat: float, lng: float, distance_m: float) -> list[int]:
    """The cells that hold every point within `distance_m` of (lat, lng)."""
    rows = math.ceil(distance_m / (CELL_LAT * 111_320)) or 1
    cell_lng_m = CELL_LNG * 111_320 * max(math.cos(math.radians(lat)), 0.01)
    cols = math.ceil(distance_m / cell_lng_m) or 1
    row, col = math.floor(lat / CELL_LAT), math.floor(lng / CELL_LNG)
    return [
        (row + dr) * _CELL_STRIDE + col + dc
        for dr in range(-rows, rows + 1)
        for dc in range(-cols, cols + 1)
    ]


@lru_cache(maxsize=65536)
def _cut_run(run: str) -> tuple[str, ...]:
    return tuple(jieba.cut(run))


def jieba_cut(text: str) -> list[str]:
    """`jieba.cut(text)`, word for word. jieba cuts a text run by run (a run: Chinese
    characters, letters and digits without punctuation), each run on its own; the runs are
    cached here because work orders repeat theirs (openers, requests, places, titles) even
    when no two texts are the same."""
    out: list[str] = []
    for run in jieba.re_han_default.split(text):
        if run:
            out += _cut_run(run) if jieba.re_han_default.match(run) else jieba.cut(run)
    return out


@lru_cache(maxsize=8192)
def analyse(text: str) -> tuple[str, bytes]:
    """(search tokens joined by spaces, MinHash bytes) of a text; cached because generated and
    imported cases repeat their wording."""
    cut = jieba_cut(text)
    return " ".join(search_tokens(text, cut)), to_bytes(signature(_clean(cut)))


def case_words(case: Case) -> str:
    return f"{case.title}\n{case.description}"


def group_of(path: str) -> str:
    return path.strip("/").split("/")[0]


def scope_keys(paths: Iterable[str]) -> str:
    """The `CaseText.scope` of a case whose area, dispatch center, lead unit and assisting
    units have these organization paths: every leading part of each path that ends at a
    '/', sorted, space-separated. A path is under a prefix P (`path__under`, how
    `zhili.cases.selectors.case_scope` decides) exactly when P is one of the path's leading
    parts, so a user with scope prefix P sees the case exactly when P is among its keys."""
    keys: set[str] = set()
    for path in paths:
        parts = [p for p in path.split("/") if p]
        keys.update("/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
    return " ".join(sorted(keys))


def case_paths(case: Case) -> list[str]:
    return [case.area_path, case.dispatch_path, case.unit_path]


def _assisting_paths(case_ids: list[int]) -> dict[int, list[str]]:
    """Case id -> the paths of its assisting units, withdrawn ones included (they still see
    the case: `case_scope`)."""
    out: dict[int, list[str]] = {}
    links = CaseAssist.objects.filter(case_id__in=case_ids)
    for case_id, path in links.values_list("case_id", "organization__path"):
        out.setdefault(case_id, []).append(path)
    return out


def _row(case: Case, group: str, assisting: Iterable[str] = ()) -> CaseText:
    tokens, sig = analyse(case_words(case))
    return CaseText(
        case_id=case.pk,
        tokens=tokens,
        signature=sig,
        group=group,
        registered_at=case.registered_at,
        grid_id=case.grid_id,
        township_id=case.township_id,
        cell=cell_of(case.lat, case.lng),
        lat=case.lat,
        lng=case.lng,
        scope=scope_keys([*case_paths(case), *assisting]),
    )


def index_case(case: Case) -> CaseText:
    """Write the index row of one new case (call it inside the intake's transaction). A case
    being registered has no assisting tasks yet: those come with a dispatch (`rescope`)."""
    return insert_row(_row(case, group_of(case.category.path)))


def rescope(case: Case) -> None:
    """Bring the index row's `scope` up to the case's paths and assisting units: call it in
    the transaction that changed them (a dispatch, return, escalation, assignment down)."""
    keys = scope_keys([*case_paths(case), *_assisting_paths([case.pk]).get(case.pk, [])])
    CaseText.objects.filter(case_id=case.pk).exclude(scope=keys).update(scope=keys)


def index_cases(cases: Iterable[Case], *, batch: int = 2000) -> int:
    """Index many saved cases at once (the demo loader, importers); cases already indexed
    are left as they are. Returns how many rows were written."""
    cases = list(cases)
    category_ids = {c.category_id for c in cases}
    paths = dict(Category.objects.filter(id__in=category_ids).values_list("id", "path"))
    written = 0
    for start in range(0, len(cases), batch):
        chunk = cases[start : start + batch]
        done = set(
            CaseText.objects.filter(case_id__in=[c.pk for c in chunk]).values_list(
                "case_id", flat=True
            )
        )
        todo = [c for c in chunk if c.pk not in done]
        assisting = _assisting_paths([c.pk for c in todo])
        rows = [_row(c, group_of(paths[c.category_id]), assisting.get(c.pk, [])) for c in todo]
        written += insert_rows(CaseText, rows)
    return written


# --- full-text search ---------------------------------------------------------------------------


def search_filter_sql(
    text: str, prefixes: Sequence[str] = (), *, reporter: int | None = None
) -> tuple[str, list[SqlParam]] | None:
    """SQL selecting the ids of cases whose text holds every word of `text`, for the current
    database, or None when `text` has no searchable word (or the database cannot search).

    With `prefixes` (a user's scope: organization paths), PostgreSQL keeps only the rows
    whose `scope` holds one of them, combining the GIN index of the words with the GIN index
    of the scope keys: a common word's match set shrinks to the user's part of it, small
    enough to be fetched as ids (a township's first page: 1,150 ms -> docs/architecture.md).
    SQLite's FTS5 table holds no scope, and checking each match's row cost more CPU than the
    list's own walk of the time index saves (measured at 1M cases), so it ignores them.
    Either way this narrows the search only; the list's own scope filter decides.

    `reporter` (a user id, with `prefixes`): the cases that user registered are in their
    scope wherever they lie (`zhili.cases.selectors.reported_by`), so their matches are added
    (a second branch reading that user's cases by `registered_by_id`: a reporter's few)."""
    query = query_terms(text)
    if not query:
        return None
    if connection.vendor == "postgresql":
        return _postgres_filter(" ".join(query), prefixes, reporter)
    if connection.vendor == "sqlite":
        match = " ".join(f'"{w}"' for w in query)
        return "SELECT rowid FROM cases_casetext_fts WHERE cases_casetext_fts MATCH %s", [match]
    return None


def _postgres_filter(
    words: str, prefixes: Sequence[str], reporter: int | None
) -> tuple[str, list[SqlParam]]:
    """The matches of `words` by the tsvector's GIN index, in the scope of `prefixes` and
    among `reporter`'s own cases (a UNION of the two branches), or all of them."""
    sql = "SELECT case_id FROM cases_casetext WHERE search @@ plainto_tsquery('simple', %s)"
    if not prefixes and reporter is None:
        return sql, [words]
    branches: list[str] = []
    params: list[SqlParam] = []
    if prefixes:
        branches.append(f"{sql} AND string_to_array(scope, ' ') && %s::text[]")
        params += [words, list(prefixes)]
    if reporter is not None:
        mine = "SELECT id FROM cases_case WHERE registered_by_id = %s"
        branches.append(f"{sql} AND case_id IN ({mine})")
        params += [words, reporter]
    return " UNION ".join(branches), params
