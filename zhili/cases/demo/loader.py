"""`zhili demo` for cases: the dispatch catalog, time limits, responsibility rules, and a year
of generated cases. Idempotent: rows that exist are kept, and the cases are generated only
when the database holds no demo case yet."""

import json
import random
import time
from datetime import date
from typing import Any, TextIO

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from zhili.cases import deadlines
from zhili.cases.demo import catalog, rules, texts
from zhili.cases.demo.generator import Draft, Generator, World
from zhili.cases.demo.sampling import caller
from zhili.cases.models import (
    CATEGORY_STAMP,
    Case,
    CaseAssist,
    CaseDuplicate,
    CaseEvent,
    Category,
    Channel,
    ResponsibilityRule,
    State,
    TimeLimit,
)
from zhili.cases.text import index_cases
from zhili.core import stamps
from zhili.core.audit import audit
from zhili.core.models import AuditLog, NumberCounter, OutboxEvent, Series
from zhili.orgs.demo.data import COUNTY, DUTY_SEAT
from zhili.orgs.demo.hours import office_hours
from zhili.orgs.models import Organization, User

CASES = 30_000
BATCH = 2_000


def _say(stdout: TextIO, text: str) -> None:
    stdout.write(f"[cases] {text}\n")
    if hasattr(stdout, "flush"):
        stdout.flush()


def ensure_catalog() -> int:
    existing = {c.code: c for c in Category.objects.all()}
    created = 0
    for order, group in enumerate(catalog.CATALOG):
        parent = existing.get(group.code)
        if parent is None:
            parent = existing[group.code] = Category.objects.create(
                code=group.code,
                name=group.name,
                path=f"/{group.code}/",
                depth=0,
                keywords=group.keywords,
                sort_order=order,
                is_demo=True,
            )
            created += 1
        new = []
        for index, leaf in enumerate(group.leaves):
            code = catalog.leaf_code(group, index)
            if code in existing:
                continue
            new.append(
                Category(
                    code=code,
                    name=leaf.name,
                    parent=parent,
                    path=f"{parent.path}{code}/",
                    depth=1,
                    keywords=leaf.keywords,
                    synonyms=catalog.SYNONYMS.get(leaf.name, ""),
                    default_urgency=leaf.urgency,
                    sort_order=index,
                    is_demo=True,
                )
            )
        Category.objects.bulk_create(new)
        created += len(new)
    # A demo loaded before categories had synonyms gets them, once (an edited list is kept).
    filled = 0
    for name, synonyms in catalog.SYNONYMS.items():
        filled += Category.objects.filter(
            code=catalog.leaf_by_name(name), is_demo=True, synonyms=""
        ).update(synonyms=synonyms)
    if created or filled:
        stamps.bump(CATEGORY_STAMP)
    return created


def ensure_time_limits() -> int:
    rows: list[tuple[Any, ...]] = [
        (
            None,
            urgency,
            limits.acknowledge.amount,
            limits.acknowledge.unit,
            limits.handle.amount,
            limits.handle.unit,
        )
        for urgency, limits in deadlines.DEFAULTS.items()
    ]
    ids = dict(Category.objects.values_list("name", "id"))
    rows += [(ids[name], *rest) for name, *rest in catalog.SPECIAL_LIMITS if name in ids]
    existing = set(TimeLimit.objects.values_list("category_id", "urgency"))
    new = [
        TimeLimit(
            category_id=category,
            urgency=urgency,
            acknowledge_amount=ack,
            acknowledge_unit=ack_unit,
            handle_amount=handle,
            handle_unit=handle_unit,
        )
        for category, urgency, ack, ack_unit, handle, handle_unit in rows
        if (category, urgency) not in existing
    ]
    TimeLimit.objects.bulk_create(new)
    if new:
        stamps.bump(deadlines.STAMP)
    return len(new)


def _rule_specs() -> list[dict[str, Any]]:
    """The rules as (category code, township code, village code, unit code, note)."""
    codes = {leaf.name: code for code, _, leaf in catalog.leaves()}
    specs = [
        dict(category=group, unit=rules.department(unit), note="全县")
        for group, unit in rules.COUNTY_GROUPS.items()
    ]
    specs += [
        dict(category=codes[name], unit=rules.department(unit), note="全县")
        for name, unit in rules.COUNTY_LEAVES.items()
    ]
    townships = Organization.objects.filter(
        path__startswith=f"/{COUNTY}/", level="township", kind="center"
    ).order_by("code")
    for township in townships:
        for target, who in rules.TOWNSHIP_RULES.items():
            unit = township.code if who == "center" else rules.police_station(township.code)
            specs.append(
                dict(
                    category=codes.get(target, target),
                    township=township.code,
                    unit=unit,
                    note="属地",
                )
            )
    villages = Organization.objects.filter(
        parent__code__in=rules.VILLAGE_TOWNSHIPS, level="village", kind="center"
    ).order_by("code")
    for village in villages:
        for name in rules.VILLAGE_LEAVES:
            specs.append(
                dict(
                    category=codes[name],
                    township=village.path.strip("/").split("/")[1],
                    village=village.code,
                    unit=village.code,
                    note="村（社区）先行调处",
                )
            )
    return specs


