"""Export of a filtered case list to XLSX (导出Excel), for the same filters and scope as the list.

The rows come from `zhili.cases.selectors` (the user's scope, then `filter_cases`), newest
first, read in chunks and written by openpyxl's write-only mode into a temporary file, so a
large export never sits in memory. Phone numbers are masked; each export is audited.
"""

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import IO

from django.db import transaction
from django.utils import timezone

from zhili.cases import selectors
from zhili.cases.models import Card, Case, Channel, Rating, State, Urgency
from zhili.core import xlsx
from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.personal import mask_phone
from zhili.core.types import Actor
from zhili.orgs.models import Organization

MAX_EXPORT = 100_000
CHUNK = 2000

_CHANNELS = dict(Channel.choices)
_STATES = dict(State.choices)
_URGENCIES = dict(Urgency.choices)
_CARDS = dict(Card.choices)
_RATINGS = dict(Rating.choices)


def _name(org: Organization | None) -> str:
    return org.name if org is not None else ""


# (header, width, value)
COLUMNS: list[tuple[str, int, Callable[[Case], xlsx.Value]]] = [
    ("工单编号", 18, lambda c: c.case_no),
    ("来源渠道", 12, lambda c: _CHANNELS.get(c.channel, c.channel)),
    ("原工单编号", 20, lambda c: c.external_id),
    ("受理时间", 17, lambda c: xlsx.local(c.registered_at)),
    ("事项分类", 16, lambda c: c.category.name),
    ("标题", 28, lambda c: c.title),
    ("诉求内容", 40, lambda c: c.description),
    ("紧急程度", 9, lambda c: _URGENCIES.get(c.urgency, c.urgency)),
    ("状态", 9, lambda c: _STATES.get(c.state, c.state)),
    ("督办牌", 8, lambda c: _CARDS.get(c.card, "") if c.card else ""),
    ("乡镇（街道）", 14, lambda c: c.township.display_area if c.township else ""),
    ("村（社区）", 14, lambda c: c.village.display_area if c.village else ""),
    ("网格", 16, lambda c: c.grid.name if c.grid else ""),
    ("地址", 28, lambda c: c.address),
    ("诉求人", 10, lambda c: c.reporter_name),
    ("联系电话", 14, lambda c: mask_phone(c.reporter_phone)),
    ("分拨中心", 16, lambda c: _name(c.dispatch_center)),
    ("主办单位", 16, lambda c: _name(c.lead_unit)),
    ("办结时限", 17, lambda c: xlsx.local(c.due_at)),
    ("时限按临时日历", 8, lambda c: "是" if c.due_provisional else ""),
    ("办结时间", 17, lambda c: xlsx.local(c.closed_at)),
    ("办理结果", 36, lambda c: c.reply),
    ("评价", 9, lambda c: _RATINGS.get(c.rating, "") if c.rating else ""),
]


def _filters_for_audit(filters: selectors.CaseFilters) -> dict[str, object]:
    values = dataclasses.asdict(filters)
    return {
        k: (v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v)
        for k, v in values.items()
        if v not in ("", (), None, False)
    }


def case_export(
    *, user: Actor, filters: selectors.CaseFilters, queue: str = ""
) -> tuple[IO[bytes], int]:
    """The cases `user` may see (in one of their queues: `selectors.QUEUES`) that match
    `filters`, as an XLSX in a temporary file (rewound), and how many rows it holds. More
    than MAX_EXPORT cases: InvalidInput, nothing written."""
    qs = selectors.queue_cases(user=user, queue=queue)
    qs = selectors.filter_cases(qs, filters, user=user)
    count = qs.count()
    if count > MAX_EXPORT:
        raise InvalidInput(
            f"符合条件的工单共 {count:,} 件，超过单次导出上限 {MAX_EXPORT:,} 件，"
            "请增加筛选条件（如受理日期）后分批导出",
            field="export",
        )
    book = xlsx.new_workbook(write_only=True)
    sheet = xlsx.export_sheet(book, "工单", [(title, width) for title, width, _ in COLUMNS])
    rows = qs.select_related("suggested_unit").order_by("-registered_at", "-id")
    written = 0
    for case in rows.iterator(chunk_size=CHUNK):
        xlsx.append(sheet, [xlsx.moment_cell(sheet, value(case)) for _h, _w, value in COLUMNS])
        written += 1
    out = xlsx.saved(book)
    with transaction.atomic():
        extra = _filters_for_audit(filters) | ({"queue": queue} if queue else {})
        audit(user, "cases.export", None, rows=written, filters=extra)
    return out, written


def export_filename(now: datetime | None = None) -> str:
    moment = timezone.localtime(now or timezone.now())
    return f"工单导出_{moment:%Y%m%d_%H%M}.xlsx"
