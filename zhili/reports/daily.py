"""The 日报's own sections (registered into zhili.reports.sections.SECTIONS): the day's totals
by channel and by 五情, the new warnings (预警), the red and yellow cards, the overdue cases,
the key people's visits due or missed, the open 督办.

Every figure links to its records: the case list, the petition list, the warnings list and
the supervision list
with the filters that give exactly the counted rows (a test follows every link), or the
records kept in the report for figures no list filters the same way (patrols, hazards,
receptions, cards given on the day, visits).

The counts are county-wide (the report is the county center's): one grouped query per table
over the indexed columns (`registered_at`, `card_at`, the open cases' partial index).
"""

from collections import Counter
from datetime import timedelta
from typing import Any

from django.db.models import BooleanField, Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from zhili.cases.models import WORK_STATES, Case, Channel
from zhili.cases.models.choices import CHANNEL_SITUATION, Situation
from zhili.cases.workflow import CLOCK_RUNNING
from zhili.mobile.models import Patrol
from zhili.opinions.selectors import found_in
from zhili.orgs.models import Organization
from zhili.petitions.models import Petition
from zhili.receptions.models import Reception
from zhili.registers import visits as cycles
from zhili.registers.kinds import KINDS
from zhili.registers.models import Hazard
from zhili.reports.models import Kind
from zhili.reports.sections import SECTIONS, Builder, Cell, Content, Section
from zhili.supervision.models import OrderState, SupervisionOrder
from zhili.warnings.models import Level, RuleKind, Warning
from zhili.warnings.selectors import late_q

# The 五情 (the seed's 社情民意、警情分析、地情监控、舆情跟踪、访情研判), in the report's order.
PUBLIC, POLICE, GROUND, VISITS = (
    Situation.PUBLIC.label,
    Situation.POLICE.label,
    Situation.GROUND.label,
    Situation.PETITION.label,
)
ONLINE = "舆情"  # the opinions register, no case channel
# Every case channel in one of them, by label: the one mapping, as the big screen counts them.
CHANNEL_FIVE: dict[str, str] = {
    channel: Situation(situation).label for channel, situation in CHANNEL_SITUATION.items()
}
CASES = "cases:list"
FIVE_NOTE = (
    "工单按来源渠道各计入一类（与指挥大屏口径一致），四类工单之和等于按来源渠道的受理合计；"
    "阳光信访推送的工单同时登记为信访事项，访情各行不宜相加。"
)


def _day(builder: Builder) -> dict[str, str]:
    """The case list's filter of the period's days (the 日报's one day, the 月分析's month)."""
    return {
        "registered_from": f"{builder.period.first:%Y-%m-%d}",
        "registered_to": f"{builder.period.last:%Y-%m-%d}",
    }


def _moment(value: Any) -> str:
    return f"{timezone.localtime(value):%m-%d %H:%M}" if value else "—"


def _registered(builder: Builder) -> Q:
    return Q(registered_at__gte=builder.period.start, registered_at__lt=builder.period.end)


# --- 一、总体情况 ----------------------------------------------------------------------------


