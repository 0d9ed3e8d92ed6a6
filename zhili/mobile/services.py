"""Every write of the grid worker's phone app: case reports, patrols and their points.

Each write is keyed by a UUID the phone made before sending, so that the offline queue can
send it again after a lost answer: the second request finds the first one's row and returns
it, and nothing is written twice.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhili.cases.models import Case, Category, Channel
from zhili.cases.services import Intake, Reported, case_register, title_from
from zhili.core.audit import audit
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.events import emit
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.core.uploads import check_photos
from zhili.mobile import selectors
from zhili.mobile.events import PatrolEnded
from zhili.mobile.models import Patrol, PatrolPoint
from zhili.mobile.track import Fix, track_length_m
from zhili.orgs.models import Grid

MAX_PHOTOS = 9
MAX_POINTS_PER_BATCH = 500
TITLE_LENGTH = 30
# How far back a queued record's own time may lie: a phone can stay offline for days.
MAX_CLIENT_AGE = timedelta(days=30)


# --- case reports (网格员上报) -------------------------------------------------------------------


@dataclass(frozen=True)
class GridReport(Reported):
    key: uuid.UUID  # the idempotency key, stored as the case's external_id
    category: Category
    description: str
    title: str = ""


def _existing_report(key: uuid.UUID, actor: Actor) -> Case | None:
    case = Case.objects.filter(channel=Channel.GRID_REPORT, external_id=str(key)).first()
    if case is not None and case.registered_by_id != actor.pk:
        raise Conflict("该上报编号已被他人使用，请重新上报", field="key", code="key_taken")
    return case


def _intake(report: GridReport) -> Intake:
    return Intake(
        channel=Channel.GRID_REPORT,
        category=report.category,
        title=report.title.strip() or title_from(report.description, TITLE_LENGTH),
        description=report.description,
        urgency=report.urgency,
        lat=report.lat,
        lng=report.lng,
        address=report.address,
        reporter_name=report.reporter_name,
        reporter_phone=report.reporter_phone,
        external_id=str(report.key),
    )


@transaction.atomic
def grid_report_submit(
    *, actor: Actor, report: GridReport, photos: Sequence[UploadedFile] = ()
) -> tuple[Case, bool]:
    """Register the report as a case on channel grid_report, once per key.

    Returns the case and whether this call created it (False: a resend of a known key).
    """
    require(actor, Action.MOBILE_USE)
    existing = _existing_report(report.key, actor)
    if existing is not None:
        return existing, False
    if not report.description.strip():
        raise InvalidInput("请填写情况描述", field="description")
    check_photos(photos, limit=MAX_PHOTOS)
    intake = _intake(report)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin may win the insert
            return case_register(actor=actor, intake=intake, attachments=photos), True
    except IntegrityError:
        existing = _existing_report(report.key, actor)
        if existing is None:
            raise
        return existing, False


# --- patrols (巡查) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointIn:
    client_id: uuid.UUID
    seq: int
    lat: float
    lng: float
    recorded_at: datetime
    accuracy_m: float | None = None


def client_time(moment: datetime, *, field: str) -> datetime:
    """A time the phone recorded: never in the future (phone clocks drift), not too old."""
    now = timezone.now()
    if moment < now - MAX_CLIENT_AGE:
        raise InvalidInput("记录时间过早，超过30天的记录不再接收", field=field)
    return min(moment, now)


def _my_grid(actor: Actor, grid_code: str) -> Grid:
    grid = selectors.my_grids(user=actor).filter(code=grid_code).first()
    if grid is None:
        raise InvalidInput("只能巡查本人负责的网格", field="grid")
    return grid


@transaction.atomic
def patrol_start(
    *, actor: Actor, client_id: uuid.UUID, grid_code: str, started_at: datetime, note: str = ""
) -> tuple[Patrol, bool]:
    """Start a patrol, once per client id. Returns the patrol and whether it is new."""
    require(actor, Action.MOBILE_USE)
    existing = Patrol.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.worker_id != actor.pk:
            raise Conflict("该巡查编号已被他人使用", field="id", code="key_taken")
        return existing, False
    grid = _my_grid(actor, grid_code)
    if len(note) > 500:
        raise InvalidInput("巡查情况不能超过500字", field="note")
    try:
        with transaction.atomic():
            patrol = Patrol.objects.create(
                client_id=client_id,
                worker=actor,
                grid=grid,
                started_at=client_time(started_at, field="started_at"),
                note=note.strip(),
            )
    except IntegrityError:
        return selectors.my_patrol_get(user=actor, client_id=client_id), False
    audit(actor, "mobile.patrol.start", patrol, grid=grid.code)
    return patrol, True


def _locked_patrol(actor: Actor, client_id: uuid.UUID) -> Patrol:
    require(actor, Action.MOBILE_USE)
    patrol = selectors.my_patrol_get(user=actor, client_id=client_id)
    return Patrol.objects.select_for_update().get(pk=patrol.pk)


def _measure(patrol: Patrol) -> None:
    rows = patrol.points.order_by("seq", "id").values_list("lat", "lng", "accuracy_m")
    patrol.distance_m = round(track_length_m(Fix(*row) for row in rows), 1)
    patrol.point_count = len(rows)


def _point(patrol: Patrol, point: PointIn) -> PatrolPoint:
    return PatrolPoint(
        patrol=patrol,
        client_id=point.client_id,
        seq=point.seq,
        lat=point.lat,
        lng=point.lng,
        accuracy_m=point.accuracy_m,
        recorded_at=client_time(point.recorded_at, field="points"),
    )


@transaction.atomic
def patrol_add_points(*, actor: Actor, client_id: uuid.UUID, points: Iterable[PointIn]) -> Patrol:
    """Add a batch of GPS points; points already stored (same client id) are skipped."""
    patrol = _locked_patrol(actor, client_id)
    batch = list(points)
    if not batch:
        raise InvalidInput("没有轨迹点", field="points")
    if len(batch) > MAX_POINTS_PER_BATCH:
        raise InvalidInput(f"每批最多{MAX_POINTS_PER_BATCH}个轨迹点", field="points")
    known = set(patrol.points.values_list("client_id", flat=True))
    new = [p for p in batch if p.client_id not in known]
    if not new:
        return patrol
    if patrol.ended_at is not None:
        raise Conflict("巡查已结束，不能再添加轨迹点", field="points", code="patrol_ended")
    PatrolPoint.objects.bulk_create(
        [_point(patrol, p) for p in {p.client_id: p for p in new}.values()]
    )
    _measure(patrol)
    patrol.save(update_fields=["distance_m", "point_count"])
    return patrol


@transaction.atomic
def patrol_end(*, actor: Actor, client_id: uuid.UUID, ended_at: datetime, note: str = "") -> Patrol:
    """End the patrol; ending it again returns it unchanged."""
    patrol = _locked_patrol(actor, client_id)
    if patrol.ended_at is not None:
        return patrol
    if len(note) > 500:
        raise InvalidInput("巡查情况不能超过500字", field="note")
    patrol.ended_at = max(client_time(ended_at, field="ended_at"), patrol.started_at)
    if note.strip():
        patrol.note = note.strip()
    _measure(patrol)
    patrol.save(update_fields=["ended_at", "note", "distance_m", "point_count"])
    duration = patrol.duration_seconds or 0
    audit(actor, "mobile.patrol.end", patrol, distance_m=patrol.distance_m, duration_s=duration)
    emit(
        PatrolEnded(
            patrol_id=patrol.pk,
            worker_id=actor.pk,
            grid=patrol.grid.code,
            distance_m=patrol.distance_m,
            duration_s=duration,
        )
    )
    return patrol
