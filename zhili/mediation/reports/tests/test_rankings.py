"""十佳调解能手 and 十佳调解室 on built data: the formula, the minimum, the scope."""

from datetime import date

import pytest

from zhili.core.errors import InvalidInput
from zhili.mediation.reports.selectors import mediator_ranking, room_ranking
from zhili.mediation.reports.tests.conftest import at, make_dispute

pytestmark = pytest.mark.django_db
NOV = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}


@pytest.fixture
def mediations(world):
    m1, m2 = world.m1, world.m2
    for i in range(5):
        make_dispute(world.c1, outcome="agreement", outcome_at=at(2026, 11, 2 + i), lead=m1,
                     mediators=(m1, m2) if i < 3 else (m1,), room=world.r1,
                     performed="yes" if i < 4 else "partly")  # fmt: skip
    make_dispute(world.c1, outcome="no_agreement", outcome_at=at(2026, 11, 9), lead=m1,
                 room=world.r1)  # fmt: skip
    for day in (10, 11):
        make_dispute(world.c1, outcome="agreement", outcome_at=at(2026, 11, day), lead=m2,
                     room=world.r1)  # fmt: skip
    make_dispute(world.c11, outcome="agreement", outcome_at=at(2026, 11, 12), lead=world.m11,
                 room=world.r11, performed="yes")  # fmt: skip
    make_dispute(world.c1, outcome="agreement", outcome_at=at(2026, 10, 12), lead=m2)  # October
    for day in range(1, 8):
        make_dispute(world.c2, outcome="agreement", outcome_at=at(2026, 11, day),
                     lead=world.m2b, room=world.r2, performed="yes")  # fmt: skip


def test_mediators_ranked_by_the_formula(world, mediations):
    ranked = mediator_ranking(user=world.chair, **NOV)
    assert [r.name for r in ranked] == ["王芳", "李强"]  # 赵敏 has 1 case, fewer than 5
    first, second = ranked
    # 王芳: 6 mediated, 5 agreements, 4 performed + 1 partly: 50 + 30*5/6 + 20*4.5/5
    assert (first.tally.mediated, first.tally.succeeded) == (6, 5)
    assert first.score == 93.0 and first.performance_rate == 0.9
    # 李强: co-mediator in 3 + lead in 2, all agreed, 3 performed: 50 + 30 + 20*3/5
    assert (second.tally.mediated, second.tally.succeeded, second.tally.performed) == (5, 5, 3)
    assert second.score == 92.0 and second.success_rate == 1.0
    assert [r.name for r in mediator_ranking(user=world.chair, min_cases=1, **NOV)] == [
        "王芳",
        "李强",
        "赵敏",
    ]


def test_rankings_follow_the_users_scope(world, mediations):
    county = mediator_ranking(user=world.county_chair, **NOV)
    assert county[0].name == "孙磊" and county[0].score == 100.0
    assert "孙磊" not in [r.name for r in mediator_ranking(user=world.chair, **NOV)]
    assert [r.name for r in mediator_ranking(user=world.chair2, **NOV)] == ["孙磊"]


def test_rooms_ranked_by_the_same_formula(world, mediations):
    rooms = room_ranking(user=world.county_chair, **NOV)
    assert [r.name for r in rooms] == ["乙乡调解室", "甲镇调解室"]
    assert rooms[0].score == 100.0
    r1 = rooms[1].tally
    assert (r1.mediated, r1.succeeded, r1.performed, r1.partly) == (8, 7, 4, 1)
    # 50 * 7/7 + 30 * 7/8 + 20 * 4.5/7
    assert rooms[1].score == round(50 + 30 * 7 / 8 + 20 * 4.5 / 7, 2)
    assert [r.name for r in room_ranking(user=world.chair, min_cases=1, **NOV)] == [
        "甲镇调解室",
        "甲一村调解室",
    ]


def test_period_is_checked(world):
    with pytest.raises(InvalidInput) as exc:
        mediator_ranking(user=world.chair, start=date(2026, 11, 2), end=date(2026, 11, 1))
    assert exc.value.field == "end"
