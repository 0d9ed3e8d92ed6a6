"""The end of a video mediation against a real Janus (no media: the parties' seats are taken
through the API and the page, as their browsers' would be): each outside party reads the
dispute's agreement as drafted and confirms it with their name and code; wrong names (422),
wrong codes (403, counted toward the link's lock), a text changed since it was shown and a
second confirmation (409) are refused; the confirmation is on the room's record, the dispute's
timeline and the audit log; the host's page shows who has confirmed; the 调解协议书 says the
agreement was reached by video with each confirmation's time and 录像转换中 while the recording
converts; the 笔录 follows the agreement. The whole path with browsers and a converted MP4 is
zhili/rooms/tests/test_agreement_browser.py."""

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from docx import Document

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.mediation.models import DisputeState
from zhili.mediation.services import dispute_act
from zhili.mediation.tests.conftest import signed_agreement
from zhili.mediation.video import agreement_text
from zhili.rooms.attendance import seat_beat
from zhili.rooms.models import Participant, Recording, Room, RoomState
from zhili.rooms.tests.test_api import client_for, schedule
from zhili.rooms.tests.test_recording import consent, record
from zhili.video.tests.engines import JanusServer

pytestmark = [pytest.mark.video_engines, pytest.mark.django_db]


@pytest.fixture
def recordings_dir(settings: Any, tmp_path: Path) -> Path:
    settings.JANUS_RECORDINGS_DIR = tmp_path / "recordings"
    return settings.JANUS_RECORDINGS_DIR


def read(seat: str) -> Any:
    return Client().post("/api/v1/rooms/agreement", {"seat": seat}, content_type="application/json")


def confirm(seat: str, name: str, code: str, sha256: str) -> Any:
    body = {"seat": seat, "name": name, "code": code, "sha256": sha256}
    return Client().post("/api/v1/rooms/agreement/confirm", body, content_type="application/json")


def agree(dispute: Any, med: Tree) -> Any:
    return dispute_act(
        actor=med.mediator1, dispute=dispute, action="agree", data=signed_agreement(dispute)
    )


def docx_text(client: Client, number: str) -> str:
    answer = client.get(f"/mediation/disputes/{number}/agreement.docx")
    assert answer.status_code == 200, answer.content[:300]
    return "\n".join(p.text for p in Document(BytesIO(answer.content)).paragraphs)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1000000:06d}"


def seated_with_codes(
    gateway: JanusServer, dispute: Any, med: Tree
) -> tuple[Client, Room, list[tuple[str, str]]]:
    """`seated`, keeping each party's code: (seat, code) per party, in invitation order."""
    host = client_for(med.mediator1)
    made = schedule(host, dispute)
    ticket = host.post(f"/api/v1/rooms/{made['room_id']}/join").json()
    seat_beat(seat=ticket["seat"])
    parties = []
    for invitation in made["invitations"]:
        body = {"link": invitation["link"], "code": invitation["code"]}
        joined = Client().post("/api/v1/rooms/join", body, content_type="application/json")
        parties.append((joined.json()["seat"], invitation["code"]))
        seat_beat(seat=parties[-1][0])
    return host, Room.objects.get(number=made["room_id"]), parties


