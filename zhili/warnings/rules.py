"""What each kind of warning rule looks for, over the records the platform holds. Reads only.

A rule's evaluation gives `Finding`s: the subject it fired on, its wording, the unit that
must answer, and the records behind it (`Source`). `zhili.warnings.services.warnings_scan`
turns findings into warnings, once per subject.

- **repeat (a):** the same phone number (cases and petitions) or the same ID number
  (petitions) with ≥ `threshold` requests within `days`.
- **cluster (b):** the same grid (or, for a case placed by no grid, the same address) and the
  same category with ≥ `threshold` cases within `hours`.
- **group (c):** a group-incident precursor within `hours`: a petition or a dispute of
  ≥ `people` people, or a case, a petition or a dispute whose title or account names one of
  `keywords` (讨薪, 集体, 堵路 ...); a dossier opened from a case counts as that case.
- **surge (e):** yesterday's count of a village × category far above its baseline of the 28
  days before, adjusted for the weekday and the season (`zhili.warnings.surge`).
- **recurrence (d):** a case within `hours` at the same address and of the same category as a
  case closed less than `days` before it (假性整改: the problem came back).
- **rota gap:** a working day within the next `days` with no county leader on the county
  center's reception rota (领导接访日), once the rota is kept on the platform (a day on it
  from the 28 days before on); warned once per day, to the county center.
- **overdue visits (走访逾期):** the open roles of the people register whose visit (by the
  care level's cycle, `zhili.registers.visits`) fell due more than `days` ago, one warning per
  grid, to its township. A standing condition (`STANDING`): each overdue stretch of a role is
  one source, named once; the grid's warning clears itself once none is overdue.

Personal numbers never reach a warning's text: a subject keeps a hash, the text a mask.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhili.cases.models import Case, Category
from zhili.cases.routing import county_center
from zhili.core.dates import period_bounds
from zhili.core.errors import InvalidInput
from zhili.core.personal import mask_id_number, mask_phone
from zhili.core.workcal import is_workday
from zhili.mediation.models import Dispute
from zhili.orgs.models import Organization
from zhili.petitions.models import Petition, PetitionParty
from zhili.receptions.models import RotaDay
from zhili.registers.kinds import KINDS, Kind
from zhili.registers.visits import Overdue, overdue_roles
from zhili.warnings.counts import case_counts
from zhili.warnings.models import RuleKind, SourceKind, WarningRule
from zhili.warnings.surge import Surge, detect_surges

DEFAULT_KEYWORDS = ["讨薪", "欠薪", "集体", "堵路", "拉横幅", "征地拆迁", "群体", "上访", "聚集"]

# Each kind's parameters: name -> (label, default, lowest, highest); `keywords` is a list.
PARAMS: dict[str, dict[str, tuple[str, int, int, int]]] = {
    RuleKind.REPEAT: {"threshold": ("诉求次数", 3, 2, 100), "days": ("统计天数", 30, 1, 365)},
    RuleKind.CLUSTER: {"threshold": ("事项件数", 5, 2, 500), "hours": ("统计小时", 72, 1, 720)},
    RuleKind.GROUP: {"people": ("涉及人数", 10, 2, 10000), "hours": ("扫描小时", 24, 1, 720)},
    RuleKind.RECURRENCE: {"days": ("复发天数", 30, 1, 365), "hours": ("扫描小时", 24, 1, 720)},
    RuleKind.SURGE: {"min_count": ("最少件数", 3, 1, 1000)},
    RuleKind.ROTA_GAP: {"days": ("提前天数", 7, 1, 30)},
    RuleKind.VISIT_OVERDUE: {"days": ("逾期天数", 7, 0, 90)},
}

# The kinds whose findings are a standing condition rather than records of a window: a source
# names the condition's stretch (an overdue visit from its anchor), so after a warning is
# closed only a stretch none of the subject's warnings named raises again, whenever it began;
# and an open warning whose subject is found no more (every visit made) is cleared by the scan.
STANDING = frozenset({RuleKind.VISIT_OVERDUE})


def clean_params(kind: str, raw: Mapping[str, object]) -> dict[str, object]:
    """`raw` checked against the kind's parameters, defaults filled in; a bad value is a 422
    naming ``params.<name>``."""
    spec = PARAMS.get(kind)
    if spec is None:
        raise InvalidInput("未知的规则类型", field="kind")
    clean: dict[str, object] = {}
    for name, (label, default, low, high) in spec.items():
        value = raw.get(name, default)
        try:
            number = int(str(value))
        except ValueError:
            raise InvalidInput(f"{label}须为整数", field=f"params.{name}") from None
        if not low <= number <= high:
            raise InvalidInput(f"{label}须在 {low} 至 {high} 之间", field=f"params.{name}")
        clean[name] = number
    if kind == RuleKind.GROUP:
        clean["keywords"] = _keywords(raw.get("keywords", DEFAULT_KEYWORDS))
    return clean


def _keywords(value: object) -> list[str]:
    items = value.replace("，", ",").split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InvalidInput("关键词须为列表", field="params.keywords")
    words = [str(w).strip() for w in items if str(w).strip()]
    if any(len(w) > 20 for w in words):
        raise InvalidInput("每个关键词不能超过20字", field="params.keywords")
    return list(dict.fromkeys(words))[:50]


@dataclass(frozen=True)
class Source:
    kind: str  # SourceKind
    number: str
    title: str
    occurred_at: datetime
    place_id: int | None = None  # the township of the record, when known


@dataclass
class Finding:
    subject: str
    title: str
    summary: str
    window_start: datetime
    window_end: datetime
    sources: list[Source] = field(default_factory=list)

    @property
    def township_id(self) -> int | None:
        """The township of the latest record that names one: the unit that answers."""
        for source in sorted(self.sources, key=lambda s: s.occurred_at, reverse=True):
            if source.place_id:
                return source.place_id
        return None


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def _param(rule: WarningRule, name: str) -> int:
    value = rule.params.get(name, PARAMS[rule.kind][name][1])
    return int(value)


CASE_FIELDS = ("case_no", "title", "registered_at", "township_id")


def _case_source(row: Mapping[str, object]) -> Source:
    return Source(
        SourceKind.CASE,
        str(row["case_no"]),
        str(row["title"]),
        row["registered_at"],  # type: ignore[arg-type]
        row["township_id"],  # type: ignore[arg-type]
    )


def _petition_source(row: Mapping[str, object], prefix: str = "petition__") -> Source:
    return Source(
        SourceKind.PETITION,
        str(row[f"{prefix}number"]),
        str(row[f"{prefix}title"]),
        row[f"{prefix}received_at"],  # type: ignore[arg-type]
        row[f"{prefix}township_id"],  # type: ignore[arg-type]
    )


# --- (a) the same person, again and again ---------------------------------------------------


PETITION_FIELDS = (
    "petition__number",
    "petition__title",
    "petition__received_at",
    "petition__township_id",
)


def repeat_findings(rule: WarningRule, now: datetime) -> list[Finding]:
    threshold, start = _param(rule, "threshold"), now - timedelta(days=_param(rule, "days"))
    cases = Case.objects.filter(registered_at__gte=start, registered_at__lte=now)
    parties = PetitionParty.objects.filter(
        petition__received_at__gte=start, petition__received_at__lte=now
    )
    by_phone = _by_phone(cases, parties, threshold)
    by_id = _by_id_number(parties, threshold)
    findings = _repeats(by_phone, "phone", "电话", mask_phone, threshold, start, now)
    return findings + _repeats(by_id, "id", "身份证号", mask_id_number, threshold, start, now)


def _by_phone(
    cases: QuerySet[Case], parties: QuerySet[PetitionParty], threshold: int
) -> dict[str, list[Source]]:
    """The window's requests by phone: the phones with enough cases alone, and every phone a
    petition of the window names (few), their cases counted with their petitions. A
    petitioner with an ID number is counted by it (`_by_id_number`): their phone stands here
    only when cases name it too."""
    by_phone: dict[str, list[Source]] = defaultdict(list)
    with_id: set[str] = set()
    rows = parties.exclude(petitioner__phone="").values(
        "petitioner__phone", "petitioner__id_number", *PETITION_FIELDS
    )
    for row in rows:
        by_phone[row["petitioner__phone"]].append(_petition_source(row))
        if row["petitioner__id_number"]:
            with_id.add(row["petitioner__phone"])
    heavy = (
        cases.exclude(reporter_phone="")
        .values("reporter_phone")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
        .values_list("reporter_phone", flat=True)
    )
    phones = set(heavy) | set(by_phone)
    for row in cases.filter(reporter_phone__in=phones).values("reporter_phone", *CASE_FIELDS):
        by_phone[row["reporter_phone"]].append(_case_source(row))
    return {
        phone: sources
        for phone, sources in by_phone.items()
        if phone not in with_id or any(s.kind == SourceKind.CASE for s in sources)
    }


def _by_id_number(parties: QuerySet[PetitionParty], threshold: int) -> dict[str, list[Source]]:
    """The petitions of the window by their petitioners' ID numbers named often enough."""
    ids = (
        parties.exclude(petitioner__id_number="")
        .values("petitioner__id_number")
        .annotate(n=Count("petition", distinct=True))
        .filter(n__gte=threshold)
        .values("petitioner__id_number")
    )
    by_id: dict[str, list[Source]] = defaultdict(list)
    rows = parties.filter(petitioner__id_number__in=ids).values(
        "petitioner__id_number", *PETITION_FIELDS
    )
    for row in rows:
        by_id[row["petitioner__id_number"]].append(_petition_source(row))
    return by_id