def _by_channel(builder: Builder) -> tuple[Content, dict[str, int]]:
    counts = dict(
        Case.objects.filter(_registered(builder))
        .order_by()
        .values("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    day = _day(builder)
    rows: list[list[Cell]] = [
        [label, builder.figure(counts[code], builder.list_url(CASES, channel=code, **day))]
        for code, label in Channel.choices
        if counts.get(code)
    ]
    rows.append(["合计", builder.figure(sum(counts.values()), builder.list_url(CASES, **day))])
    return builder.table("（一）按来源渠道", ["来源渠道", "受理件数"], rows), counts


def _patrols(builder: Builder) -> dict[str, Any]:
    rows = (
        Patrol.objects.filter(
            started_at__gte=builder.period.start, started_at__lt=builder.period.end
        )
        .select_related("worker", "grid__village")
        .order_by("started_at", "id")
    )
    kept = [
        [
            f"{p.grid.village.name} {p.grid.name}" if p.grid.village else p.grid.name,
            p.worker.full_name or p.worker.username,
            _moment(p.started_at),
            _moment(p.ended_at),
            f"{p.distance_m / 1000:.1f} 公里",
        ]
        for p in rows
    ]
    columns = ["巡查网格", "网格员", "开始", "结束", "里程"]
    return builder.kept("patrols", "网格巡查", columns, kept, len(kept))


def _hazards(builder: Builder) -> dict[str, Any]:
    rows = (
        Hazard.objects.filter(found_on__gte=builder.period.first, found_on__lte=builder.period.last)
        .select_related("house__grid")
        .order_by("id")
    )
    kept = [
        [h.house.grid.name, h.house.address, h.description, "已整改" if h.fixed_on else "未整改"]
        for h in rows
    ]
    columns = ["网格", "房屋地址", "隐患情况", "整改"]
    return builder.kept("hazards", "发现房屋安全隐患", columns, kept, len(kept))


def _receptions(builder: Builder) -> dict[str, Any]:
    rows = (
        Reception.objects.filter(
            received_at__gte=builder.period.start, received_at__lt=builder.period.end
        )
        .select_related("leader", "organization")
        .order_by("received_at", "id")
    )
    kept = [
        [
            _moment(r.received_at),
            r.organization.name,
            r.leader.full_name or r.leader.username,
            r.get_mode_display(),
            str(r.people_count),
        ]
        for r in rows
    ]
    columns = ["接访时间", "接访中心", "接访领导", "方式", "人数"]
    return builder.kept("receptions", "领导接访", columns, kept, len(kept))


def channels_of(five: str) -> list[str]:
    """The case channels one of the 五情 counts, in the catalog's order."""
    return [code for code in Channel.values if CHANNEL_FIVE.get(code) == five]


def _cases_row(builder: Builder, five: str, counts: dict[str, int]) -> list[Cell]:
    """One of the 五情's cases: its channels named, their count linking to the case list."""
    codes = channels_of(five)
    labels = "、".join(Channel(code).label for code in codes)
    day = _day(builder)
    link = (
        builder.list_url(CASES, channel=codes[0], **day)
        if len(codes) == 1
        else builder.list_url(CASES, channels=codes, **day)
    )
    n = sum(counts.get(code, 0) for code in codes)
    return [five, f"{labels}（工单，件）", builder.figure(n, link)]


def five(builder: Builder, counts: dict[str, int]) -> Content:
    """The period's 五情 (the 日报's and the 月分析's), `counts` its cases by channel: each
    情's cases (every channel in one, `CHANNEL_FIVE`), then what else each watches."""
    day = _day(builder)
    first, last = day["registered_from"], day["registered_to"]
    petitions = Petition.objects.filter(
        received_at__gte=builder.period.start, received_at__lt=builder.period.end
    ).count()
    rows: list[list[Cell]] = [
        _cases_row(builder, PUBLIC, counts),
        _cases_row(builder, POLICE, counts),
        _cases_row(builder, GROUND, counts),
        [GROUND, "网格巡查（次）", _patrols(builder)],
        [GROUND, "发现房屋安全隐患（处）", _hazards(builder)],
        _cases_row(builder, VISITS, counts),
        [
            VISITS,
            "信访事项（件）",
            builder.figure(
                petitions,
                builder.list_url("petitions:list", received_from=first, received_to=last),
            ),
        ],
        [VISITS, "领导接访（批次）", _receptions(builder)],
        [
            ONLINE,
            "网络舆情登记（条）",
            builder.figure(
                found_in(builder.period.first, builder.period.last).count(),
                builder.list_url("opinions:list", found_from=first, found_to=last),
            ),
        ],
    ]
    return builder.table("（二）按“五情”", ["类别", "口径", "数量"], rows, note=FIVE_NOTE)


def totals(builder: Builder) -> Content:
    channels, counts = _by_channel(builder)
    return builder.content(tables=[channels, five(builder, counts)])


# --- 三、红黄牌 ----------------------------------------------------------------------------


def _carded(builder: Builder, card: str) -> dict[str, Any]:
    rows = (
        Case.objects.filter(
            card=card, card_at__gte=builder.period.start, card_at__lt=builder.period.end
        )
        .select_related("lead_unit")
        .order_by("card_at", "id")
    )
    kept: list[list[Cell]] = [
        [
            builder.link(c.case_no, reverse("cases:detail", args=[c.case_no])),
            c.title,
            c.lead_unit.name if c.lead_unit else "—",
            _moment(c.due_at),
            _moment(c.card_at),
        ]
        for c in rows
    ]
    label = "红牌" if card == "red" else "黄牌"
    columns = ["工单编号", "标题", "主办单位", "办结时限", "亮牌时间"]
    return builder.kept(f"cards-{card}", f"当日亮{label}工单", columns, kept, len(kept))


def cards(builder: Builder) -> Content:
    rows: list[list[Cell]] = [
        ["红牌（已超期）", _carded(builder, "red")],
        ["黄牌（临近时限）", _carded(builder, "yellow")],
    ]
    note = "当日亮牌的事件工单；亮牌后状态可能已变化。"
    screen = "点击数字查看生成时的工单清单。"
    table = builder.table("当日亮牌", ["督办牌", "件数"], rows, note=note, screen_note=screen)
    return builder.content(tables=[table])


# --- 四、超期未办结 ------------------------------------------------------------------------


def _open_work() -> RawSQL:
    """`state IN WORK_STATES` written out as the condition of the partial index `case_open`
    (as zhili.cases.selectors does for the home page): SQLite uses a partial index only for a
    query that repeats its condition, and plans before it sees bound parameters."""
    states = ", ".join(f"'{state.value}'" for state in WORK_STATES)  # constants, not input
    column = f'"{Case._meta.db_table}"."state"'
    return RawSQL(f"{column} IN ({states})", (), output_field=BooleanField())  # noqa: S611


def overdue(builder: Builder) -> Content:
    """The cases whose handling clock runs past their deadline at the moment of generation
    (the case list's 已超期), by township.

    The overdue rows' townships are read through the open cases' partial index and counted
    here: grouped in SQL, SQLite walked the township index over the whole table instead (680
    against 1.2 ms at 1M cases, `bench/reports.py`)."""
    townships = (
        Case.objects.filter(_open_work())
        .filter(state__in=CLOCK_RUNNING, due_at__lt=builder.now)
        .order_by()
        .values_list("township", flat=True)
    )
    by_township = Counter(townships)
    names = dict(
        Organization.objects.filter(pk__in=[k for k in by_township if k]).values_list("pk", "code")
    )
    labels = dict(Organization.objects.filter(pk__in=names).values_list("pk", "name"))
    rows: list[list[Cell]] = [
        [labels[pk], builder.figure(n, builder.list_url(CASES, due="overdue", township=names[pk]))]
        for pk, n in sorted(
            by_township.items(), key=lambda item: (-item[1], labels.get(item[0], ""))
        )
        if pk
    ]
    total = sum(by_township.values())
    rows.append(["合计", builder.figure(total, builder.list_url(CASES, due="overdue"))])
    note = f"截至 {timezone.localtime(builder.now):%Y-%m-%d %H:%M} 办理时限已过仍在办理的事件工单；合计含未落到乡镇的工单。"
    return builder.content(
        tables=[builder.table("超期未办结", ["乡镇（街道）", "件数"], rows, note=note)]
    )


# --- 五、重点人员走访 ----------------------------------------------------------------------


def _mask_name(name: str) -> str:
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else "—"


def visits(builder: Builder) -> Content:
    """The roles open at the day's end (`registers.visits.roles_as_of`, the scheduler's own
    cycles) whose next visit (the last visit before the day's end, or the role's start, plus
    the care level's cycle) had passed by the end of the day (逾期未访), or falls on the next
    day (次日应访). Names are masked: the report goes to units that may not see a special
    group's people."""
    end = builder.period.end
    roles = cycles.roles_as_of(end).annotate(anchor=Coalesce("last", "started_at"))
    missed_q = cycles.cycle_ends_before(end)
    due_q = cycles.cycle_ends_between(end, end + timedelta(days=1))
    columns = ["人员", "类别", "网格", "上次走访或列管", "应访时间"]

    def kept(key: str, title: str, q: Q) -> dict[str, Any]:
        chosen = roles.filter(q).select_related("person__grid").order_by("anchor", "id")
        # The report is read by units that do not hold the people: a special group's person
        # is neither named nor their group told (as the 走访逾期 warning, warnings/rules.py);
        # their township finds them in its visit list.
        rows = [
            [
                "—" if KINDS[r.kind].special else _mask_name(r.person.name),
                "特殊人群" if KINDS[r.kind].special else r.get_kind_display(),
                r.person.grid.name if r.person.grid else "—",
                _moment(r.anchor),
                _moment(cycles.due_from(r.care_level, r.anchor)),
            ]
            for r in chosen
        ]
        return builder.kept(key, title, columns, rows, len(rows))

    rows: list[list[Cell]] = [
        ["逾期未走访", kept("visits-missed", "逾期未走访的重点人员", missed_q)],
        ["次日应走访", kept("visits-due", "次日应走访的重点人员", due_q)],
    ]
    return builder.content(tables=[builder.table("重点人员走访", ["情况", "人数"], rows)])


# --- 二、新增预警 --------------------------------------------------------------------------


def new_warnings(builder: Builder) -> Content:
    """The warnings the rules raised in the period, by level and by kind of rule, each count
    linked to the warnings list of those days; and how many of all open ones are late."""
    first, last = builder.period.first, builder.period.last
    raised = Warning.objects.filter(
        issued_at__gte=builder.period.start, issued_at__lt=builder.period.end
    )
    days = {"state": "all", "issued_from": first.isoformat(), "issued_to": last.isoformat()}

    def counted(field: str, choices: list[tuple[str, str]], title: str) -> dict[str, Any]:
        counts = dict(raised.order_by().values_list(field).annotate(n=Count("id")))
        rows: list[list[Cell]] = [
            [label, builder.figure(counts.get(value, 0), url(**{field: value}))]
            for value, label in choices
        ]
        rows.append(["合计", builder.figure(sum(counts.values()), url())])
        return builder.table(title, ["类别", "条数"], rows)

    def url(**filters: str) -> str:
        return builder.list_url("warnings:list", **days, **filters)

    late = Warning.objects.filter(late_q()).count()
    late_row: list[Cell] = [
        "签收或答复已超时（全部在办）",
        builder.figure(late, builder.list_url("warnings:list", state="all", late=1)),
    ]
    return builder.content(
        tables=[
            counted("level", Level.choices, "按预警等级"),
            counted("kind", RuleKind.choices, "按预警类型"),
            builder.table("处置时限", ["情况", "条数"], [late_row]),
        ]
    )


# --- 六、在办督办 --------------------------------------------------------------------------


def supervision(builder: Builder) -> Content:
    orders = SupervisionOrder.objects.filter(state__in=[OrderState.ISSUED, OrderState.ANSWERED])
    counts = orders.aggregate(
        issued=Count("id", filter=Q(state=OrderState.ISSUED)),
        late=Count("id", filter=Q(state=OrderState.ISSUED, due_at__lt=builder.now)),
        answered=Count("id", filter=Q(state=OrderState.ANSWERED)),
    )
    url = builder.list_url
    rows: list[list[Cell]] = [
        ["待答复", builder.figure(counts["issued"], url("supervision:list", state="issued"))],
        [
            "其中答复已超时",
            builder.figure(counts["late"], url("supervision:list", state="issued", overdue=1)),
        ],
        [
            "已答复待审核",
            builder.figure(counts["answered"], url("supervision:list", state="answered")),
        ],
    ]
    return builder.content(tables=[builder.table("在办督办单", ["状态", "件数"], rows)])


for key, section in (
    ("totals", Section("总体情况", 10, totals)),
    ("warnings", Section("新增预警", 20, new_warnings, frozenset({Kind.DAILY, Kind.WEEKLY}))),
    ("cards", Section("红黄牌", 30, cards)),
    ("overdue", Section("超期未办结", 40, overdue)),
    ("visits", Section("重点人员走访", 50, visits)),
    ("supervision", Section("在办督办", 60, supervision, frozenset({Kind.DAILY, Kind.WEEKLY}))),
):
    SECTIONS.register(key, section)
