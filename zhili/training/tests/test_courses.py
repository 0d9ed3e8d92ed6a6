"""A course from the organizer's draft to each learner's completion, through the API: who
builds and sees it, a recorded lesson's upload (type and length from the file, SHA-256 kept),
the quiz, the player's beats (a lesson watched halfway is half watched and not complete; a
page claiming more than the time allows gets what the time allows), the quiz after watching,
the completion per unit and person and its XLSX, and the video served in ranges."""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from zhili.conftest import Tree
from zhili.core.models import AuditLog
from zhili.core.roles import PERMISSIONS, Action, Role
from zhili.training import workflow
from zhili.training.models import Course, CourseState, Lesson, Progress
from zhili.training.tests.conftest import client_for

pytestmark = pytest.mark.django_db

API = "/api/v1/training/courses"


def lesson_api(course: Course, order: int = 1) -> str:
    return f"{API}/{course.number}/lessons/{order}"


def publish(course: Course, organizer: Any) -> None:
    done = client_for(organizer).post(
        f"{API}/{course.number}/actions/publish", {}, content_type="application/json"
    )
    assert done.status_code == 200, done.content


def add_questions(course: Course, organizer: Any) -> list[int]:
    client = client_for(organizer)
    bodies = [
        {"kind": "single", "text": "人民调解委员会调解民间纠纷，收费吗？", "options": ["收取少量费用", "不收取任何费用"], "answer": [1], "points": 40},
        {"kind": "multiple", "text": "调解协议书应当载明的事项有", "options": ["当事人基本情况", "纠纷的主要事实", "调解员的工资", "履行方式和期限"], "answer": [0, 1, 3], "points": 40},
        {"kind": "judge", "text": "经人民调解达成的调解协议具有法律约束力", "answer": [0], "points": 20},
    ]  # fmt: skip
    ids = []
    for body in bodies:
        made = client.post(f"{lesson_api(course)}/questions", body, content_type="application/json")
        assert made.status_code == 201, made.content
        ids.append(made.json()["id"])
    return ids


def beat(client: Any, course: Course, played: list[list[float]], position: float = 0) -> Any:
    return client.post(
        f"{lesson_api(course)}/watch",
        {"played": played, "position": position},
        content_type="application/json",
    )


def test_an_organizer_builds_a_draft_that_only_those_above_see_until_it_is_published(
    personas: Tree, course: Course, recorded: Callable[..., Lesson]
) -> None:
    assert course.state == CourseState.DRAFT and course.number.startswith("PX")
    for who in ("village", "gridworker", "police"):
        assert client_for(getattr(personas, who)).get(f"{API}/{course.number}").status_code == 404
    assert client_for(personas.leader).get(f"{API}/{course.number}").status_code == 200
    # Publishing needs a lesson.
    empty = client_for(personas.township).post(
        f"{API}/{course.number}/actions/publish", {}, content_type="application/json"
    )
    assert empty.status_code == 409 and empty.json()["code"] == "no_lessons"
    recorded()
    publish(course, personas.township)
    seen = client_for(personas.village).get(f"{API}/{course.number}")
    assert seen.status_code == 200
    assert seen.json()["lessons"][0]["mine"]["percent"] == 0
    listed = client_for(personas.gridworker).get(API).json()["items"]
    assert [c["number"] for c in listed] == [course.number]
    # Not on it (another township's village; a department): 404, and not in the list.
    assert client_for(personas.police).get(f"{API}/{course.number}").status_code == 404
    assert client_for(personas.police).get(API).json()["items"] == []
    # A learner neither publishes nor closes: 403.
    close = client_for(personas.village).post(
        f"{API}/{course.number}/actions/close", {}, content_type="application/json"
    )
    assert close.status_code == 403


def test_bad_course_input_is_a_422_naming_the_field(personas: Tree) -> None:
    client = client_for(personas.township)
    today = timezone.localdate()
    due = f"{today + timedelta(days=30):%Y-%m-%d}"
    base = {"title": "培训", "due_on": due, "audience": ["320722901"]}
    other_township = client.post(
        API, {**base, "audience": ["320722902"]}, content_type="application/json"
    )
    assert other_township.status_code == 422 and other_township.json()["field"] == "audience"
    yesterday = f"{today - timedelta(days=1):%Y-%m-%d}"
    past = client.post(API, {**base, "due_on": yesterday}, content_type="application/json")
    assert past.status_code == 422 and past.json()["field"] == "due_on"
    # A learner's role organizes nothing: 403.
    refused = client_for(personas.village).post(API, base, content_type="application/json")
    assert refused.status_code == 403
    assert Course.objects.count() == 0


