"""Meetings and training (视频会议、网上培训): the agenda (items with a presenter and their
minutes) and the attendance per invited organization (present, late, absent, with times),
read from the rooms' `Presence` rows, on the room's page and as an XLSX workbook."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhili.core import xlsx
from zhili.core.audit import audit
from zhili.core.dossier import check_action
from zhili.core.dossier.transitions import check_visible
from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.types import Actor
from zhili.core.uploads import check_upload
from zhili.rooms.models import AgendaItem, Document, ParticipantKind, Purpose, Room
from zhili.rooms.workflow import KIND, room_step

MEETINGS = frozenset({Purpose.MEETING, Purpose.TRAINING})
# A unit whose first member came in more than this after the meeting began is late (迟到).
LATE_AFTER = timedelta(minutes=5)
TITLE_MAX, PRESENTER_MAX, MINUTES_MAX = 200, 100, 20000


def _meeting(room: Room) -> None:
    if room.purpose not in MEETINGS:
        raise Conflict("只有视频会议和网上培训有议程", code="wrong_purpose")


# --- the agenda ---------------------------------------------------------------------------------


def agenda_add(*, actor: Actor, room: Room, title: str, presenter: str = "") -> AgendaItem:
    """议程: the host adds an item before the meeting ends."""
    _meeting(room)
    check_action(KIND, actor, room, "end")  # the host's, while the room is not over
    title, presenter = (title or "").strip(), (presenter or "").strip()
    if not title:
        raise InvalidInput("请填写议题", field="title")
    if len(title) > TITLE_MAX:
        raise InvalidInput(f"议题不能超过{TITLE_MAX}字", field="title")
    if len(presenter) > PRESENTER_MAX:
        raise InvalidInput(f"汇报人不能超过{PRESENTER_MAX}字", field="presenter")
    with transaction.atomic():
        Room.objects.select_for_update().filter(pk=room.pk).first()  # one order number each
        last = room.agenda.aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem.objects.create(
            room=room, order=last + 1, title=title, presenter=presenter
        )
        room_step(room, "agenda", actor, f"{item.order}. {title}", item=item.pk)
        audit(actor, "rooms.agenda.add", room, item=item.pk, title=title, presenter=presenter)
    return item


def agenda_minutes(*, actor: Actor, room: Room, item_id: int, minutes: str) -> AgendaItem:
    """纪要 of one item, by the host or invited staff, during the meeting or after it."""
    _meeting(room)
    check_visible(KIND, actor, room)
    seat = room.participants.filter(user=actor).exclude(kind=ParticipantKind.OUTSIDER)
    if not seat.exists():
        raise Forbidden("只有主持人和参会工作人员可以记录纪要")
    item = room.agenda.filter(pk=item_id).first()
    if item is None:
        raise NotFound("议程不存在", field="item")
    minutes = (minutes or "").strip()
    if len(minutes) > MINUTES_MAX:
        raise InvalidInput(f"纪要不能超过{MINUTES_MAX}字", field="minutes")
    with transaction.atomic():
        now = timezone.now()
        AgendaItem.objects.filter(pk=item.pk).update(
            minutes=minutes, minutes_by=actor, minutes_at=now
        )
        room_step(room, "minutes", actor, f"{item.order}. {item.title}", item=item.pk)
        audit(actor, "rooms.agenda.minutes", room, item=item.pk, length=len(minutes))
    item.refresh_from_db()
    return item


# --- the documents ----------------------------------------------------------------------------

MAX_DOCUMENTS = 30


def _may_give(actor: Actor, room: Room) -> None:
    """The host or invited staff (404 out of sight, 403 otherwise)."""
    check_visible(KIND, actor, room)
    seat = room.participants.filter(user=actor).exclude(kind=ParticipantKind.OUTSIDER)
    if room.host_id != actor.pk and not seat.exists():
        raise Forbidden("只有主持人和参会工作人员可以上传会议材料")


def document_add(*, actor: Actor, room: Room, upload: UploadedFile) -> Document:
    """会议材料: a file (PDF, Word, Excel, a picture, an MP4) given to the meeting, before it,
    during it or after it; its type read from its content."""
    _meeting(room)
    _may_give(actor, room)
    kind = check_upload(upload, field="file")
    if room.documents.count() >= MAX_DOCUMENTS:
        raise Conflict(f"每个会议最多 {MAX_DOCUMENTS} 份材料", code="too_many_documents")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = Document.objects.create(
            room=room,
            name=(upload.name or f"材料.{kind.extension}")[:200],
            file=upload,
            content_type=kind.mime,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        room_step(room, "document", actor, document.name, document=document.pk)
        audit(actor, "rooms.document.add", room, document=document.pk, sha256=document.sha256)
    return document


def document_get(*, user: Actor, room: Room, pk: int) -> Document:
    """A document of a room `user` sees, its download audited (404 otherwise)."""
    check_visible(KIND, user, room)
    document = room.documents.filter(pk=pk).first()
    if document is None:
        raise NotFound("材料不存在")
    with transaction.atomic():
        audit(user, "rooms.document.download", room, document=document.pk)
    return document


# --- the attendance per organization ------------------------------------------------------------

PRESENT, LATE, ABSENT = "present", "late", "absent"
STATUS_LABELS = {PRESENT: "出席", LATE: "迟到", ABSENT: "缺席"}


@dataclass
class UnitAttendance:
    """One invited organization: who of it was invited and who came, its first entry and its
    last exit (None while someone of it is still in the room)."""

    organization: str
    code: str
    invited: list[str] = field(default_factory=list)
    came: list[str] = field(default_factory=list)
    joined_at: datetime | None = None
    left_at: datetime | None = None
    status: str = ABSENT

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def began_at(room: Room) -> datetime:
    """When the meeting began for lateness: the later of the time booked and the opening."""
    return max(room.starts_at, room.opened_at or room.starts_at)


def _units(room: Room) -> dict[int, UnitAttendance]:
    units: dict[int, UnitAttendance] = {}
    seats = room.participants.exclude(organization=None).select_related("organization")
    for seat in seats.order_by("id"):
        org = seat.organization
        assert org is not None
        unit = units.setdefault(org.pk, UnitAttendance(org.name, org.code))
        unit.invited.append(seat.display)
    return units


def units_attendance(room: Room) -> list[UnitAttendance]:
    """Each invited organization's attendance, in the order they were invited (the host's
    first): in the room or watching its broadcast alike. Outside parties belong to no
    organization and are not counted here."""
    units = _units(room)
    stretches: dict[int, list[tuple[str, datetime, datetime | None]]] = defaultdict(list)
    for seat in room.participants.exclude(organization=None).prefetch_related("presences"):
        for p in seat.presences.all():
            # Who came, and how: in the room, or watching the broadcast (直播).
            who = seat.display if p.via != "broadcast" else f"{seat.display}（直播）"
            stretches[seat.organization_id or 0].append((who, p.joined_at, p.left_at))
    late_after = began_at(room) + LATE_AFTER
    for pk, unit in units.items():
        rows = stretches.get(pk, [])
        if not rows:
            continue
        unit.came = list(dict.fromkeys(who for who, _j, _l in rows))
        unit.joined_at = min(joined for _s, joined, _l in rows)
        lefts = [left for _s, _j, left in rows]
        unit.left_at = None if None in lefts else max(left for left in lefts if left)
        unit.status = LATE if unit.joined_at > late_after else PRESENT
    return list(units.values())


def units_view(*, user: Actor, room: Room) -> list[UnitAttendance]:
    """`units_attendance` for `user` (who sees the room), the reading audited."""
    rows = units_attendance(room)
    with transaction.atomic():
        audit(user, "rooms.attendance.view", room, by="organization")
    return rows


COLUMNS = [
    ("单位", 24),
    ("出席情况", 10),
    ("首次进入", 18),
    ("最后离开", 18),
    ("出席人员", 30),
    ("受邀人员", 30),
]


def units_xlsx(*, user: Actor, room: Room) -> IO[bytes]:
    """The attendance per organization as a workbook (出席情况表), its export audited."""
    rows = units_attendance(room)
    book = xlsx.new_workbook(write_only=True)
    sheet = xlsx.export_sheet(book, "出席情况", COLUMNS)
    for r in rows:
        values = [
            r.organization,
            r.status_label,
            xlsx.local(r.joined_at),
            xlsx.local(r.left_at),
            "、".join(r.came),
            "、".join(r.invited),
        ]
        xlsx.append(sheet, [xlsx.moment_cell(sheet, v) for v in values])
    out = xlsx.saved(book)
    with transaction.atomic():
        absent = [r.code for r in rows if r.status == ABSENT]
        audit(user, "rooms.attendance.export", room, units=len(rows), absent=absent)
    return out


def xlsx_filename(room: Room) -> str:
    return f"出席情况_{room.number}.xlsx"