def _repeats(
    groups: Mapping[str, list[Source]],
    key: str,
    label: str,
    mask: Callable[[str], str],
    threshold: int,
    start: datetime,
    now: datetime,
) -> list[Finding]:
    findings = []
    for value, sources in groups.items():
        sources = _distinct(sources)
        if len(sources) < threshold:
            continue
        shown = mask(value)
        findings.append(
            Finding(
                subject=f"{key}:{digest(value)}",
                title=f"{label} {shown} 反复诉求",
                summary=(
                    f"{label} {shown} 自 {start:%m月%d日} 起共提出诉求 {len(sources)} 次"
                    f"（达到预警阈值 {threshold} 次），请研判是否为重复访、缠访或有未化解的矛盾。"
                ),
                window_start=start,
                window_end=now,
                sources=sources,
            )
        )
    return findings


def _distinct(sources: Iterable[Source]) -> list[Source]:
    seen: dict[tuple[str, str], Source] = {}
    for source in sources:
        seen.setdefault((source.kind, source.number), source)
    return sorted(seen.values(), key=lambda s: s.occurred_at)


# --- (b) the same place and category, many times in a few days -------------------------------


def cluster_findings(rule: WarningRule, now: datetime) -> list[Finding]:
    threshold, hours = _param(rule, "threshold"), _param(rule, "hours")
    start = now - timedelta(hours=hours)
    cases = Case.objects.filter(registered_at__gte=start, registered_at__lte=now)
    wanted = _crowded(cases, threshold)
    if wanted is None:
        return []
    findings = []
    for (place, category_id), (where, category, sources) in _places(cases, wanted).items():
        findings.append(
            Finding(
                subject=f"{place}:cat:{category_id}",
                title=f"{where}“{category}”类事项聚集",
                summary=(
                    f"{where} {hours} 小时内发生“{category}”类事项 {len(sources)} 件"
                    f"（达到预警阈值 {threshold} 件），请核查是否有共同诱因。"
                ),
                window_start=start,
                window_end=now,
                sources=_distinct(sources),
            )
        )
    return findings