def test_a_lesson_video_is_an_mp4_with_its_length_and_hash(
    personas: Tree, course: Course, videos: Tree
) -> None:
    client = client_for(personas.township)
    data = videos.long.read_bytes()
    made = client.post(
        f"{API}/{course.number}/lessons",
        {"title": "第一讲", "video": SimpleUploadedFile("lesson.mp4", data, "video/mp4")},
    )
    assert made.status_code == 201, made.content
    assert made.json()["duration_s"] == pytest.approx(60, abs=0.1)
    lesson = Lesson.objects.get(course=course)
    assert lesson.sha256 == hashlib.sha256(data).hexdigest()
    fake = client.post(
        f"{API}/{course.number}/lessons",
        {"title": "第二讲", "video": SimpleUploadedFile("lesson.mp4", b"not a movie" * 100)},
    )
    assert fake.status_code == 422 and fake.json()["field"] == "video"
    no_moov = client.post(
        f"{API}/{course.number}/lessons",
        {"title": "第二讲", "video": SimpleUploadedFile("x.mp4", data[:4096])},
    )
    assert no_moov.status_code == 422 and no_moov.json()["field"] == "video"
    assert Lesson.objects.filter(course=course).count() == 1


def test_a_lesson_watched_halfway_is_half_watched_not_complete_and_its_quiz_locked(
    personas: Tree, course: Course, recorded: Callable[..., Lesson]
) -> None:
    recorded()  # 60 s
    ids = add_questions(course, personas.township)
    publish(course, personas.township)
    learner = client_for(personas.village)
    with time_machine.travel(0, tick=False) as clock:
        clock.move_to(course.created_at + timedelta(minutes=5))
        assert beat(learner, course, []).status_code == 200  # play
        for second in range(10, 31, 10):  # 10 s of play between beats
            clock.shift(10)
            status = beat(learner, course, [[0, second]], second).json()
        assert status["watched_s"] == pytest.approx(30)
        assert status["percent"] == 50 and not status["watched"] and not status["done"]
        row = Progress.objects.get(user=personas.village)
        assert row.spans == [[0, 30]] and row.position_s == 30
        locked = learner.post(
            f"{lesson_api(course)}/quiz",
            {"answers": {ids[0]: [1]}},
            content_type="application/json",
        )
        assert locked.status_code == 409 and locked.json()["code"] == "not_watched"
        # Claiming the rest a second later adds only what a second allows.
        clock.shift(1)
        status = beat(learner, course, [[0, 60]], 60).json()
        assert status["watched_s"] == pytest.approx(30 + 1.25 + 12, abs=0.1)  # shown to 0.1 s
        # Watching on (the page sends its played ranges again): the rest is counted.
        clock.shift(20)
        status = beat(learner, course, [[0, 60]], 60).json()
        assert status["watched_s"] == pytest.approx(60) and status["watched"]
        assert not status["done"]  # the quiz is still to pass
        quiz = learner.get(f"{lesson_api(course)}/quiz").json()
        assert quiz["attempts_left"] == 3 and "answer" not in quiz["questions"][0]
        wrong = learner.post(
            f"{lesson_api(course)}/quiz",
            {"answers": {ids[0]: [1], ids[1]: [0, 1], ids[2]: [1]}},
            content_type="application/json",
        ).json()
        assert wrong["score"] == 40 and not wrong["passed"] and not wrong["status"]["done"]
        bad = learner.post(
            f"{lesson_api(course)}/quiz",
            {"answers": {ids[0]: [7]}},
            content_type="application/json",
        )
        assert bad.status_code == 422 and bad.json()["field"] == f"answers.{ids[0]}"
        right = learner.post(
            f"{lesson_api(course)}/quiz",
            {"answers": {ids[0]: [1], ids[1]: [3, 0, 1], ids[2]: [0]}},
            content_type="application/json",
        ).json()
        assert right["score"] == 100 and right["passed"] and right["status"]["done"]
        assert right["status"]["best_score"] == 100 and right["status"]["attempts"] == 2
    assert AuditLog.objects.filter(action="training.quiz.submit").count() == 2


