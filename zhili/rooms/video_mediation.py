"""The end of a video mediation (视频调解): each outside party confirms the agreement on their
own screen, and what the dispute's dossier shows of its rooms.

- `agreement_confirm`: the party reads the dispute's agreement as drafted (达成协议, in
  zhili/mediation; `mediation.video.agreement_text`), types their name and their code again,
  and confirms. Refused: a wrong code (403 naming `code`, counted toward the link's lock as at
  the join), a name not theirs (422 naming `name`), no agreement yet or a text changed since it
  was shown (409). Recorded with its time and the SHA-256 of the text: on the party's seat, on
  the room's record, on the dispute's timeline (`mediation.video.dispute_video_confirm`) and
  in the audit log.
- `agreement_status`: who has confirmed and who has not, for the host's page (it polls).
- Registered into mediation's registries from `RoomsConfig.ready()` (mediation does not
  import the rooms): `AGREEMENT_VIDEO` (the sessions, confirmations and recordings the
  调解协议书 prints) and the dispute page's panel `video_recordings` (each recording of the
  dispute's rooms the user sees, with its duration, SHA-256 and links to play and download)
  and `video_confirmations` (each party's confirmation and its time).
"""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhili.core.audit import audit
from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.types import Actor
from zhili.mediation.models import Dispute
from zhili.mediation.panels import DISPUTE_PANELS
from zhili.mediation.video import (
    AGREEMENT_VIDEO,
    AgreementText,
    VideoConfirmation,
    VideoRecording,
    VideoSession,
    agreement_text,
    dispute_video_confirm,
)
from zhili.rooms.models import (
    Participant,
    ParticipantKind,
    Purpose,
    Recording,
    RecordingState,
    Room,
    RoomState,
)
from zhili.rooms.services import check_code
from zhili.rooms.workflow import KIND, room_step

NAME_MAX = 100


def party_label(participant: Participant) -> str:
    """申请人张建华: what the party is in the dispute, then their name."""
    return f"{participant.note}{participant.display}"


def _dispute(room: Room) -> Dispute | None:
    if room.purpose != Purpose.MEDIATION:
        return None
    return Dispute.objects.select_related("committee").filter(number=room.subject).first()


def room_agreement(room: Room) -> AgreementText | None:
    """The agreement of a video mediation's dispute as its parties read it, or None."""
    dispute = _dispute(room)
    return agreement_text(dispute) if dispute is not None else None


# --- the party's confirmation -----------------------------------------------------------------


def party_agreement(participant: Participant) -> AgreementText | None:
    """The agreement a video mediation's outside party reads on screen (None before it is
    drafted); 403 for a seat of anyone else."""
    room = participant.room
    if room.purpose != Purpose.MEDIATION or participant.kind != ParticipantKind.OUTSIDER:
        raise Forbidden("只有视频调解的当事人可以阅看和确认调解协议", code="not_a_party")
    return room_agreement(room)


def _squeezed(name: str) -> str:
    """A name as compared: full-width forms folded, no spaces (张 建华 is 张建华)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _confirmable(participant: Participant, sha256: str) -> AgreementText:
    """The text the party may confirm now (the one they were shown), or the refusal."""
    room = participant.room
    text = party_agreement(participant)
    if room.state != RoomState.OPEN:
        raise Conflict("视频调解未在进行中，不能确认协议", code="room_not_open")
    if participant.kicked_at is not None:
        raise Forbidden("您已被主持人移出会议室", code="kicked")
    if participant.locked_at is not None:
        raise Forbidden(
            "验证码错误次数过多，该链接已锁定，请联系工作人员重新邀请", code="link_locked"
        )
    if text is None:
        raise Conflict("调解员尚未拟定调解协议，请稍候", code="no_agreement")
    if participant.agreed_sha256 == text.sha256:
        raise Conflict("您已确认该调解协议", code="already_confirmed")
    if (sha256 or "").strip() != text.sha256:
        raise Conflict(
            "调解协议内容已更新，请重新阅读后再确认", code="agreement_changed", field="sha256"
        )
    return text


def agreement_confirm(
    *, participant: Participant, name: str, code: str, sha256: str
) -> Participant:
    """确认调解协议: the party's name and code again, for the text of digest `sha256` (the one
    their screen showed). See the module's docstring for the refusals."""
    text = _confirmable(participant, sha256)
    typed = (name or "").strip()
    if not typed:
        raise InvalidInput("请输入您的姓名", field="name")
    if len(typed) > NAME_MAX:
        raise InvalidInput(f"姓名不能超过 {NAME_MAX} 字", field="name")
    if not (code or "").strip():
        raise InvalidInput("请输入验证码", field="code")
    check_code(participant, code)
    if _squeezed(typed) != _squeezed(participant.display):
        raise InvalidInput("姓名与受邀当事人不符，请输入您本人的姓名", field="name")
    _record(participant, text, timezone.now())
    participant.refresh_from_db()
    return participant


def _record(participant: Participant, text: AgreementText, at: datetime) -> None:
    room, who = participant.room, party_label(participant)
    with transaction.atomic():
        # Conditional on the row: a second page of the same party confirming at the same time
        # writes nothing twice.
        kept = Participant.objects.filter(pk=participant.pk, kicked_at=None, locked_at=None)
        if not kept.exclude(agreed_sha256=text.sha256).update(
            agreed_at=at, agreed_sha256=text.sha256
        ):
            raise Conflict("您已确认该调解协议", code="already_confirmed")
        room_step(
            room,
            "agree_confirm",
            None,
            f"{who}确认调解协议",
            participant=participant.pk,
            agreement_sha256=text.sha256,
        )
        dispute = Dispute.objects.select_for_update().get(number=room.subject)
        dispute_video_confirm(
            dispute=dispute, who=who, room=room.number, at=at, text_sha256=text.sha256
        )
        audit(
            None,
            "rooms.agreement.confirm",
            room,
            participant=participant.pk,
            display=participant.display,
            dispute=dispute.number,
            agreement_sha256=text.sha256,
        )


