"""What a video mediation (视频调解, zhili/rooms) gives a dispute's agreement, without mediation
importing the rooms (the layers: zhili/core/tests/test_layers.py).

- `agreement_text`: the agreement as a party reads it on screen before confirming it, with
  the SHA-256 of that text (a confirmation names the text it confirmed: an agreement replaced
  afterwards is not confirmed by it);
- `dispute_video_confirm`: a party's on-screen confirmation on the dispute's timeline (the
  rooms write it with the room's own record and audit row);
- `AGREEMENT_VIDEO`: the registry the rooms fill from their AppConfig.ready() with the video
  sessions in which the parties confirmed a given text: the room, each confirmation's time,
  who has not confirmed, and the recordings with their SHA-256 (or that they are still being
  converted). The 调解协议书 (documents.py) prints them.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from zhili.core.dossier import record_history
from zhili.core.registry import Registry
from zhili.mediation.models import Agreement, AgreementForm, Dispute
from zhili.mediation.workflow import KIND


@dataclass(frozen=True)
class AgreementText:
    """The agreement as the parties read it: the headings and their text, and its digest."""

    number: str  # the dispute's
    title: str
    committee: str
    form: str  # 书面调解协议 or 口头调解协议
    parties: tuple[str, ...]  # 申请人 张建华 ...
    sections: tuple[tuple[str, str], ...]  # (heading, text)
    sha256: str


def _sections(agreement: Agreement) -> list[tuple[str, str]]:
    rows = list(agreement.signatories.select_related("party"))
    sections = []
    if agreement.matters:
        sections.append(("纠纷主要事实、争议事项", agreement.matters))
    if rows:
        liability = "\n".join(
            f"{r.party.get_side_display()}{r.party.name}：{r.liability}" for r in rows
        )
        sections.append(("各方当事人的责任", liability))
    heading = "经调解，当事人自愿达成如下协议"
    if agreement.form == AgreementForm.ORAL:
        heading = "调解员记录的口头协议内容"
    sections.append((heading, agreement.terms))
    if agreement.performance:
        sections.append(("履行方式、时限", agreement.performance))
    return sections


def agreement_text(dispute: Dispute) -> AgreementText | None:
    """The dispute's agreement as drafted (达成协议), or None before there is one. For a party
    on screen: the caller vouches for who reads it (a room's party by link and code); ID
    numbers and phones are not in it."""
    agreement = Agreement.objects.filter(dispute=dispute).first()
    if agreement is None:
        return None
    parties = tuple(f"{p.get_side_display()} {p.name}" for p in dispute.parties.all())
    sections = tuple(_sections(agreement))
    canonical = json.dumps(
        {"number": dispute.number, "parties": parties, "sections": sections},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return AgreementText(
        number=dispute.number,
        title=dispute.title,
        committee=dispute.committee.name,
        form=AgreementForm(agreement.form).label,
        parties=parties,
        sections=sections,
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def dispute_video_confirm(
    *, dispute: Dispute, who: str, room: str, at: datetime, text_sha256: str
) -> None:
    """A party confirmed the agreement on screen in video room `room` (name and code): a row
    on the dispute's timeline, in the caller's transaction. The party has no account: the
    row's actor is the platform, `who` names the party."""
    note = (
        f"{who}在视频会议室 {room} 阅看调解协议，输入本人姓名和验证码确认"
        f"（{timezone.localtime(at):%Y-%m-%d %H:%M:%S}）"
    )
    record_history(
        KIND,
        dispute,
        "video_confirm",
        from_state=dispute.state,
        to_state=dispute.state,
        actor=None,
        note=note,
        at=at,
        room=room,
        agreement_sha256=text_sha256,
    )


@dataclass(frozen=True)
class VideoConfirmation:
    who: str  # 申请人张建华
    at: datetime


@dataclass(frozen=True)
class VideoRecording:
    started_at: datetime
    duration_s: float
    sha256: str  # "" until converted
    failed: bool = False  # the conversion failed (the raw files are kept)


@dataclass(frozen=True)
class VideoSession:
    """A video session in which parties confirmed the agreement's text."""

    room: str  # the room's number
    title: str
    opened_at: datetime | None
    ended_at: datetime | None
    confirmations: tuple[VideoConfirmation, ...]
    unconfirmed: tuple[str, ...]  # the room's parties who did not confirm this text
    recordings: tuple[VideoRecording, ...]


# An entry gives the sessions of `dispute` in which parties confirmed the text of digest `sha`.
VideoSessions = Callable[[Dispute, str], list[VideoSession]]
AGREEMENT_VIDEO: Registry[VideoSessions] = Registry("agreement video")


def video_sessions(dispute: Dispute, text: AgreementText | None) -> list[VideoSession]:
    """The video sessions that confirmed the dispute's current agreement text, oldest first."""
    if text is None:
        return []
    found = [s for _name, entry in AGREEMENT_VIDEO.items() for s in entry(dispute, text.sha256)]
    confirmed = [s for s in found if s.confirmations]
    return sorted(confirmed, key=lambda s: min(c.at for c in s.confirmations))
