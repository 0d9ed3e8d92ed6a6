"""The 周例会 pack's own sections (registered into zhili.reports.sections.SECTIONS): the
warnings still open when the pack is made (order 15), the categories rising most week on
week (35) and the decisions of the meetings with where each stands (70). Its other parts are
the 日报's: the warnings raised in the week (daily.new_warnings, order 20) and the open 督办
(daily.supervision, 60), registered for both kinds.

The open warnings are those not closed at the moment of generation (待签收, 处置中, 已答复待审核),
counted by level and by responsible unit, each across the three states: every count links to
the warnings list with the same filters (state, level, the responsible unit, `open` for the
three together), so the list opened right after generation shows exactly the counted rows.

Categories are compared at the catalog's leaves: a leaf has nothing below it, so the case
list filtered by its code lists exactly the counted cases (a test follows every link). Cases
filed on a category with sub-categories are not ranked (the note says how many).
"""

from collections import Counter
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from zhili.cases.models import Case, Category
from zhili.orgs.models import Organization
from zhili.plans.selectors import decisions_since
from zhili.reports.models import Kind
from zhili.reports.sections import SECTIONS, Builder, Cell, Content, Section
from zhili.warnings.models import OPEN_STATES, Level, Warning, WarningState
from zhili.warnings.selectors import late_q

CASES = "cases:list"
TOP = 10


def _span(first: object, last: object) -> dict[str, str]:
    return {"registered_from": f"{first:%Y-%m-%d}", "registered_to": f"{last:%Y-%m-%d}"}


def rising_categories(builder: Builder) -> Content:
    period = builder.period
    before = period.start - timedelta(days=7)
    counts = (
        Case.objects.filter(registered_at__gte=before, registered_at__lt=period.end)
        .order_by()
        .values("category_id")
        .annotate(
            now=Count("id", filter=Q(registered_at__gte=period.start)),
            then=Count("id", filter=Q(registered_at__lt=period.start)),
        )
    )
    by_category = {row["category_id"]: (row["now"], row["then"]) for row in counts}
    leaves = dict(
        Category.objects.filter(pk__in=by_category, children__isnull=True).values_list("pk", "code")
    )
    names = dict(Category.objects.filter(pk__in=leaves).values_list("pk", "name"))
    rising = sorted(
        ((pk, *by_category[pk]) for pk in leaves if by_category[pk][0] > by_category[pk][1]),
        key=lambda item: (item[2] - item[1], -item[1], names[item[0]]),  # most added first
    )[:TOP]
    this_week = _span(period.first, period.last)
    last_week = _span(period.first - timedelta(days=7), period.last - timedelta(days=7))
    rows: list[list[Cell]] = []
    for pk, now, then in rising:
        code = leaves[pk]
        growth = f"{(now - then) / then:+.0%}" if then else "新增"
        rows.append(
            [
                names[pk],
                builder.figure(then, builder.list_url(CASES, category=code, **last_week)),
                builder.figure(now, builder.list_url(CASES, category=code, **this_week)),
                f"+{now - then}",
                growth,
            ]
        )
    unranked = sum(now for pk, (now, _then) in by_category.items() if pk not in leaves)
    note = f"按末级事项分类比较本周与上周受理件数，列出增加最多的 {TOP} 类。"
    if unranked:
        note += f"本周另有 {unranked} 件登记在非末级分类上，未参与排名。"
    columns = ["事项分类", "上周", "本周", "增加", "环比"]
    return builder.content(
        tables=[builder.table("环比上升最多的事项分类", columns, rows, note=note)]
    )


SECTIONS.register(
    "rising", Section("环比上升的事项分类", 35, rising_categories, frozenset({Kind.WEEKLY}))
)


# --- the warnings still open ----------------------------------------------------------------

WARNINGS = "warnings:list"
OPEN_LABELS = {
    WarningState.ISSUED: "待签收",
    WarningState.SIGNED: "处置中",
    WarningState.ANSWERED: "已答复待审核",
}