# --- the host's view --------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyConfirmation:
    participant: Participant
    agreed_at: datetime | None  # when they confirmed the current text
    earlier: bool  # they confirmed a text since replaced


@dataclass(frozen=True)
class AgreementStatus:
    text: AgreementText | None
    parties: list[PartyConfirmation]
    dispute_url: str

    @property
    def confirmed(self) -> int:
        return sum(1 for p in self.parties if p.agreed_at is not None)


def agreement_status(room: Room) -> AgreementStatus | None:
    """A video mediation's agreement and each outside party's confirmation of it (None for
    rooms of other purposes)."""
    dispute = _dispute(room)
    if dispute is None:
        return None
    text = agreement_text(dispute)
    rows = []
    for p in room.participants.filter(kind=ParticipantKind.OUTSIDER).order_by("id"):
        current = text is not None and p.agreed_sha256 == text.sha256
        rows.append(
            PartyConfirmation(
                participant=p,
                agreed_at=p.agreed_at if current else None,
                earlier=bool(p.agreed_sha256) and not current,
            )
        )
    url = reverse("mediation:detail", args=[dispute.number])
    return AgreementStatus(text=text, parties=rows, dispute_url=url)


# --- what the dispute's dossier shows ---------------------------------------------------------


def _mediation_rooms(dispute: Dispute) -> list[Room]:
    return list(
        Room.objects.filter(purpose=Purpose.MEDIATION, subject=dispute.number)
        .prefetch_related("participants", "recordings")
        .order_by("starts_at", "id")
    )


def _video_recording(row: Recording) -> VideoRecording:
    ready = row.state == RecordingState.READY
    return VideoRecording(
        started_at=row.started_at,
        duration_s=row.duration_s,
        sha256=row.sha256 if ready else "",
        failed=row.state == RecordingState.FAILED,
    )


@AGREEMENT_VIDEO.entry("rooms")
def agreement_sessions(dispute: Dispute, sha256: str) -> list[VideoSession]:
    """The dispute's video sessions in which parties confirmed the text of digest `sha256`."""
    sessions = []
    for room in _mediation_rooms(dispute):
        outsiders = [p for p in room.participants.all() if p.kind == ParticipantKind.OUTSIDER]
        confirmations = sorted(
            (
                (VideoConfirmation(who=party_label(p), at=p.agreed_at), p.pk)
                for p in outsiders
                if p.agreed_sha256 == sha256 and p.agreed_at is not None
            ),
            key=lambda pair: pair[0].at,
        )
        if not confirmations:
            continue
        confirmed = {pk for _confirmation, pk in confirmations}
        sessions.append(
            VideoSession(
                room=room.number,
                title=room.title,
                opened_at=room.opened_at,
                ended_at=room.ended_at,
                confirmations=tuple(c for c, _pk in confirmations),
                unconfirmed=tuple(party_label(p) for p in outsiders if p.pk not in confirmed),
                recordings=tuple(_video_recording(r) for r in room.recordings.all()),
            )
        )
    return sessions


@dataclass(frozen=True)
class RecordingRow:
    """A recording of a dispute's video session, as the dispute's page lists it."""

    room: str
    started_at: datetime
    stopped_at: datetime | None
    state: str
    state_label: str
    progress: int
    duration_s: float
    sha256: str
    error: str
    play_url: str
    download_url: str


def _row(room: Room, recording: Recording) -> RecordingRow:
    ready = recording.state == RecordingState.READY and bool(recording.file)
    args = [room.number, recording.pk]
    return RecordingRow(
        room=room.number,
        started_at=recording.started_at,
        stopped_at=recording.stopped_at,
        state=recording.state,
        state_label=recording.get_state_display(),
        progress=recording.progress,
        duration_s=recording.duration_s,
        sha256=recording.sha256 if ready else "",
        error=recording.error,
        play_url=reverse("rooms:recording_play", args=args) if ready else "",
        download_url=reverse("rooms:recording_download", args=args) if ready else "",
    )


@DISPUTE_PANELS.entry("video_recordings")
def dispute_recordings(user: Actor, dispute: Dispute) -> list[RecordingRow]:
    """The recordings of the dispute's video sessions, of the rooms `user` sees (as the room's
    own page and download do: zhili/rooms/workflow.py), oldest first."""
    return [
        _row(room, recording)
        for room in _mediation_rooms(dispute)
        if KIND.visible(user, room)
        for recording in room.recordings.all()
    ]


@dataclass(frozen=True)
class ConfirmationRow:
    """A party's on-screen confirmation, as the dispute's page lists it."""

    room: str
    who: str
    agreed_at: datetime
    current: bool  # of the agreement as it stands (else of one since replaced)


@DISPUTE_PANELS.entry("video_confirmations")
def dispute_confirmations(user: Actor, dispute: Dispute) -> list[ConfirmationRow]:
    """The parties' confirmations in the dispute's video sessions the user sees, in order."""
    text = agreement_text(dispute)
    rows = [
        ConfirmationRow(
            room=room.number,
            who=party_label(p),
            agreed_at=p.agreed_at,
            current=text is not None and p.agreed_sha256 == text.sha256,
        )
        for room in _mediation_rooms(dispute)
        if KIND.visible(user, room)
        for p in room.participants.all()
        if p.agreed_at is not None
    ]
    return sorted(rows, key=lambda row: row.agreed_at)