def ensure_rules() -> int:
    if ResponsibilityRule.objects.filter(is_demo=True).exists():
        return 0
    categories = dict(Category.objects.values_list("code", "id"))
    orgs = dict(
        Organization.objects.filter(path__startswith=f"/{COUNTY}/").values_list("code", "id")
    )
    new = [
        ResponsibilityRule(
            category_id=categories[s["category"]],
            township_id=orgs[s["township"]] if s.get("township") else None,
            village_id=orgs[s["village"]] if s.get("village") else None,
            unit_id=orgs[s["unit"]],
            note=s["note"],
            is_demo=True,
        )
        for s in _rule_specs()
        if s["category"] in categories and s["unit"] in orgs
    ]
    ResponsibilityRule.objects.bulk_create(new)
    stamps.bump("cases.rules")
    return len(new)


def write_cases(drafts: list[Draft], stdout: TextIO) -> dict[str, int]:
    cases = [d.case for d in drafts]
    for start in range(0, len(cases), BATCH):
        Case.objects.bulk_create(cases[start : start + BATCH])
    _say(stdout, f"工单 {len(cases)} 已写入")
    events = _insert_events(drafts)
    _say(stdout, f"办理记录 {events} 已写入")
    merged = []
    for d in drafts:
        if d.master is not None:
            d.case.master_id = drafts[d.master].case.pk
            merged.append(d.case)
    Case.objects.bulk_update(merged, ["master"], batch_size=BATCH)
    tasks = [
        CaseAssist(case_id=d.case.pk, organization_id=org.pk, **fields)
        for d in drafts
        for org, fields in d.assists
    ]
    CaseAssist.objects.bulk_create(tasks, batch_size=BATCH)
    # After the assisting tasks: their units see the case, which the index row records.
    indexed = index_cases(cases)
    _say(stdout, f"全文与查重索引 {indexed} 已写入")
    return {"cases": len(cases), "events": events, "assisting": len(tasks), "indexed": indexed}


EVENT_COLUMNS = [
    "case_id",
    "action",
    "from_state",
    "to_state",
    "actor_id",
    "actor_unit_id",
    "note",
    "data",
    "created_at",
]


def _insert_events(drafts: list[Draft]) -> int:
    """Insert the timelines with executemany: bulk_create's per-field preparation would take
    most of the load's time budget for two hundred thousand rows."""
    adapt = connection.ops.adapt_datetimefield_value
    rows = [
        (
            d.case.pk,
            e["action"],
            e["from_state"],
            e["to_state"],
            e["actor_id"],
            e["actor_unit_id"],
            e["note"],
            json.dumps(e["data"], ensure_ascii=False),
            adapt(e["created_at"]),
        )
        for d in drafts
        for e in d.events
    ]
    table = connection.ops.quote_name(CaseEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in EVENT_COLUMNS)
    marks = ", ".join(["%s"] * len(EVENT_COLUMNS))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - fixed names
                rows[start : start + BATCH * 5],
            )
    return len(rows)


def _counters(drafts: list[Draft], before: dict[date, int]) -> None:
    last: dict[date, int] = {}
    for d in drafts:
        day = timezone.localdate(d.case.registered_at)
        number = int(d.case.case_no.rsplit("-", 1)[1])
        last[day] = max(last.get(day, 0), number)
    new = [
        NumberCounter(series=Series.CASE, period=day.isoformat(), last=n)
        for day, n in last.items()
        if day not in before
    ]
    NumberCounter.objects.bulk_create(new, batch_size=BATCH)
    for day, n in last.items():
        if day in before:
            _case_counters().filter(period=day.isoformat()).update(last=n)


def _case_counters() -> QuerySet[NumberCounter]:
    return NumberCounter.objects.filter(series=Series.CASE)


def generate_cases(*, stdout: TextIO, cases: int) -> dict[str, int]:
    now = timezone.now()
    started = time.monotonic()
    before = {
        date.fromisoformat(period): last
        for period, last in _case_counters().values_list("period", "last")
    }
    gen = Generator(World(), total=cases, now=now, counters=before)

    def progress(number: int) -> None:
        _say(stdout, f"{number}/{cases} 已生成 ... {time.monotonic() - started:.1f}s")

    drafts = gen.run(progress)
    counts = write_cases(drafts, stdout)
    _counters(drafts, before)
    _say(stdout, f"写入完成 ... {time.monotonic() - started:.1f}s")
    return counts