def open_warnings(builder: Builder) -> Content:
    """The warnings not closed when the pack is made, by level and by responsible unit, each
    across the open states; and how many of them are late (签收 or 答复 past its limit)."""
    counts: dict[tuple[str, int, str], int] = {
        (level, unit, state): n
        for level, unit, state, n in Warning.objects.filter(state__in=OPEN_STATES)
        .order_by()
        .values_list("level", "unit_id", "state")
        .annotate(n=Count("id"))
    }

    def url(state: str = "all", **filters: object) -> str:
        """The warnings list of one open state, or of the three (`open`)."""
        return builder.list_url(WARNINGS, state=state, open=1 if state == "all" else "", **filters)

    def cells(level: str = "", unit: Organization | None = None) -> list[Cell]:
        """One row's counts: each open state, then the three together."""
        chosen = [
            (state, n)
            for (at_level, at_unit, state), n in counts.items()
            if level in ("", at_level) and (unit is None or unit.pk == at_unit)
        ]
        filters = {"level": level, "unit": unit.code if unit else ""}
        row: list[Cell] = [
            builder.figure(sum(n for s, n in chosen if s == state), url(str(state), **filters))
            for state in OPEN_LABELS
        ]
        return [*row, builder.figure(sum(n for _s, n in chosen), url(**filters))]

    columns = [*OPEN_LABELS.values(), "合计"]
    by_level: list[list[Cell]] = [[label, *cells(level)] for level, label in Level.choices]
    by_level.append(["合计", *cells()])
    units = Counter[int]()
    for (_level, unit, _state), n in counts.items():
        units[unit] += n
    orgs = Organization.objects.in_bulk(list(units))
    ranked = sorted(orgs.values(), key=lambda org: (-units[org.pk], org.name))
    by_unit: list[list[Cell]] = [[org.name, *cells(unit=org)] for org in ranked]
    if by_unit:
        by_unit.append(["合计", *cells()])
    late: list[Cell] = [
        "签收或答复已超时",
        builder.figure(Warning.objects.filter(late_q()).count(), url(late=1)),
    ]
    moment = f"{timezone.localtime(builder.now):%Y-%m-%d %H:%M}"
    note = f"截至 {moment}（生成报告时）未关闭的预警，含已答复待县综治中心审核的。"
    screen = "点击数字打开同样筛选的预警清单；其后签收、答复或关闭的，清单按打开时的状态列出。"
    return builder.content(
        tables=[
            builder.table("按预警等级", ["预警等级", *columns], by_level),
            builder.table("按责任单位", ["责任单位", *columns], by_unit),
            builder.table("处置时限", ["情况", "条数"], [late]),
        ],
        notes=[note],
        screen_notes=[screen],
    )


SECTIONS.register(
    "open-warnings", Section("未关闭预警", 15, open_warnings, frozenset({Kind.WEEKLY}))
)


# --- the meetings' decisions (zhili/plans): what was decided and where each stands now -----------

DECISION_WEEKS = 4


def meeting_decisions(builder: Builder) -> Content:
    """The decisions of the meetings of the last four weeks and every older one still open,
    each linked to its task, with its state when the pack was made."""
    since = builder.period.first - timedelta(weeks=DECISION_WEEKS - 1)
    rows: list[list[Cell]] = []
    for task in decisions_since(since=since, until=builder.period.last):
        meeting = task.meeting
        assert meeting is not None
        rows.append(
            [
                f"{meeting.held_on:%m-%d} {meeting.title}",
                builder.link(task.title, reverse("plans:detail", args=[task.number])),
                task.lead_unit.name,
                f"{task.due_on:%Y-%m-%d}",
                f"{task.get_state_display()}（{task.progress}%）",
            ]
        )
    note = f"近 {DECISION_WEEKS} 周会议的决定事项，以及更早会议尚未完成的决定事项；状态为生成报告时的状态。"
    columns = ["会议", "决定事项", "责任单位", "完成期限", "状态"]
    return builder.content(tables=[builder.table("会议决定事项落实情况", columns, rows, note=note)])


SECTIONS.register(
    "decisions", Section("会议决定事项落实情况", 70, meeting_decisions, frozenset({Kind.WEEKLY}))
)
