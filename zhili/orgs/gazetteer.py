"""The county's gazetteer (地名库): the townships and villages a typed address names, found
in the organization tree itself, with no outside geocoder.

Every township and village center gives its place name (its `area_name`, else its name
without 综治中心) and a few aliases:
- a township: the full name（白塔埠镇，牛山街道）and its stem without 镇 / 乡 / 街道 /
  （国营）农场 / 国营场（白塔埠，牛山）；
- a village: the full name（夏沟村，花园社区）, the stem with 村 / 社区 / 居委会 / 村委会
  （夏沟居委会……）, and the bare stem（夏沟）.

A full name, or a stem with a suffix, is a firm match anywhere in the address. A bare stem
is weaker: a township's stem counts only when no township is named in full, a village's
stem only among the villages of the township the address names, and neither when it is
followed by a word that makes it a road or a building (牛山路, 花园小区) or a county or
city (东海县). The longest name wins where names overlap (温泉社区 over 温泉, 夏沟村 over
夏沟).

The decision:
- one township and one of its villages: both, and the village's grid when it has exactly
  one (else its grids, for the operator to pick one on the map);
- a township alone, or with several of its villages named: the township;
- a village named in full without its township: the village and its township when the
  name is unique in the county; several villages of that name (花园社区 in three
  townships) are ambiguous, and nothing is taken but the list of candidates;
- two townships that no village settles: ambiguous too.

The index is built once per process and rebuilt when organizations or grids change
(`zhili.core.stamps`).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from zhili.core.stamps import StampedCache
from zhili.orgs.models import Grid, Kind, Level, Organization
from zhili.orgs.services import GRID_STAMP, ORG_STAMP

CENTER_SUFFIX = "综治中心"
# Longest first: the first that ends the name is stripped.
TOWNSHIP_SUFFIXES = ("街道办事处", "国营农场", "国营场", "街道", "农场", "镇", "乡")
VILLAGE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "村")
VILLAGE_FORMS = ("村", "社区", "居委会", "村委会")
# After a bare stem, these make it a road, a building, or a county or city, not the place.
NOT_A_PLACE_AFTER = (
    "路",
    "街",
    "巷",
    "道",
    "桥",
    "小区",
    "花园",
    "公园",
    "广场",
    "市场",
    "商场",
    "超市",
    "医院",
    "学校",
    "小学",
    "中学",
    "酒店",
    "宾馆",
    "大厦",
    "公司",
    "县",
    "市",
    "区",
    "省",
)
MIN_STEM = 2


@dataclass(frozen=True)
class Place:
    """Where a case is, as far as it is known: at least the township."""

    township: Organization
    village: Organization | None = None
    grid: Grid | None = None


@dataclass(frozen=True)
class _Alias:
    org_id: int
    firm: bool  # a full name or a stem with a suffix; else a bare stem


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    text: str
    aliases: tuple[_Alias, ...]


@dataclass
class Gazetteer:
    orgs: dict[int, Organization] = field(default_factory=dict)
    townships: dict[str, list[_Alias]] = field(default_factory=dict)
    villages: dict[str, list[_Alias]] = field(default_factory=dict)
    grids: dict[int, list[Grid]] = field(default_factory=dict)  # village id -> its grids
    lengths: list[int] = field(default_factory=list)  # alias lengths, longest first


@dataclass(frozen=True)
class AddressMatch:
    """What an address names. `place` is what routing takes."""

    township: Organization | None = None
    village: Organization | None = None
    grid: Grid | None = None
    # The grids to pick one from on the map: the village's when it has several, or those of
    # the villages an ambiguous name may mean.
    grids: tuple[Grid, ...] = ()
    candidates: tuple[Organization, ...] = ()  # the places an ambiguous name may mean
    ambiguous_name: str = ""
    matched: tuple[str, ...] = ()  # the words of the address that were recognised

    @property
    def place(self) -> Place | None:
        if self.township is None:
            return None
        return Place(township=self.township, village=self.village, grid=self.grid)

    @property
    def note(self) -> str:
        """One line for the routing explanation and the case's timeline."""
        if self.township is None:
            if self.candidates:
                return f"地址中的“{self.ambiguous_name}”不止一处，未能定位"
            return ""
        parts = [place_name(self.township)]
        if self.village is not None:
            parts.append(place_name(self.village))
        if self.grid is not None:
            parts.append(self.grid.name)
        return f"地址识别为{'·'.join(parts)}"


def place_name(org: Organization) -> str:
    name = (org.area_name or org.name).strip()
    return name.removesuffix(CENTER_SUFFIX) or name