def load(*, stdout: TextIO, cases: int = CASES) -> dict[str, Any]:
    """Load the catalog, time limits and rules, then a year of cases if there are none yet."""
    started = time.monotonic()
    with transaction.atomic():
        created = {
            "categories": ensure_catalog(),
            "time_limits": ensure_time_limits(),
            "rules": ensure_rules(),
        }
        audit(None, "cases.demo.catalog", None, created=created)
    _say(
        stdout,
        f"事项分类 {Category.objects.count()}、办理时限 {TimeLimit.objects.count()}、"
        f"权责清单 {ResponsibilityRule.objects.count()}（新建 {sum(created.values())}） ... "
        f"{time.monotonic() - started:.1f}s",
    )
    if Case.objects.filter(is_demo=True).exists():
        _say(stdout, f"已有演示工单 {Case.objects.filter(is_demo=True).count()} 件，跳过生成")
        return {"created": created}
    with transaction.atomic():
        counts = generate_cases(stdout=stdout, cases=cases)
        created |= counts
        last = Case.objects.filter(is_demo=True).aggregate(Max("registered_at"))
        audit(None, "cases.demo.load", None, created=created, last=str(last["registered_at__max"]))
    created["repeats"] = report_again(stdout)
    return {"created": created}


REPEATS = 3


def _nearby_in_grid(case: Case) -> tuple[float, float]:
    """A point about 170 m from the case, in its grid (so in its township) when one is."""
    from zhili.orgs.selectors import grid_locate

    assert case.lat is not None and case.lng is not None  # located cases only
    for dlat, dlng in ((0.0015, 0), (-0.0015, 0), (0, 0.0018), (0, -0.0018)):
        place = grid_locate(lat=case.lat + dlat, lng=case.lng + dlng)
        if place is not None and place.grid.pk == case.grid_id:
            return case.lat + dlat, case.lng + dlng
    return case.lat, case.lng  # a small grid: the same spot


def report_again(stdout: TextIO) -> int:
    """A few requests that repeat one still waiting for dispatch, a short walk away, through
    the real intake: the duplicate check flags them on the workbench (疑似重复). Each is a
    call to the hotline in its own words, from a caller who leaves a name and a number, taken
    by the dispatcher (or the duty seat outside office hours)."""
    from zhili.cases.services import Intake, case_register

    located = Case.objects.filter(is_demo=True, lat__isnull=False, out_of_area=False).exclude(
        state=State.MERGED
    )
    # Preferably cases still waiting for dispatch; else the newest (a repeat of a case in hand
    # or closed is flagged all the same).
    originals = list(located.filter(state=State.REGISTERED).order_by("-registered_at")[:REPEATS])
    if len(originals) < REPEATS:
        others = located.exclude(pk__in=[c.pk for c in originals]).order_by("-registered_at")
        originals += list(others[: REPEATS - len(originals)])
    on_duty = "dispatcher" if office_hours(timezone.now()) else DUTY_SEAT
    actor = User.objects.filter(username=on_duty).first()
    made = 0
    for original in originals:
        lat, lng = _nearby_in_grid(original)
        rng = random.Random(original.case_no)
        name, phone = caller(rng, hotline=True)
        with transaction.atomic():
            repeat = case_register(
                actor=actor,
                intake=Intake(
                    channel=Channel.HOTLINE,
                    category=original.category,
                    title=original.title,
                    description=_again(original, rng),
                    lat=lat,
                    lng=lng,
                    address=original.address,
                    reporter_name=name,
                    reporter_phone=phone,
                    external_id=f"DEMO-REPEAT-{original.case_no}",
                ),
            )
            Case.objects.filter(pk=repeat.pk).update(is_demo=True)
        made += 1
    flagged = CaseDuplicate.objects.filter(case__is_demo=True).count()
    _say(stdout, f"重复来电 {made} 件经受理登记，疑似重复标记 {flagged} 条")
    return made


def _again(case: Case, rng: random.Random) -> str:
    """The caller's words: the matter and the request of the case it repeats, without the
    words of the channel that brought that one ("网格员上报：…"), as a hotline call that says
    it was reported before."""
    text = case.description
    for opener in (o for openers in texts.OPENERS.values() for o in openers):
        text = text.removeprefix(opener)
    matter, _, rest = text.partition("。")
    opener = rng.choice(texts.OPENERS[Channel.HOTLINE])
    return f"{opener}{matter}。{rng.choice(texts.AGAIN)}{rest or rng.choice(texts.REQUESTS)}"


def unload() -> None:
    """Remove what `load` wrote (for tests): the demo cases with the audit rows and events of
    the ones registered through the intake, then the catalog, limits, rules."""
    demo_ids = list(Case.objects.filter(is_demo=True).values_list("pk", flat=True))
    AuditLog.objects.filter(
        target_type=Case._meta.label_lower, target_id__in=[str(pk) for pk in demo_ids]
    ).delete()
    OutboxEvent.objects.filter(name="cases.registered", payload__case_id__in=demo_ids).delete()
    Case.objects.filter(is_demo=True).update(master=None)  # Case.master is PROTECT
    Case.objects.filter(is_demo=True).delete()
    _case_counters().delete()
    ResponsibilityRule.objects.filter(is_demo=True).delete()
    TimeLimit.objects.all().delete()
    Category.objects.filter(is_demo=True, depth=1).delete()
    Category.objects.filter(is_demo=True).delete()
