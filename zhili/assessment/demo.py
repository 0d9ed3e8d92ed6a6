"""`zhili demo` for the assessment: this year's scheme from the defaults, the assessors' field
scores and a few honours and inspection findings (fixed by a seeded generator), one veto
confirmed and one waiting for review, the 十佳 shortlists, then the automatic items computed for last month, this
month, this quarter and the year so far, as the county center's director would. Idempotent:
every entry has its key, and computing again gives the same ledger."""

import random
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from zhili.assessment.awards import shortlist_compute
from zhili.assessment.models import AwardKind, Nomination, Veto
from zhili.assessment.services import (
    ledger_post,
    manual_score,
    scheme_create_default,
    scores_compute,
)
from zhili.assessment.units import ranked_units
from zhili.assessment.vetoes import veto_propose, veto_review
from zhili.orgs.models import User

SEED = 18


def _periods(today: date) -> list[tuple[int, str]]:
    last = today.replace(day=1) - timedelta(days=1)
    quarter = f"Q{(today.month - 1) // 3 + 1}"
    periods = [(today.year, f"{today.month:02d}"), (today.year, quarter), (today.year, "year")]
    return [(last.year, f"{last.month:02d}"), *periods]


def _manual(director: User, today: date) -> int:
    rng = random.Random(SEED)
    first = today.replace(day=1)
    n = 0
    for unit in ranked_units():
        points = Decimal(rng.randint(12, 20)) / 2
        manual_score(
            actor=director,
            unit=unit,
            on=first,
            item_code="field_check",
            points=points,
            reason=f"实地考核：台账、阵地、机制运行，得 {points} 分",
            evidence_url="",
        )
        n += 1
        if rng.random() < 0.3:
            ledger_post(
                actor=director,
                unit=unit,
                on=first,
                item_code="inspection_findings",
                points=Decimal(-1),
                reason="督查发现：矛盾纠纷排查台账未按月更新",
                source_label="督查发现问题",
                source_url="",
                key=f"demo-finding:{unit.code}:{first}",
            )
        if rng.random() < 0.15:
            ledger_post(
                actor=director,
                unit=unit,
                on=first,
                item_code="honours",
                points=Decimal(1),
                reason="经验做法被市综治中心推广",
                source_label="上级表彰",
                source_url="",
                key=f"demo-honour:{unit.code}:{first}",
            )
    return n


def _vetoes(director: User, analyst: User, today: date) -> None:
    if Veto.objects.filter(year=today.year).exists():
        return
    townships = list(ranked_units(["township"]))
    if len(townships) < 2:
        return
    on = today.replace(day=1)
    confirmed = veto_propose(
        actor=director,
        unit=townships[-1],
        event_code="petition_failure",
        on=on,
        reason="重大信访事项处置不力，造成越级集体访一批次",
    )
    veto_review(actor=analyst, veto_id=confirmed.pk, confirm=True, note="经核实属实")
    veto_propose(
        actor=director,
        unit=townships[-2],
        event_code="serious_crime",
        on=on,
        reason="辖区邻里纠纷激化引发伤害案件，待核实化解工作情况",
    )


def load(*, stdout: TextIO) -> None:
    started = time.perf_counter()
    director = User.objects.filter(username="director").first()
    analyst = User.objects.filter(username="analyst").first()
    if director is None or analyst is None:
        stdout.write("  考核评价：缺少演示账号 director / analyst，跳过\n")
        return
    today = timezone.localdate()
    with transaction.atomic():
        scheme_create_default(actor=director, year=today.year)
        units = _manual(director, today)
        _vetoes(director, analyst, today)
    stdout.write(f"  考核评价：{today.year} 年度指标体系，{units} 个被考核单位的实地考核\n")
    for year, period in _periods(today):
        if year != today.year:
            scheme_create_default(actor=director, year=year)
        done = scores_compute(actor=director, year=year, period=period)
        stdout.write(f"  考核评价：{done.period.label} 自动计算 {done.entries} 条台账\n")
    for kind in AwardKind.values:
        if not Nomination.objects.filter(year=today.year, kind=kind).exists():
            shortlist_compute(actor=director, year=today.year, kind=kind)
    stdout.write(
        f"  考核评价：十佳推荐名单 {Nomination.objects.filter(year=today.year).count()} 名\n"
    )
    stdout.write(f"  考核评价：完成（{time.perf_counter() - started:.1f}s）\n")
