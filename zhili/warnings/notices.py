"""Who hears of a warning (预警提醒), and the writes that tell them.

When a warning is issued (the handler of `warnings.issued`, zhili.warnings.handlers), every
person it concerns gets a `WarningNotice` and a push on their open pages through the
platform's one live mechanism (zhili.core.live: the group of one user's pages, `user.<id>`,
as a handheld's dispatch goes; web/live.js shows a message carrying `notice` as a note that
opens the warning). Who, read from the organization tree:

- the responsible unit's own staff who sign for it and answer it (`workflow.UNIT_ROLES`
  in the unit itself: a township center's secretary and officers, the county center's
  director and dispatchers);
- for a red or orange warning (`GRAVE_LEVELS`), the leaders above the unit: the county
  leaders of its county (role county_leader, in the county's tree) and, when the unit lies
  in a township, the township's leader (role township_secretary, at township level in that
  township's tree).

A notice stays new (未阅) until its person opens the warning (`notices_read`); the home
page's warnings card shows a leader's new red and orange ones as 新预警
(zhili.warnings.workcards), the list marks them 新.

Each later step (`warnings.transitioned`) is pushed to the side that acts next: an answer to
the issuing center's reviewers, a send-back, a closure or a clearing to the unit's staff (a
send-back makes the unit's notices new again, with one for staff who had none).

Idempotent: a notice is written once per (warning, person), and the pushes go out after the
commit of the handler's transaction, which holds the outbox's delivery row (unique per event
and handler), so a repeated delivery writes and pushes nothing.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.dossier import record_history
from zhili.core.live import push_after_commit, user_group
from zhili.core.roles import Role
from zhili.core.types import Actor
from zhili.orgs.models import Level as OrgLevel
from zhili.orgs.models import Organization, User
from zhili.warnings import workflow
from zhili.warnings.models import (
    GRAVE_LEVELS,
    Level,
    NoticeReason,
    Warning,
    WarningNotice,
)

# Who reviews an answer at the issuing center (the county leader may close too, but is not
# called to each answer).
REVIEWER_ROLES = frozenset({Role.CENTER_DIRECTOR, Role.DISPATCHER, Role.ANALYST})
# The leaders told of red and orange warnings (`leaders`), whose home shows them as 新预警.
LEADER_ROLES = frozenset({Role.COUNTY_LEADER, Role.TOWNSHIP_SECRETARY})
MESSAGE_TYPE = "warnings.notice"

# What each step tells the people it reaches: (action, reason) -> the words after the title.
WORDS: dict[tuple[str, str], str] = {
    ("issue", NoticeReason.UNIT): "新预警，请及时签收研判",
    ("issue", NoticeReason.LEADER): "新预警",
    ("answer", "center"): "责任单位已答复，请审核",
    ("reject", NoticeReason.UNIT): "答复被退回，请补充处置",
    ("close", NoticeReason.UNIT): "已审核关闭",
    ("clear", NoticeReason.UNIT): "预警情形消除，已自动消警",
}


def _users(roles: Iterable[str], **where: object) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, organization__isnull=False, groups__name__in=list(roles), **where
    ).distinct()


def unit_staff(warning: Warning) -> list[int]:
    """The responsible unit's own staff who sign for a warning and answer it."""
    return sorted(
        _users(workflow.UNIT_ROLES, organization_id=warning.unit_id).values_list("pk", flat=True)
    )


def _township_path(unit: Organization) -> str | None:
    """The path of the township the unit lies in (the unit itself for a township center);
    None for a county-level unit."""
    codes = unit.path.strip("/").split("/")
    if len(codes) < 2 or unit.level == OrgLevel.COUNTY:
        return None
    return f"/{codes[0]}/{codes[1]}/"


def leaders(warning: Warning) -> list[int]:
    """The leaders above the responsible unit: its county's leaders and, for a unit in a
    township, the township's secretary."""
    county = f"/{warning.unit.path.strip('/').split('/')[0]}/"
    found = set(
        _users([Role.COUNTY_LEADER], organization__path__under=county).values_list("pk", flat=True)
    )
    township = _township_path(warning.unit)
    if township is not None:
        secretaries = _users(
            [Role.TOWNSHIP_SECRETARY],
            organization__path__under=township,
            organization__level=OrgLevel.TOWNSHIP,
        )
        found |= set(secretaries.values_list("pk", flat=True))
    return sorted(found)


