"""The training's demo loader on the test tree: the county center's director makes a course
for the township and village centers with two recorded lessons (made by ffmpeg) and a live
one, publishes it, and part of the learners have begun; a second run adds nothing."""

import io
from typing import Any

import pytest

from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.rooms.models import Room
from zhili.training import demo
from zhili.training.models import Course, CourseState, LessonKind, Progress
from zhili.training.selectors import completion

pytestmark = pytest.mark.django_db


def test_the_demo_course_is_published_with_lessons_and_some_learning(
    personas: Tree, make_user: Any
) -> None:
    make_user("director", personas.township.organization.parent, Role.CENTER_DIRECTOR)
    out = io.StringIO()
    demo.load(stdout=out)
    course = Course.objects.get()
    assert course.state == CourseState.PUBLISHED
    kinds = list(course.lessons.order_by("order").values_list("kind", "duration_s"))
    assert kinds[:2] == [
        (LessonKind.RECORDED, pytest.approx(75, abs=0.2)),
        (LessonKind.RECORDED, pytest.approx(60, abs=0.2)),
    ]
    assert kinds[2][0] == LessonKind.LIVE and Room.objects.get().purpose == "training"
    assert course.lessons.get(order=1).questions.count() == 3
    # The learners: the township's and the villages' staff (not the county's, not the police).
    table = completion(course)
    assert {p.name for p in table.people} == {"township", "village", "gridworker"}
    assert f"{Progress.objects.count()} 人已开始学习" in out.getvalue()
    demo.load(stdout=out)
    assert Course.objects.count() == 1 and "已存在，跳过" in out.getvalue()