def test_each_party_confirms_the_agreement_with_name_and_code(
    gateway: JanusServer, recordings_dir: Path, mediating: Any, med: Tree
) -> None:
    host, room, [(first, first_code), (second, second_code)] = seated_with_codes(
        gateway, mediating, med
    )
    # Before the mediator drafts it: nothing to read, nothing to confirm; the host is told.
    assert read(first).json() == {"agreement": None, "agreed_at": None}
    answer = confirm(first, "张建华", first_code, "0" * 64)
    assert answer.status_code == 409 and answer.json()["code"] == "no_agreement"
    record_page = host.get(f"/rooms/{room.number}/_record/").content.decode()
    assert 'data-testid="agreement-missing"' in record_page

    # The parties agree to recording; it runs while the agreement is drafted and confirmed.
    for seat in (first, second):
        consent(seat, True)
    assert record(host, room, "start").status_code == 200
    dispute = agree(mediating, med)
    assert dispute.state == DisputeState.AGREED
    shown = read(first).json()
    text = agreement_text(dispute)
    assert text is not None and shown["agreement"]["sha256"] == text.sha256
    headings = [s["heading"] for s in shown["agreement"]["sections"]]
    assert "经调解，当事人自愿达成如下协议" in headings
    assert "清理费用800元由双方各半承担" in str(shown["agreement"]["sections"])
    assert shown["agreement"]["parties"] == ["申请人 张建华", "被申请人 李桂英"]
    assert "32072219800101" not in str(shown)  # no ID number on the party's screen
    sha = shown["agreement"]["sha256"]

    # A name not theirs: 422 naming `name`, not counted toward the lock.
    answer = confirm(first, "李桂英", first_code, sha)
    assert answer.status_code == 422 and answer.json()["field"] == "name"
    assert "姓名与受邀当事人不符" in answer.json()["detail"]
    answer = confirm(first, " ", first_code, sha)
    assert answer.status_code == 422 and answer.json()["field"] == "name"
    assert Participant.objects.get(display="张建华", room=room).tries == 0
    # A wrong code: 403 naming `code`, counted as at the join (4 tries left).
    answer = confirm(first, "张建华", wrong(first_code), sha)
    assert answer.status_code == 403 and answer.json()["field"] == "code"
    assert answer.json()["code"] == "wrong_code" and "还可尝试 4 次" in answer.json()["detail"]
    assert Participant.objects.get(display="张建华", room=room).tries == 1
    # A text not the one drafted now (the page showed an older one): 409.
    answer = confirm(first, "张建华", first_code, "f" * 64)
    assert answer.status_code == 409 and answer.json()["code"] == "agreement_changed"
    assert not room.events.filter(action="agree_confirm").exists()

    before = timezone.now()
    answer = confirm(first, "张 建华", first_code, sha)  # a space typed in the name is no matter
    assert answer.status_code == 200, answer.content
    agreed_at = Participant.objects.get(display="张建华", room=room).agreed_at
    assert agreed_at is not None and before <= agreed_at <= timezone.now()
    assert answer.json()["sha256"] == sha
    assert read(first).json()["agreed_at"] is not None
    again = confirm(first, "张建华", first_code, sha)
    assert again.status_code == 409 and again.json()["code"] == "already_confirmed"

    # On the room's record, the dispute's timeline and the audit log, with the text's digest.
    step = room.events.get(action="agree_confirm")
    assert step.note == "申请人张建华确认调解协议" and step.data["agreement_sha256"] == sha
    row = dispute.events.get(action="video_confirm")
    assert row.created_at == agreed_at and row.data == {
        "room": room.number,
        "agreement_sha256": sha,
    }
    assert f"申请人张建华在视频会议室 {room.number}" in row.note
    audited = AuditLog.objects.get(action="rooms.agreement.confirm", target_id=str(room.pk))
    assert audited.extra["dispute"] == dispute.number and audited.extra["agreement_sha256"] == sha
    dispute_page = host.get(f"/mediation/disputes/{dispute.number}/").content.decode()
    assert "当事人视频确认协议" in dispute_page

    # The host's side (it polls): one confirmed, one not yet.
    seats = {p.display: p.pk for p in Participant.objects.filter(room=room)}
    record_page = host.get(f"/rooms/{room.number}/_record/").content.decode()
    assert 'data-testid="agreement-count">1/2<' in record_page
    assert f'data-testid="agreement-party-{seats["张建华"]}" data-confirmed="1"' in record_page
    assert f'data-testid="agreement-party-{seats["李桂英"]}" data-confirmed="0"' in record_page

    # The 调解协议书: reached by video, the room, the confirmation, who has not, 录像转换中.
    assert confirm(second, "李桂英", second_code, sha).status_code == 200
    assert record(host, room, "stop").json()["state"] == "converting"
    text_docx = docx_text(host, dispute.number)
    assert "视频调解" in text_docx and f"视频会议室 {room.number}" in text_docx
    for display in ("张建华", "李桂英"):
        at = timezone.localtime(Participant.objects.get(display=display, room=room).agreed_at)
        assert f"{display}于{at:%Y年%m月%d日 %H:%M:%S}确认" in text_docx
    assert "录像转换中" in text_docx and "SHA-256：" not in text_docx
    assert "未在视频中确认" not in text_docx

    # The 笔录 of the session follows the agreement reached in it; the room ends.
    answer = host.post(f"/rooms/{room.number}/session/", {"record": "双方当场确认调解协议。"})
    assert answer.status_code == 302, answer.content[:300]
    room.refresh_from_db()
    assert room.state == RoomState.ENDED
    assert dispute.sessions.get().video_room == room.number
    # Ended: no confirmation any more.
    answer = confirm(second, "李桂英", second_code, sha)
    assert answer.status_code == 409


def test_the_fifth_wrong_code_locks_the_link_and_nothing_is_confirmed(
    gateway: JanusServer, mediating: Any, med: Tree
) -> None:
    _host, room, [(seat, code), _other] = seated_with_codes(gateway, mediating, med)
    sha = agreement_text(agree(mediating, med)).sha256  # type: ignore[union-attr]
    for tries in range(1, 5):
        answer = confirm(seat, "张建华", wrong(code), sha)
        assert answer.json()["code"] == "wrong_code", tries
    answer = confirm(seat, "张建华", wrong(code), sha)
    assert answer.status_code == 403 and answer.json()["code"] == "link_locked"
    answer = confirm(seat, "张建华", code, sha)  # the right code, too late
    assert answer.status_code == 403 and answer.json()["code"] == "link_locked"
    party = Participant.objects.get(display="张建华", room=room)
    assert party.locked_at is not None and party.agreed_at is None
    assert AuditLog.objects.filter(action="rooms.code.wrong", target_id=str(room.pk)).count() == 5