def _places(
    cases: QuerySet[Case], wanted: Q
) -> dict[tuple[str, int], tuple[str, str, list[Source]]]:
    """The `wanted` cases by (place, category id): the place's and the category's names
    and the cases. A place is `grid:<id>`, or `addr:<hash>` for cases placed by no grid."""
    found: dict[tuple[str, int], tuple[str, str, list[Source]]] = {}
    fields = ("grid_id", "grid__name", "address", "category_id", "category__name")
    for row in cases.filter(wanted).values(*fields, *CASE_FIELDS):
        place = f"grid:{row['grid_id']}" if row["grid_id"] else f"addr:{digest(row['address'])}"
        where = row["grid__name"] or row["address"]
        entry = found.setdefault((place, row["category_id"]), (where, row["category__name"], []))
        entry[2].append(_case_source(row))
    return found


def _crowded(cases: QuerySet[Case], threshold: int) -> Q | None:
    """The condition on `cases` of the (grid, category) pairs, and for cases placed by no
    grid the (address, category) pairs, with at least `threshold` cases; None when none."""
    by_grid = (
        cases.filter(grid__isnull=False)
        .values_list("grid_id", "category_id")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
    )
    by_address = (
        cases.filter(grid__isnull=True)
        .exclude(address="")
        .values_list("address", "category_id")
        .annotate(n=Count("id"))
        .filter(n__gte=threshold)
    )
    pairs = [Q(grid_id=g, category_id=c) for g, c, _n in by_grid]
    pairs += [Q(grid__isnull=True, address=a, category_id=c) for a, c, _n in by_address]
    if not pairs:
        return None
    wanted = pairs[0]
    for pair in pairs[1:]:
        wanted |= pair
    return wanted


