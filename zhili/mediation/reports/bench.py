"""Measure the full-text search of archived disputes on a sandbox database.

    ZHILI_VAR_DIR=... [DATABASE_URL=...] python manage.py migrate
    ZHILI_VAR_DIR=... [DATABASE_URL=...] python manage.py demo --only zhili.orgs
    ZHILI_VAR_DIR=... [DATABASE_URL=...] python manage.py shell -c \
        "from zhili.mediation.reports.bench import run; run(50000)"

Writes `n` archived disputes (bulk, with their jieba tokens) under committees of every
township of the demo tree, once (a second run reuses them), then times the first page (20
rows) and the count of `dispute_search` for a rare and a common query, county-wide and for
one township: median of 5 runs. Never run it on a production database.

`run(50000, scan=True)` times the search without the full-text index (the scan of the padded
`search_tokens` column for " term ", what the search did before migration 0004), on the same
rows, for comparison.
"""

import random
import statistics
import time
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from zhili.cases.text import search_tokens
from zhili.core.roles import Role
from zhili.core.types import Actor
from zhili.mediation.models import Committee, Dispute, DisputeKind, DisputeState, Outcome, Source
from zhili.mediation.reports import selectors
from zhili.mediation.reports.selectors import SearchFilters, dispute_search
from zhili.orgs.models import Organization, User

PREFIX = "BENCH"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
CAUSES = [
    ("neighbourhood", "邻居在房前屋后堆放杂物、排水不畅，双方多次争吵"),
    ("housing_homestead", "新建围墙越过宅基地界址约三十公分，双方争执不下"),
    ("marriage_family", "夫妻感情不和，就子女抚养和共同财产分割产生分歧"),
    ("labour", "工地拖欠务工人员工资两个月，工人多次讨要未果"),
    ("contract", "买卖合同约定的货款未按期支付，对方要求支付违约金"),
    ("land_forest", "承包地界桩被移动，双方对山林边界认定不一致"),
    ("damages", "饲养的犬只咬伤路人，双方就医疗费赔偿数额发生争议"),
    ("traffic", "电动车与三轮车相撞致一人受伤，就赔偿协商不成"),
    ("property_mgmt", "小区物业费上涨，业主认为服务不到位拒绝缴纳"),
    ("contract", "鱼塘承包款拖欠两年，村集体要求收回鱼塘"),  # the rare one: 鱼塘
]


def _seed(n: int) -> None:
    existing = Dispute.objects.filter(number__startswith=PREFIX).count()
    if existing >= n:
        return
    committees = _committees()
    rng = random.Random(20261126)
    now = timezone.now()
    batch = []
    for i in range(existing, n):
        batch.append(_dispute(i, rng, committees[i % len(committees)], now))
        if len(batch) == 5000:
            Dispute.objects.bulk_create(batch)
            batch = []
    Dispute.objects.bulk_create(batch)


def _committees() -> list[Committee]:
    """One bench committee per township center."""
    committees = []
    for town in Organization.objects.filter(level="township", kind="center"):
        committee, _ = Committee.objects.get_or_create(
            name=f"{town.name}{PREFIX}调委会",
            defaults={
                "level": "township",
                "organization": town,
                "path": town.path,
                "term_start": timezone.localdate(),
                "term_end": timezone.localdate(),
            },
        )
        committees.append(committee)
    return committees


def _dispute(i: int, rng: random.Random, committee: Committee, now: datetime) -> Dispute:
    """The i-th archived bench dispute: every hundredth names the first cause, the one after
    it the rare one (鱼塘)."""
    kind, cause = CAUSES[0 if i % 100 == 0 else rng.randrange(len(CAUSES) - 1)]
    if i % 100 == 1:
        kind, cause = CAUSES[-1]
    a, b = rng.choice(SURNAMES), rng.choice(SURNAMES)
    title = f"{a}某与{b}某{DisputeKind(kind).label}纠纷"
    summary = f"{committee.organization.name}辖区村民{a}某与{b}某因{cause}。"
    record = "调解员分别做双方工作，释法明理，双方同意协商解决。"
    moment = now - timedelta(days=rng.randrange(700))
    return Dispute(
        number=f"{PREFIX}-{i:07d}",
        title=title,
        source=Source.SCREENING,
        kind=kind,
        committee=committee,
        path=committee.path,
        level="township",
        summary=summary,
        state=DisputeState.ARCHIVED,
        registered_at=moment,
        outcome=Outcome.AGREEMENT,
        outcome_at=moment,
        closed_at=moment,
        search_tokens=" ".join(search_tokens(f"{title}\n{summary}\n{record}")),
    )


def _user(name: str, org: Organization) -> User:
    user, _ = User.objects.get_or_create(username=name, defaults={"organization": org})
    user.groups.set([Group.objects.get_or_create(name=Role.TOWNSHIP_OFFICER)[0]])
    return user


def _time(user: Actor, text: str) -> tuple[float, int]:
    runs = []
    count = 0
    for _ in range(5):
        started = time.perf_counter()
        qs = dispute_search(user=user, filters=SearchFilters(text=text))
        list(qs[:20])
        count = qs.count()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), count


def run(n: int = 50000, *, scan: bool = False) -> None:
    with transaction.atomic():
        _seed(n)
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: without statistics the planner guesses.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Dispute._meta.db_table}")
    how = "scan of search_tokens" if scan else "full-text index"
    print(f"{connection.vendor}, {how}")
    if scan:
        with mock.patch.object(selectors, "match_terms", selectors._scan_terms):
            _report()
    else:
        _report()


def _report() -> None:
    county = Organization.objects.get(level="county", kind="center", parent=None)
    town = Organization.objects.filter(level="township", kind="center").order_by("code").first()
    assert town is not None
    users = {"county": _user(f"{PREFIX}-county", county), "township": _user(f"{PREFIX}-town", town)}
    total = Dispute.objects.filter(state=DisputeState.ARCHIVED).count()
    print(f"archived disputes: {total}")
    for scope, user in users.items():
        for text in ("鱼塘", "宅基地 围墙", "纠纷"):
            ms, count = _time(user, text)
            print(f"{scope:9s} {text:8s} matches {count:6d}  first page + count {ms:8.1f} ms")
