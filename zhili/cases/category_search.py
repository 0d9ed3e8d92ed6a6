"""Category search (事项分类搜索) on the intake form: what an operator types ("噪音扰民",
"楼上太吵", "路灯不亮") against the leaves of the catalog.

Each leaf is indexed by the jieba tokens (zhili.cases.text.search_tokens: words and pairs of
adjacent Chinese characters) of its name, keywords and synonyms, which an administrator
edits in the admin (事项分类 → 同义词), and, at half weight, of its group's. A query is cut the
same way, without stop words; a leaf scores for each of the query's tokens it holds (a jieba
word of the query counts twice a character pair), for each of its keywords and synonyms the
query contains, and most when it contains the whole query as typed (so "噪" finds 噪音 while
the operator is still typing). The best scores come first, then the catalog's order.

The index is built once per process and rebuilt when the catalog changes (stamp
"cases.categories", bumped by the demo loader and the admin).
"""

import re
from dataclasses import dataclass, field

from zhili.cases.models import CATEGORY_STAMP, Category
from zhili.cases.text import STOP_WORDS, search_tokens, words
from zhili.core.stamps import StampedCache

STAMP = CATEGORY_STAMP
WORD, PAIR, TERM, WHOLE = 2.0, 1.0, 2.0, 10.0
GROUP_WEIGHT = 0.5
_SPLIT = re.compile(r"[\s,，、;；/|]+")


def terms(text: str) -> list[str]:
    """The entries of a keywords or synonyms field (separated by spaces, commas, 、 or ;)."""
    return [t for t in _SPLIT.split(text.strip().lower()) if t]


@dataclass
class _Entry:
    id: int
    tokens: dict[str, float] = field(default_factory=dict)  # token -> weight
    terms: dict[str, float] = field(default_factory=dict)  # keyword or synonym -> weight
    text: str = ""  # name, keywords, synonyms and the group's, for the typed-text match


def _describe(category: Category) -> tuple[str, list[str]]:
    named = [category.name.lower(), *terms(category.keywords), *terms(category.synonyms)]
    return " ".join(named), named


def _add(entry: _Entry, category: Category, weight: float) -> None:
    text, named = _describe(category)
    for token in search_tokens(text):
        if token not in STOP_WORDS:
            entry.tokens[token] = max(entry.tokens.get(token, 0.0), weight)
    for term in named:
        if len(term) > 1:
            entry.terms[term] = max(entry.terms.get(term, 0.0), weight)
    entry.text += f" {text}"


def _build() -> list[_Entry]:
    rows = list(Category.objects.filter(is_active=True).select_related("parent").order_by("path"))
    parents = {c.parent_id for c in rows}
    entries = []
    for category in rows:
        if category.pk in parents:
            continue  # a group: cases take one of its leaves
        entry = _Entry(category.pk)
        _add(entry, category, 1.0)
        if category.parent is not None:
            _add(entry, category.parent, GROUP_WEIGHT)
        entries.append(entry)
    return entries


_index: StampedCache[list[_Entry]] = StampedCache(STAMP, _build)


def _query(text: str) -> dict[str, float]:
    """The query's tokens and their weights: jieba's words count more than character pairs."""
    weights = {t: PAIR for t in search_tokens(text) if t not in STOP_WORDS}
    weights.update({w: WORD for w in words(text) if w in weights})
    return weights


def _score(entry: _Entry, typed: str, query: dict[str, float]) -> float:
    score = sum(w * entry.tokens[t] for t, w in query.items() if t in entry.tokens)
    score += sum(TERM * weight for term, weight in entry.terms.items() if term in typed)
    if typed in entry.text:
        score += WHOLE
    return score


def category_search(text: str, *, limit: int = 20) -> list[Category]:
    """The active leaves that match `text`, best first (at most `limit`)."""
    typed = text.strip().lower()
    if not typed:
        return []
    query = _query(typed)
    scored = []
    for order, entry in enumerate(_index.get()):
        score = _score(entry, typed, query)
        if score > 0:
            scored.append((-score, order, entry.id))
    ids = [pk for _, _, pk in sorted(scored)[:limit]]
    found = Category.objects.filter(pk__in=ids).select_related("parent").in_bulk()
    return [found[pk] for pk in ids if pk in found]