# --- (c) group-incident precursors ------------------------------------------------------------

# Where rule (c) reads a record's words: each dossier's title and its account of the matter.
DISPUTE_TEXT = ("title", "summary")
PETITION_TEXT = ("title", "matter")
CASE_TEXT = ("title", "description")


@dataclass
class _Precursor:
    """One subject of rule (c): its records and why each fired."""

    sources: list[Source] = field(default_factory=list)
    why: list[str] = field(default_factory=list)


def group_findings(rule: WarningRule, now: datetime) -> list[Finding]:
    """The window's petitions and disputes of ≥ `people` people, and its cases, petitions and
    disputes whose words name a keyword. A petition or a dispute opened from a case speaks
    for the case's subject (`case:<no>`): one matter, one warning, its dossier joining the
    case's warning as evidence."""
    start = now - timedelta(hours=_param(rule, "hours"))
    people = _param(rule, "people")
    keywords = [str(k) for k in rule.params.get("keywords", DEFAULT_KEYWORDS) if str(k)]
    found: dict[str, _Precursor] = {}
    for subject, source, why in (
        *_group_cases(keywords, start, now),
        *_group_petitions(people, keywords, start, now),
        *_group_disputes(people, keywords, start, now),
    ):
        entry = found.setdefault(subject, _Precursor())
        entry.sources.append(source)
        entry.why.append(why)
    return [_group(subject, entry, start, now) for subject, entry in found.items()]


def _named(keywords: list[str], fields: tuple[str, ...]) -> Q:
    named = Q(pk__in=[])
    for word in keywords:
        for name in fields:
            named |= Q(**{f"{name}__contains": word})
    return named


def _hits(keywords: list[str], row: Mapping[str, object], fields: tuple[str, ...]) -> list[str]:
    text = " ".join(str(row[name]) for name in fields)
    return [w for w in keywords if w in text]


def _why(hits: list[str], crowd: str = "") -> str:
    """Why a record fired: its crowd ("12 人集体信访") and the keywords its words name."""
    parts = [crowd] if crowd else []
    parts += [f"涉及“{'、'.join(hits)}”"] if hits else []
    return "，".join(parts)


Hit = tuple[str, Source, str]  # (subject, record, why it fired)


def _group_cases(keywords: list[str], start: datetime, now: datetime) -> list[Hit]:
    if not keywords:
        return []
    cases = Case.objects.filter(
        _named(keywords, CASE_TEXT), registered_at__gte=start, registered_at__lte=now
    )
    return [
        (f"case:{row['case_no']}", _case_source(row), _why(_hits(keywords, row, CASE_TEXT)))
        for row in cases.values("description", *CASE_FIELDS)
    ]


def _group_petitions(people: int, keywords: list[str], start: datetime, now: datetime) -> list[Hit]:
    petitions = Petition.objects.filter(
        Q(people_count__gte=people) | _named(keywords, PETITION_TEXT),
        received_at__gte=start,
        received_at__lte=now,
    )
    fields = ("number", "title", "matter", "received_at", "township_id", "people_count")
    hits = []
    for row in petitions.values(*fields, "case__case_no"):
        crowd = f"{row['people_count']} 人集体信访" if row["people_count"] >= people else ""
        why = _why(_hits(keywords, row, PETITION_TEXT), crowd)
        subject = _subject_of(row["case__case_no"], f"petition:{row['number']}")
        hits.append((subject, _petition_source(row, prefix=""), why))
    return hits


