"""A course's workflow. Pure Python.

    draft (草稿) --publish--> published (已发布) --close--> closed (已结束)

The organizers (side ``owner``: the actor may organize training and stands over the course's
owner) build a draft, publish it to its audience, and close it. Who sees a course: whoever
stands over its owner in the organization tree, and, once it is published, its learners (the
staff of its audience, `learner`); anyone else is answered 404.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from zhili.core.dossier import DossierKind, Side
from zhili.core.dossier.tables import Party, by_name, transition_event
from zhili.core.roles import Action, Role
from zhili.core.scope import can, scope_for
from zhili.core.types import Actor
from zhili.core.workflow import Transition, TransitionTable
from zhili.training.events import CourseTransitioned
from zhili.training.models import Course, CourseEvent, CourseState

S = CourseState

ORGANIZERS = frozenset({Role.CENTER_DIRECTOR, Role.TOWNSHIP_SECRETARY, Role.TOWNSHIP_OFFICER})
OWNER = Party(ORGANIZERS, "owner")

TRANSITIONS: dict[str, Transition] = by_name(
    [
        OWNER("publish", "发布", {S.DRAFT}, S.PUBLISHED),
        OWNER("close", "结束培训", {S.PUBLISHED}, S.CLOSED),
    ]
)
TABLE = TransitionTable(TRANSITIONS.values(), states=dict(CourseState.choices), noun="培训课程")


def organizes(actor: Actor, course: Course) -> bool:
    return can(actor, Action.TRAINING_MANAGE) and scope_for(actor).covers_path(course.path)


def learner(actor: Actor, course: Course) -> bool:
    """The actor is on the course: a member of one of its audience organizations."""
    org_id = getattr(actor, "organization_id", None)
    return org_id is not None and course.audience.filter(pk=org_id).exists()


def learners(course: Course) -> "QuerySet[Any]":
    """The staff on the course: the active accounts of its audience organizations."""
    return get_user_model().objects.filter(organization__in=course.audience.all(), is_active=True)


def _visible(actor: Actor, course: Course) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if scope_for(actor).covers_path(course.path):
        return True
    return course.state != S.DRAFT and learner(actor, course)


KIND: DossierKind[Course] = DossierKind(
    model=Course,
    history=CourseEvent,
    link="course",
    table=TABLE,
    audit_name="training.course",
    visible=_visible,
    sides={"owner": Side(organizes, "该课程不是您所在单位主办的")},
    event=transition_event(
        Course, CourseTransitioned, course_id=lambda c: c.pk, number=lambda c: c.number
    ),
    labels={
        "create": "创建课程",
        "edit": "修改课程",
        "lesson": "增加课时",
        "question": "增加测验题",
        "question_remove": "删除测验题",
    },
)