def test_the_party_confirms_on_their_page(gateway: JanusServer, mediating: Any, med: Tree) -> None:
    """The outside party's page: the code form, the room with the 确认调解协议 box (waiting,
    then the agreement), a wrong code refused in the box (403), then the confirmation."""
    host = client_for(med.mediator1)
    made = schedule(host, mediating)
    assert host.post(f"/api/v1/rooms/{made['room_id']}/join").status_code == 200
    invitation = made["invitations"][1]  # 李桂英, 被申请人
    link, code = invitation["link"], invitation["code"]
    party = Client()
    page = party.post(f"/rooms/j/{link}/", {"code": code}).content.decode()
    assert 'data-testid="agreement-confirm"' in page and 'data-state="waiting"' in page
    box_url = f"/rooms/j/{link}/agreement/"
    assert 'hx-trigger="every 5s"' in party.get(box_url).content.decode()  # it polls
    assert Client().get(box_url).status_code == 404  # another browser has no seat here

    dispute = agree(mediating, med)
    box = party.get(box_url).content.decode()
    assert 'data-state="ready"' in box and "清理费用800元由双方各半承担" in box
    assert "every 5s" not in box  # no poll over what the party types
    sha = agreement_text(dispute).sha256  # type: ignore[union-attr]
    answer = party.post(box_url, {"name": "李桂英", "code": wrong(code), "sha256": sha})
    assert answer.status_code == 403
    box = answer.content.decode()
    assert 'data-field="code"' in box and "验证码错误，还可尝试 4 次" in box
    assert 'value="李桂英"' in box  # the name stays typed
    answer = party.post(box_url, {"name": "张建华", "code": code, "sha256": sha})
    assert answer.status_code == 422 and 'data-field="name"' in answer.content.decode()
    answer = party.post(box_url, {"name": "李桂英", "code": code, "sha256": sha})
    assert answer.status_code == 200
    box = answer.content.decode()
    assert 'data-state="confirmed"' in box and "您已于" in box
    room = Room.objects.get(number=made["room_id"])
    assert room.participants.get(display="李桂英").agreed_at is not None
    # The document names her confirmation and, for the other party, that he did not.
    text_docx = docx_text(host, dispute.number)
    assert "被申请人李桂英于" in text_docx and "申请人张建华未在视频中确认" in text_docx
    assert "本次视频调解未录音录像" in text_docx
    assert not Recording.objects.filter(room=room).exists()


def test_a_confirmation_is_of_the_text_read_not_of_an_agreement_that_replaces_it(
    gateway: JanusServer, mediating: Any, med: Tree
) -> None:
    host, room, [(seat, code), _other] = seated_with_codes(gateway, mediating, med)
    dispute = agree(mediating, med)
    old = read(seat).json()["agreement"]["sha256"]
    assert confirm(seat, "张建华", code, old).status_code == 200
    assert f"视频会议室 {room.number}" in docx_text(host, dispute.number)

    # The court refuses the agreement; mediated again in the same room, another is drafted.
    for action, data in (
        ("apply_confirmation", {"court": "东海县人民法院"}),
        ("record_confirmation", {"result": "refused", "note": "协议内容需重新协商"}),
        ("remediate", {"note": "重新调解"}),
        ("agree", signed_agreement(dispute, terms="一、被申请人当场疏通排水沟。")),
    ):
        dispute = dispute_act(actor=med.mediator1, dispute=dispute, action=action, data=data)
    new = read(seat).json()
    assert new["agreement"]["sha256"] != old and new["agreed_at"] is None
    # Not confirmed by the first confirmation: the host sees it, the document says nothing.
    party = Participant.objects.get(display="张建华", room=room)
    record_page = host.get(f"/rooms/{room.number}/_record/").content.decode()
    assert f'data-testid="agreement-party-{party.pk}" data-confirmed="0"' in record_page
    assert "协议已更新，待重新确认" in record_page
    assert "视频调解" not in docx_text(host, dispute.number)
    page = host.get(f"/mediation/disputes/{dispute.number}/").content.decode()
    assert 'data-testid="video-confirmations"' in page and "确认的是此前的协议文本" in page
    # A page still showing the old text is told it changed; the new one is confirmed.
    answer = confirm(seat, "张建华", code, old)
    assert answer.status_code == 409 and answer.json()["code"] == "agreement_changed"
    assert confirm(seat, "张建华", code, new["agreement"]["sha256"]).status_code == 200
    text_docx = docx_text(host, dispute.number)
    assert "申请人张建华于" in text_docx and "当场疏通排水沟" in text_docx
    assert dispute.events.filter(action="video_confirm").count() == 2
