"""The 周例会 pack's own section (registered into zhili.reports.sections.SECTIONS): the
categories rising most week on week. Its other parts are "open warnings" (the warnings app's,
order 20) and the open 督办 (daily.supervision, registered for both kinds).

Categories are compared at the catalog's leaves: a leaf has nothing below it, so the case
list filtered by its code lists exactly the counted cases (a test follows every link). Cases
filed on a category with sub-categories are not ranked (the note says how many).
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse

from zhili.cases.models import Case, Category
from zhili.plans.selectors import decisions_since
from zhili.reports.models import Kind
from zhili.reports.sections import SECTIONS, Builder, Cell, Content, Section

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
