"""Calling a video meeting (视频会议): the API's and the page's invited organizations (every
active member of their staff seated, each unit in the caller's part of the tree), the whole
kinds of units at once, the agenda typed with it, the list of one's meetings, and the
meeting's documents (会议材料)."""

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.rooms.models import Room

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_invites_organizations_with_their_staff(personas: Tree) -> None:
    body = {
        "purpose": "meeting",
        "subject": "全县综治工作调度会",
        "starts_at": timezone.now().isoformat(),
        "organizations": ["320722901", "320722-GAJ"],
    }
    made = client_for(personas.leader).post("/api/v1/rooms", body, content_type="application/json")
    assert made.status_code == 201, made.content
    room = Room.objects.get(number=made.json()["room_id"])
    seated = set(room.participants.values_list("user__username", flat=True))
    assert seated == {"leader", "township", "police"}
    entry = AuditLog.objects.get(action="rooms.room.schedule")
    assert entry.extra["organizations"] == ["320722901", "320722-GAJ"]
    # A township's officer invites only within the township; a mediation invites no units.
    other = client_for(personas.township).post(
        "/api/v1/rooms", {**body, "organizations": ["320722902"]}, content_type="application/json"
    )
    assert other.status_code == 422 and other.json()["field"] == "organizations"
    assert "乙乡综治中心" in other.json()["detail"]
    assert Room.objects.count() == 1


def test_the_page_calls_a_meeting_of_whole_kinds_of_units_with_its_agenda(
    personas: Tree,
) -> None:
    leader = client_for(personas.leader)
    page = leader.get("/rooms/meetings/")
    assert page.status_code == 200 and "召集视频会议" in page.content.decode()
    when = timezone.localtime() + timezone.timedelta(minutes=30)
    done = leader.post(
        "/rooms/meetings/",
        {
            "title": "矛盾纠纷排查调度会",
            "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
            "groups": ["townships"],
            "organizations": ["320722-GAJ"],
            "agenda": "各乡镇排查情况汇报\n\n部署下阶段工作",
        },
    )
    room = Room.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/rooms/{room.number}/"
    assert set(room.participants.values_list("user__username", flat=True)) == {
        "leader",
        "township",
        "police",
    }
    assert list(room.agenda.values_list("title", flat=True)) == [
        "各乡镇排查情况汇报",
        "部署下阶段工作",
    ]
    # The invited see it in their list; someone of another township does not.
    assert room.number in client_for(personas.township).get("/rooms/meetings/").content.decode()
    assert (
        room.number not in client_for(personas.gridworker).get("/rooms/meetings/").content.decode()
    )
    # No unit chosen: the form again, naming the field, nothing made.
    empty = leader.post(
        "/rooms/meetings/", {"title": "空会", "starts_at": when.strftime("%Y-%m-%dT%H:%M")}
    )
    assert empty.status_code == 400 and "请选择参会单位" in empty.content.decode()
    assert Room.objects.count() == 1


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_documents_are_given_by_the_host_and_the_invited_and_read_by_who_sees_the_room(
    personas: Tree,
) -> None:
    body = {
        "purpose": "meeting",
        "subject": "全县综治工作调度会",
        "starts_at": timezone.now().isoformat(),
        "organizations": ["320722901"],
    }
    room_id = (
        client_for(personas.leader)
        .post("/api/v1/rooms", body, content_type="application/json")
        .json()["room_id"]
    )
    api = f"/api/v1/rooms/{room_id}/documents"
    made = client_for(personas.township).post(
        api, {"file": SimpleUploadedFile("排查情况汇报.pdf", PDF, "application/pdf")}
    )
    assert made.status_code == 201, made.content
    document = made.json()
    assert (document["name"], document["content_type"], document["size"]) == (
        "排查情况汇报.pdf",
        "application/pdf",
        len(PDF),
    )
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    # Not a known kind by its content: 422 naming the file; someone not invited: 403.
    fake = client_for(personas.leader).post(
        api, {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00", "application/pdf")}
    )
    assert fake.status_code == 422 and fake.json()["field"] == "file"
    assert (
        client_for(personas.dispatcher)
        .post(api, {"file": SimpleUploadedFile("b.pdf", PDF)})
        .status_code
        == 403
    )
    # The room's page lists it; the download is the file, audited; out of sight: 404.
    page = client_for(personas.leader).get(f"/rooms/{room_id}/").content.decode()
    assert "排查情况汇报.pdf" in page and "会议材料" in page
    got = client_for(personas.leader).get(document["url"])
    assert b"".join(got.streaming_content) == PDF
    assert AuditLog.objects.filter(action="rooms.document.download").count() == 1
    assert client_for(personas.gridworker).get(document["url"]).status_code == 404
    assert [d["name"] for d in client_for(personas.township).get(api).json()] == [
        "排查情况汇报.pdf"
    ]