def _group_disputes(people: int, keywords: list[str], start: datetime, now: datetime) -> list[Hit]:
    disputes = Dispute.objects.filter(
        Q(people_count__gte=people) | _named(keywords, DISPUTE_TEXT),
        registered_at__gte=start,
        registered_at__lte=now,
    )
    fields = ("number", "title", "summary", "registered_at", "township_id", "people_count")
    hits = []
    for row in disputes.values(*fields, "case__case_no"):
        crowd = f"涉及 {row['people_count']} 人" if row["people_count"] >= people else ""
        why = _why(_hits(keywords, row, DISPUTE_TEXT), crowd)
        subject = _subject_of(row["case__case_no"], f"dispute:{row['number']}")
        source = Source(
            SourceKind.DISPUTE,
            str(row["number"]),
            str(row["title"]),
            row["registered_at"],
            row["township_id"],
        )
        hits.append((subject, source, why))
    return hits


def _subject_of(case_no: object, own: str) -> str:
    """A dossier opened from a case is the case's matter: the case's subject."""
    return f"case:{case_no}" if case_no else own


def _group(subject: str, entry: _Precursor, start: datetime, now: datetime) -> Finding:
    sources = _distinct(entry.sources)
    first = sources[0]
    named = "；".join(
        f"{SourceKind(source.kind).label} {source.number}“{source.title}”{why}"
        for source, why in zip(entry.sources, entry.why, strict=True)
    )
    return Finding(
        subject=subject,
        title=f"群体性事件苗头：{first.title}"[:200],
        summary=f"{named}，存在群体性事件苗头，请立即研判稳控。",
        window_start=start,
        window_end=now,
        sources=sources,
    )


# --- (d) the problem came back after closure ------------------------------------------------


def recurrence_findings(rule: WarningRule, now: datetime) -> list[Finding]:
    start = now - timedelta(hours=_param(rule, "hours"))
    days = timedelta(days=_param(rule, "days"))
    # The database keeps only the window's cases that recurred (a few), each by one look-up
    # in the index case_recurrence (warnings migration 0004); reading every case closed at
    # their addresses in the last `days` (14,000 rows at 1M cases a year) cost 0.2 s.
    closed_before = Case.objects.filter(
        address=OuterRef("address"),
        category_id=OuterRef("category_id"),
        closed_at__gte=OuterRef("registered_at") - days,
        closed_at__lte=OuterRef("registered_at"),
    ).exclude(pk=OuterRef("pk"))
    fresh = list(
        Case.objects.filter(registered_at__gte=start, registered_at__lte=now)
        .exclude(address="")
        .filter(Exists(closed_before))
        .values("id", "address", "category_id", "category__name", *CASE_FIELDS)
    )
    if not fresh:
        return []
    closed = Case.objects.filter(
        closed_at__gte=start - days,
        closed_at__lte=now,
        address__in={row["address"] for row in fresh},
    ).values("id", "address", "category_id", "closed_at", *CASE_FIELDS)
    earlier: dict[tuple[str, int], list[dict[str, object]]] = defaultdict(list)
    for row in closed:
        earlier[(row["address"], row["category_id"])].append(row)
    findings = []
    for row in fresh:
        at = row["registered_at"]
        before = [
            c
            for c in earlier.get((row["address"], row["category_id"]), [])
            if c["id"] != row["id"] and at - days <= c["closed_at"] <= at  # type: ignore[operator]
        ]
        if before:
            findings.append(_recurrence(row, before, start, now))
    return findings


def _recurrence(
    row: Mapping[str, object],
    before: list[dict[str, object]],
    start: datetime,
    now: datetime,
) -> Finding:
    last = max(before, key=lambda c: c["closed_at"])  # type: ignore[arg-type,return-value]
    closed_at: datetime = last["closed_at"]  # type: ignore[assignment]
    return Finding(
        subject=f"case:{row['case_no']}",
        title=f"{row['address']}“{row['category__name']}”类事项办结后复发"[:200],
        summary=(
            f"{row['case_no']} 与 {closed_at:%m月%d日} 办结的 {last['case_no']} 同址同类，"
            f"办结后不久再次发生，疑似假性整改，请核查整改实效。"
        ),
        window_start=start,
        window_end=now,
        sources=[*(_case_source(c) for c in before), _case_source(row)],
    )