def recipients(warning: Warning) -> dict[int, str]:
    """User id -> why they hear of the warning: the unit's staff, then (red and orange only)
    the leaders who are not already told as its staff."""
    reached = {pk: NoticeReason.UNIT.value for pk in unit_staff(warning)}
    if warning.level in GRAVE_LEVELS:
        for pk in leaders(warning):
            reached.setdefault(pk, NoticeReason.LEADER.value)
    return reached


def message(warning: Warning, action: str, words: str) -> dict[str, object]:
    """The live message: primitives only (msgpack over Redis); `notice` is what the page
    shows, `url` the warning's page."""
    level = Level(warning.level).label
    return {
        "type": MESSAGE_TYPE,
        "number": warning.number,
        "action": action,
        "level": warning.level,
        "level_label": level,
        "title": warning.title,
        "state": warning.state,
        "unit": warning.unit.code,
        "url": reverse("warnings:detail", args=[warning.number]),
        "notice": f"{level} {warning.number} {warning.title}：{words}",
    }


def _push(warning: Warning, action: str, reached: dict[int, str]) -> None:
    by_words: dict[str, list[int]] = {}
    for pk, reason in sorted(reached.items()):
        by_words.setdefault(WORDS[(action, reason)], []).append(pk)
    for words, people in by_words.items():
        push_after_commit([user_group(pk) for pk in people], message(warning, action, words))


def _load(warning_id: int) -> Warning | None:
    return Warning.objects.select_related("unit", "center").filter(pk=warning_id).first()


@transaction.atomic
def warning_notify(*, warning_id: int) -> list[WarningNotice]:
    """Tell everyone a new warning concerns: a notice each (once: those who have theirs are
    left as they are), a push to their pages after commit, and one line on the warning's
    timeline naming how many were told. Returns the new notices."""
    warning = _load(warning_id)
    if warning is None:
        return []
    known = set(warning.notices.values_list("user_id", flat=True))
    reached = {pk: why for pk, why in recipients(warning).items() if pk not in known}
    if not reached:
        return []
    now = timezone.now()
    notices = WarningNotice.objects.bulk_create(
        [
            WarningNotice(warning=warning, user_id=pk, reason=why, created_at=now)
            for pk, why in reached.items()
        ]
    )
    _push(warning, "issue", reached)
    record_history(
        workflow.KIND,
        warning,
        "notify",
        from_state=warning.state,
        to_state=warning.state,
        actor=None,
        note=_told(reached),
    )
    return notices


def _told(reached: dict[int, str]) -> str:
    unit = sum(1 for why in reached.values() if why == NoticeReason.UNIT)
    leaders = len(reached) - unit
    parts = [f"责任单位 {unit} 人"] if unit else []
    parts += [f"领导 {leaders} 人"] if leaders else []
    return f"已推送提醒：{'，'.join(parts)}"


@transaction.atomic
def warning_step_notify(*, warning_id: int, action: str) -> int:
    """Push a step of the warning's workflow to the side that acts next: an answer to the
    issuing center's reviewers; a send-back (its notices new again), a closure or a
    clearing to the unit's staff. Other steps tell nobody. Returns how many were pushed to."""
    warning = _load(warning_id)
    if warning is None:
        return 0
    if action == "answer":
        people = _users(REVIEWER_ROLES, organization_id=warning.center_id)
        reached = {pk: "center" for pk in people.values_list("pk", flat=True)}
    elif (action, NoticeReason.UNIT) in WORDS:
        reached = {pk: NoticeReason.UNIT.value for pk in unit_staff(warning)}
    else:
        return 0
    if action == "reject":
        _renew(warning, list(reached))
    _push(warning, action, reached)
    return len(reached)


def _renew(warning: Warning, staff: list[int]) -> None:
    """The unit's notices new again, with one for staff who had none."""
    warning.notices.filter(reason=NoticeReason.UNIT).update(read_at=None)
    known = set(warning.notices.values_list("user_id", flat=True))
    WarningNotice.objects.bulk_create(
        [
            WarningNotice(warning=warning, user_id=pk, reason=NoticeReason.UNIT)
            for pk in staff
            if pk not in known
        ]
    )


@transaction.atomic
def notices_read(*, actor: Actor, warning: Warning) -> bool:
    """Opening the warning reads the actor's notice of it (阅知). True when this call did."""
    if not getattr(actor, "pk", None):
        return False
    marked = warning.notices.filter(user_id=actor.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        audit(actor, "warnings.warning.read", warning, number=warning.number)
    return bool(marked)
