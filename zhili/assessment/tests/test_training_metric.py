"""网上培训完成率 (training_completion): the learners of the courses due in the period, those
who completed every lesson by the course's deadline, counted for the ranked unit that owns each
learner's organization; a default item of 督查整改与工作落实."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhili.assessment.metrics import Context, training_completion
from zhili.assessment.periods import parse_period
from zhili.assessment.services import scheme_create_default
from zhili.assessment.units import Owners
from zhili.conftest import Tree
from zhili.training import services
from zhili.training.models import Progress
from zhili.training.tests.conftest import videos  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_learners_done_by_the_deadline_over_the_learners_of_courses_due(
    personas: Tree,
    videos: Tree,  # noqa: F811
) -> None:
    due = date(2026, 10, 20)
    with time_machine.travel(at(date(2026, 10, 8), 9), tick=False):
        course = services.course_create(
            actor=personas.township,
            data=services.CourseInput(
                title="网格员业务培训", due_on=due, audience=["320722901", "320722901001"]
            ),
        )
        data = videos.short.read_bytes()
        lesson = services.lesson_add_recorded(
            actor=personas.township,
            course=course,
            title="第一讲",
            video=SimpleUploadedFile("a.mp4", data, "video/mp4"),
        )
        services.course_publish(actor=personas.township, course=course)
    # The village officer in time, the grid worker a day late, the township officer never.
    for user, day in ((personas.village, due), (personas.gridworker, due + timedelta(days=1))):
        Progress.objects.create(lesson=lesson, user=user, spans=[[0, 16]], completed_at=at(day, 20))
    ctx = Context(
        actor=None,
        period=parse_period(2026, "10"),
        owners=Owners.load(),
        now=at(date(2026, 11, 2), 9),
    )
    measures = training_completion(ctx)
    # 甲镇 owns 甲一村; every other ranked unit counted nobody (its entry links an empty list).
    assert {pk for pk, m in measures.items() if m.whole} == {personas.township.organization_id}
    measure = measures[personas.township.organization_id]
    assert (measure.part, measure.whole) == (1, 3)
    assert "1/3" in measure.text
    assert measure.url == "/assessment/2026/10/records/training_completion/?unit=320722901"
    assert [link.n for link in measure.links] == [3, 1, 2]
    # A course not due in the period counts nowhere.
    september = training_completion(Context(None, parse_period(2026, "09"), Owners.load()))
    assert september and not any(m.whole for m in september.values())


def test_the_default_scheme_has_the_item(db: None) -> None:
    scheme = scheme_create_default(actor=None, year=2031)
    item = scheme.items.get(code="training_completion")
    assert (item.catalog.code, item.max_points, item.automatic, item.metric) == (
        "inspection",
        2,
        True,
        "training_completion",
    )