# --- (e) a village's category well above its seasonal baseline -------------------------------


def surge_findings(rule: WarningRule, now: datetime) -> list[Finding]:
    """Yesterday (the last whole local day) per village × category against the 28 days
    before it, by `zhili.warnings.surge.detect_surges`; statutory holidays left out of the
    baseline. A surge's subject names its day: each day's surge is raised once."""
    day = timezone.localdate(now) - timedelta(days=1)
    counts, village_ids, category_ids = case_counts(day)
    if not village_ids:
        return []
    days = [day - timedelta(days=counts.shape[2] - 1 - k) for k in range(counts.shape[2])]
    holidays = np.array([d.weekday() < 5 and not is_workday(d) for d in days])
    surges = detect_surges(counts, min_count=_param(rule, "min_count"), exclude=holidays)
    if not surges:
        return []
    villages = Organization.objects.in_bulk([village_ids[s.village] for s in surges])
    categories = Category.objects.in_bulk([category_ids[s.category] for s in surges])
    return [
        _surge(
            day,
            surge,
            villages[village_ids[surge.village]],
            categories[category_ids[surge.category]],
        )
        for surge in surges
    ]


def _surge(day: date, surge: Surge, village: Organization, category: Category) -> Finding:
    """The warning's wording of one surge, and the day's cases of the village and category."""
    start, end = period_bounds(day, day)
    cases = Case.objects.filter(
        village=village, category=category, registered_at__gte=start, registered_at__lt=end
    )
    return Finding(
        subject=f"village:{village.pk}:cat:{category.pk}:day:{day.isoformat()}",
        title=f"{village.name}“{category.name}”类事项异常增多",
        summary=(
            f"{village.name} {day:%m月%d日} 发生“{category.name}”类事项 {surge.observed} 件，"
            f"按前28天同期水平（已扣除星期和季节因素）预计约 {surge.expected:.1f} 件，"
            f"显著偏高（P={surge.p_value:.1e}），请排查是否有共同原因。"
        ),
        window_start=start - timedelta(days=28),
        window_end=end,
        sources=_distinct(_case_source(row) for row in cases.values(*CASE_FIELDS)),
    )


# --- a working day ahead with no county leader to receive petitioners -----------------------

WEEKDAYS = "一二三四五六日"


def rota_gap_findings(rule: WarningRule, now: datetime) -> list[Finding]:
    today = timezone.localdate(now)
    ahead = [today + timedelta(days=n) for n in range(1, _param(rule, "days") + 1)]
    center = county_center()
    kept = RotaDay.objects.filter(
        organization=center, date__gte=today - timedelta(days=28), date__lte=ahead[-1]
    )
    on_rota = set(kept.values_list("date", flat=True))
    if not on_rota:  # the county does not keep its rota here (yet): nothing to compare
        return []
    return [_rota_gap(day, today) for day in ahead if is_workday(day) and day not in on_rota]


ROTA_SUBJECT = "rota:"


def rota_gap_day(subject: str) -> date | None:
    """The working day a rota gap's subject names (`rota:<date>`); None for another subject."""
    if not subject.startswith(ROTA_SUBJECT):
        return None
    try:
        return date.fromisoformat(subject.removeprefix(ROTA_SUBJECT))
    except ValueError:
        return None


def _rota_gap(day: date, today: date) -> Finding:
    start, end = period_bounds(today, day)
    when = f"{day:%m月%d日}（星期{WEEKDAYS[day.weekday()]}）"
    return Finding(
        subject=f"{ROTA_SUBJECT}{day.isoformat()}",
        title=f"{when}无县领导接访排班",
        summary=(
            f"{day:%Y年%m月%d日}（星期{WEEKDAYS[day.weekday()]}）是工作日，县综治中心领导接访"
            f"日程中尚无接访领导（距今 {(day - today).days} 天）。请安排县领导接访，"
            f"并提前公告接访时间、地点，便于乡镇预约。"
        ),
        window_start=start,
        window_end=end,
    )