def test_completion_per_unit_and_person_on_the_page_in_the_api_and_in_xlsx(
    personas: Tree, course: Course, recorded: Callable[..., Lesson], videos: Tree
) -> None:
    recorded(videos.short, "第一讲")  # 16 s, no quiz
    publish(course, personas.township)
    with time_machine.travel(0, tick=False) as clock:
        clock.move_to(course.created_at + timedelta(minutes=5))
        for who, seconds in (("village", 16), ("gridworker", 4)):
            client = client_for(getattr(personas, who))
            beat(client, course, [])
            clock.shift(seconds)
            beat(client, course, [[0, seconds]], seconds)
    answer = client_for(personas.township).get(f"{API}/{course.number}/completion").json()
    assert (answer["learners"], answer["complete"]) == (3, 1)
    units = {o["code"]: o for o in answer["organizations"]}
    assert units["320722901001"] | {"watched_s": 0} == {
        "code": "320722901001", "name": "甲一村", "learners": 2, "started": 2, "complete": 1,
        "rate": 0.5, "watched_s": 0,
    }  # fmt: skip
    assert units["320722901001"]["watched_s"] == pytest.approx(20)
    assert units["320722901"]["rate"] == 0 and units["320722901"]["started"] == 0
    # A learner sees their own status only: 403 for the tables; the leader above: 200.
    assert client_for(personas.village).get(f"{API}/{course.number}/completion").status_code == 403
    assert client_for(personas.leader).get(f"{API}/{course.number}/completion").status_code == 200
    page = client_for(personas.township).get(f"/training/{course.number}/")
    text = page.content.decode()
    assert page.status_code == 200 and "完成情况（按单位）" in text
    # One row for 甲镇 (its center and 甲一村: 1 of 3 complete), opening on each unit.
    assert "33%" in text and "1/2 人完成" in text and "0/1 人完成" in text
    sheet = client_for(personas.township).get(f"/training/{course.number}/completion.xlsx")
    book = load_workbook(BytesIO(b"".join(sheet.streaming_content)))
    rows = list(book["按单位"].iter_rows(values_only=True))
    assert rows[0][:5] == ("单位", "参训人数", "已开始", "已完成", "完成率")
    assert ("甲一村", 2, 2, 1, "50.0%") in [r[:5] for r in rows]
    people = {r[1]: r for r in book["按人员"].iter_rows(min_row=2, values_only=True)}
    assert people["village"][2] == 100 and people["village"][-2] == "是"
    assert people["gridworker"][2] == 25 and people["gridworker"][-2] == "否"
    # Each reading audited: the API twice, the page, the workbook.
    assert AuditLog.objects.filter(action="training.completion.view").count() == 4


def test_the_video_is_served_in_ranges_to_whoever_sees_the_course(
    personas: Tree, course: Course, recorded: Callable[..., Lesson], videos: Tree
) -> None:
    recorded(videos.short)
    publish(course, personas.township)
    data = videos.short.read_bytes()
    url = f"/training/{course.number}/1/video"
    client = client_for(personas.gridworker)
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-50")
    assert b"".join(tail.streaming_content) == data[-50:]
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == data
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(data)}-")
    assert beyond.status_code == 416
    assert client_for(personas.police).get(url).status_code == 404


def test_questions_are_fixed_once_the_course_is_published(
    personas: Tree, course: Course, recorded: Callable[..., Lesson]
) -> None:
    recorded()
    client = client_for(personas.township)
    one = {"kind": "single", "text": "题目", "options": ["甲", "乙"], "answer": [0, 1]}
    refused = client.post(f"{lesson_api(course)}/questions", one, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["field"] == "answer"
    publish(course, personas.township)
    late = client.post(
        f"{lesson_api(course)}/questions", {**one, "answer": [0]}, content_type="application/json"
    )
    assert late.status_code == 409 and late.json()["code"] == "course_published"


def test_the_organizers_roles_hold_the_training_action() -> None:
    for role, actions in PERMISSIONS.items():
        if role != Role.ADMIN:
            assert (Action.TRAINING_MANAGE in actions) == (role in workflow.ORGANIZERS), role


def test_pages_answer_refusals_as_pages_never_500(
    personas: Tree, course: Course, recorded: Callable[..., Lesson]
) -> None:
    recorded()
    ids = add_questions(course, personas.township)
    publish(course, personas.township)
    village = client_for(personas.village)
    assert village.get(f"/training/{course.number}/completion.xlsx").status_code == 403
    assert village.get(f"/training/{course.number}/edit/").status_code == 403
    removed = village.post(f"/training/{course.number}/1/questions/{ids[0]}/remove/")
    assert removed.status_code == 403
    # The organizer, once published: the questions are fixed (a message, not an error page).
    organizer = client_for(personas.township)
    late = organizer.post(f"/training/{course.number}/1/questions/{ids[0]}/remove/")
    assert late.status_code == 302
    assert "测验题不能再改" in organizer.get(late["Location"]).content.decode()
    # The pass rules are fixed too; the text and the deadline may still change.
    body = {
        "title": "新名称",
        "due_on": course.due_on.isoformat(),
        "audience": ["320722901"],
        "pass_score": 80,
    }
    api = f"{API}/{course.number}"
    refused = organizer.put(api, body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "course_published"
    edited = organizer.put(api, {**body, "pass_score": 60}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["title"] == "新名称"
    assert not workflow.learner(personas.village, course)  # 甲一村 no longer in the audience
