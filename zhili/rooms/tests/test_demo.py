"""The rooms' demo loader on the test tree: the county leader's meeting with the guests there
are (a missing account is left out), nothing for a mediator or an appointment that is not
there, and a second run adds nothing. (On the Donghai demo it also schedules a video
mediation of `tjy`'s and a reception of the next booked appointment: checked by `make demo`.)"""

import io

import pytest

from zhili.conftest import Tree
from zhili.receptions.tests.conftest import rx  # noqa: F401  (fixtures)
from zhili.rooms import demo
from zhili.rooms.models import Room

pytestmark = pytest.mark.django_db


def test_the_demo_schedules_a_meeting_ready_to_join_once(rx: Tree) -> None:  # noqa: F811
    out = io.StringIO()
    demo.load(stdout=out)
    room = Room.objects.get()
    assert (room.purpose, room.host, room.state) == ("meeting", rx.leader, "scheduled")
    guests = set(room.participants.values_list("user__username", flat=True))
    assert guests == {"leader", "township", "village", "police"}
    assert f"全县综治工作视频调度会（{room.number}，主持人 leader）" in out.getvalue()
    demo.load(stdout=out)
    assert Room.objects.count() == 1 and "已有，跳过" in out.getvalue()