# --- overdue visits of the people register (走访逾期) -----------------------------------------

VISITS_SUBJECT = "grid:{}:visits"
NAMED_AT_MOST = 10  # ordinary roles named in the summary; the sources list every one


def visit_overdue_findings(rule: WarningRule, now: datetime) -> list[Finding]:
    days = _param(rule, "days")
    by_grid: dict[int, list[Overdue]] = defaultdict(list)
    for row in overdue_roles(now=now, by_more_than=timedelta(days=days)):
        by_grid[row.grid_id].append(row)
    return [_visits_overdue(rows, days, now) for rows in by_grid.values()]


# Who reads a grid's warning: the township it goes to, which holds every person of its grids
# and may see all their roles; and the county center's staff, its leader and analysts, who do
# not hold the person: they see a special group's role only through the role that works with
# that group (zhili.registers.selectors.role_checker; a dispatcher none, the leader only the
# key petitioners), and analysts no register at all. A warning's words are one stored text for
# all its readers (its page and list, the API, the screen, the 日报, a 督办单), so they are
# written for the least of them: an ordinary role by its kind and the person's masked name; a
# special group's roles only counted, with no kind, no name and no link. A masked name beside
# "特殊人群" would tell a county reader (who sees every person of the grid) who is in one, and
# the kind which group the grid holds. The township finds those people in its visit list (the
# phone's 走访, GET /api/v1/visits), which applies the register's own rule.
def _visits_overdue(rows: list[Overdue], days: int, now: datetime) -> Finding:
    where = rows[0].grid_name
    plain = [r for r in rows if not KINDS[r.kind].special]
    special = len(rows) - len(plain)
    named = "、".join(
        f"{_masked_name(r.name)}（{Kind(r.kind).label}，应于 {_day(r.due_at)} 走访）"
        for r in plain[:NAMED_AT_MOST]
    )
    if len(plain) > NAMED_AT_MOST:
        named += f" 等 {len(plain)} 人"
    if special:
        named += f"{'；另有' if named else ''}特殊人群 {special} 人（类别和姓名仅属地可见）"
    return Finding(
        subject=VISITS_SUBJECT.format(rows[0].grid_id),
        title=f"{where}{len(rows)}名重点人员走访逾期",
        summary=(
            f"{where}有 {len(rows)} 名重点人员超过走访周期 {days} 天以上仍未走访：{named}。"
            f"请督促网格员尽快上门走访，并在网格通补录走访记录；逾期人员全部走访后，预警自动消除。"
        ),
        window_start=min(r.due_at for r in rows),
        window_end=now,
        sources=[_visit_source(r) for r in rows],
    )


def _visit_source(row: Overdue) -> Source:
    """One overdue stretch: the role and the day of the visit (or start) it runs from."""
    if KINDS[row.kind].special:
        title = f"特殊人群（类别和姓名仅属地可见），应于 {_day(row.due_at)} 走访"
    else:
        title = f"{_masked_name(row.name)}（{Kind(row.kind).label}），应于 {_day(row.due_at)} 走访"
    number = f"R{row.role_id}-{timezone.localdate(row.anchor):%Y%m%d}"
    return Source(SourceKind.VISIT, number, title, row.due_at, row.township_id)


def visit_role_id(number: str) -> int | None:
    """The role an overdue-visit source's number names (`R<role id>-<day>`)."""
    head = number.partition("-")[0]
    return int(head[1:]) if head[:1] == "R" and head[1:].isdigit() else None


def _masked_name(name: str) -> str:
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else "—"


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%m月%d日}"


EVALUATORS: dict[str, Callable[[WarningRule, datetime], list[Finding]]] = {
    RuleKind.REPEAT: repeat_findings,
    RuleKind.CLUSTER: cluster_findings,
    RuleKind.GROUP: group_findings,
    RuleKind.RECURRENCE: recurrence_findings,
    RuleKind.SURGE: surge_findings,
    RuleKind.ROTA_GAP: rota_gap_findings,
    RuleKind.VISIT_OVERDUE: visit_overdue_findings,
}