def _stem(name: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_STEM:
            return name[: -len(suffix)]
    return ""


def township_aliases(name: str) -> dict[str, bool]:
    """alias -> firm, for a township's place name."""
    aliases = {name: True}
    stem = _stem(name, TOWNSHIP_SUFFIXES)
    if stem:
        aliases.setdefault(stem, False)
    return aliases


def village_aliases(name: str) -> dict[str, bool]:
    """alias -> firm, for a village's place name."""
    aliases = {name: True}
    stem = _stem(name, VILLAGE_SUFFIXES)
    if stem:
        for form in VILLAGE_FORMS:
            aliases.setdefault(stem + form, True)
        aliases.setdefault(stem, False)
    return aliases


def _build() -> Gazetteer:
    centers = Organization.objects.filter(
        kind=Kind.CENTER, level__in=[Level.TOWNSHIP, Level.VILLAGE], is_active=True
    ).order_by("path")
    g = Gazetteer()
    townships: dict[str, list[_Alias]] = defaultdict(list)
    villages: dict[str, list[_Alias]] = defaultdict(list)
    for org in centers:
        g.orgs[org.pk] = org
    for org in g.orgs.values():
        name = place_name(org)
        if org.level == Level.TOWNSHIP:
            for alias, firm in township_aliases(name).items():
                townships[alias].append(_Alias(org.pk, firm))
        elif org.parent_id is not None and org.parent_id in g.orgs:  # its township is active
            org.parent = g.orgs[org.parent_id]
            for alias, firm in village_aliases(name).items():
                villages[alias].append(_Alias(org.pk, firm))
    for grid in Grid.objects.filter(village_id__in=list(g.orgs)).defer("geometry").order_by("code"):
        g.grids.setdefault(grid.village_id, []).append(grid)
    g.townships, g.villages = dict(townships), dict(villages)
    g.lengths = sorted({len(a) for a in (*townships, *villages)}, reverse=True)
    return g


gazetteer: StampedCache[Gazetteer] = StampedCache((ORG_STAMP, GRID_STAMP), _build)


def _scan(text: str, index: dict[str, list[_Alias]], lengths: list[int]) -> list[_Hit]:
    hits = []
    for start in range(len(text)):
        for length in lengths:
            word = text[start : start + length]
            if len(word) == length and word in index:
                hits.append(_Hit(start, start + length, word, tuple(index[word])))
    return hits


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Without the hits that lie inside a longer one (夏沟 inside 夏沟村)."""
    kept = []
    for hit in hits:
        inside = any(
            o is not hit
            and o.start <= hit.start
            and hit.end <= o.end
            and o.end - o.start > hit.end - hit.start
            for o in hits
        )
        if not inside:
            kept.append(hit)
    return kept


def _firm(hit: _Hit) -> bool:
    return any(a.firm for a in hit.aliases)


def _a_place_here(text: str, hit: _Hit, firm_starts: set[int]) -> bool:
    """Whether a bare stem names the place, not a road or a building named after it: it
    does when a place named in full follows (牛山花园社区), else unless a road or a
    building's word does (牛山花园小区, 牛山路)."""
    return hit.end in firm_starts or not text.startswith(NOT_A_PLACE_AFTER, hit.end)


def _orgs(g: Gazetteer, hits: list[_Hit], *, firm: bool) -> list[Organization]:
    ids = dict.fromkeys(a.org_id for h in hits for a in h.aliases if a.firm == firm)
    return [g.orgs[i] for i in ids]


def _normalize(address: str) -> str:
    return "".join(address.split())[:300]


def address_match(address: str) -> AddressMatch:
    """The township, village and grid that `address` names (see the module's docstring)."""
    text = _normalize(address)
    if not text:
        return AddressMatch()
    g = gazetteer.get()
    hits = _longest(_scan(text, g.townships, g.lengths) + _scan(text, g.villages, g.lengths))
    firm_starts = {h.start for h in hits if _firm(h)}
    hits = [h for h in hits if _firm(h) or _a_place_here(text, h, firm_starts)]
    town_hits = [h for h in hits if h.text in g.townships]
    village_hits = [h for h in hits if h.text in g.villages]
    matched = tuple(dict.fromkeys(h.text for h in hits))
    towns = _orgs(g, town_hits, firm=True) or _orgs(g, town_hits, firm=False)
    named = _orgs(g, village_hits, firm=True)
    if len(towns) > 1:
        # Two townships: a village named in full may settle it.
        settled = [t for t in towns if any(v.parent_id == t.pk for v in named)]
        if len(settled) != 1:
            return AddressMatch(candidates=tuple(towns), ambiguous_name="、".join(matched))
        towns = settled
    if towns:
        return _in_township(g, towns[0], named, _orgs(g, village_hits, firm=False), matched)
    return _by_villages(g, named, village_hits, matched)


def _by_villages(
    g: Gazetteer, named: list[Organization], village_hits: list[_Hit], matched: tuple[str, ...]
) -> AddressMatch:
    """No township named: the villages named in full say what they can."""
    if not named:
        return AddressMatch(matched=matched)
    if len(named) == 1:
        return _with_village(g, named[0], matched)
    name = "、".join(dict.fromkeys(h.text for h in village_hits if _firm(h)))
    parents = {v.parent_id for v in named}
    if len(parents) == 1:  # several villages of one township: the township at least
        township = named[0].parent
        return AddressMatch(
            township=township,
            grids=_grids_of(g, named),
            candidates=tuple(named),
            ambiguous_name=name,
            matched=matched,
        )
    return AddressMatch(
        grids=_grids_of(g, named), candidates=tuple(named), ambiguous_name=name, matched=matched
    )


def _grids_of(g: Gazetteer, villages: list[Organization]) -> tuple[Grid, ...]:
    return tuple(grid for v in villages for grid in g.grids.get(v.pk, []))


def _in_township(
    g: Gazetteer,
    township: Organization,
    named: list[Organization],
    stems: list[Organization],
    matched: tuple[str, ...],
) -> AddressMatch:
    villages = [v for v in named if v.parent_id == township.pk] or [
        v for v in stems if v.parent_id == township.pk
    ]
    if len(villages) == 1:
        return _with_village(g, villages[0], matched)
    return AddressMatch(
        township=township,
        grids=_grids_of(g, villages),
        candidates=tuple(villages),
        ambiguous_name="、".join(place_name(v) for v in villages),
        matched=matched,
    )


def _with_village(g: Gazetteer, village: Organization, matched: tuple[str, ...]) -> AddressMatch:
    grids = g.grids.get(village.pk, [])
    return AddressMatch(
        township=village.parent,
        village=village,
        grid=grids[0] if len(grids) == 1 else None,
        grids=tuple(grids) if len(grids) > 1 else (),
        matched=matched,
    )
