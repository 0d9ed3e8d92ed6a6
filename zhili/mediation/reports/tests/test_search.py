"""Full-text search of archived disputes: whole tokens, every term, the user's scope."""

import pytest

from zhili.core.errors import InvalidInput
from zhili.mediation.models import Dispute
from zhili.mediation.reports.selectors import SearchFilters, dispute_search, exemplary_cases
from zhili.mediation.reports.tests.conftest import at, make_dispute

pytestmark = pytest.mark.django_db


def numbers(user, **filters):
    return {d.number for d in dispute_search(user=user, filters=SearchFilters(**filters))}


@pytest.fixture
def disputes(world):
    return {
        "wall": make_dispute(
            world.c1,
            title="围墙占用宅基地纠纷",
            kind="housing_homestead",
            outcome="agreement",
            summary="张某新砌围墙占用李某宅基地约三十公分，双方多次争吵。",
        ),
        "pond": make_dispute(
            world.c11,
            title="鱼塘承包款纠纷",
            kind="contract",
            outcome="no_agreement",
            summary="承包人拖欠鱼塘承包款两年，村民要求收回宅基地旁鱼塘。",
            outcome_at=at(2026, 10, 3),
        ),
        "open": make_dispute(world.c1, title="宅基地界址纠纷", outcome="agreement", archived=False),
        "other_town": make_dispute(
            world.c2, title="宅基地纠纷", kind="housing_homestead", outcome="agreement"
        ),
    }


def test_every_term_must_match_within_scope(world, disputes):
    wall, pond = disputes["wall"].number, disputes["pond"].number
    assert numbers(world.chair, text="宅基地") == {wall, pond}
    assert numbers(world.chair, text="宅基地 围墙") == {wall}
    assert numbers(world.chair, text="宅基地 鱼塘") == {pond}
    assert numbers(world.chair, text="宅基地 高铁") == set()
    # Another township's archived dispute and a dispute not yet archived never show.
    assert disputes["other_town"].number in numbers(world.county_chair, text="宅基地")
    assert disputes["open"].number not in numbers(world.county_chair, text="宅基地")


def test_terms_match_whole_tokens_only(world, disputes):
    tokens = f" {disputes['wall'].search_tokens} "
    assert " 基 " not in tokens and "基" in tokens  # "基" is inside tokens, never one alone
    assert numbers(world.chair, text="基") == set()
    assert numbers(world.chair, text="三十公分") == {disputes["wall"].number}


def test_filters_kind_and_archive_dates(world, disputes):
    assert numbers(world.chair, kind="contract") == {disputes["pond"].number}
    assert numbers(world.chair, start=at(2026, 11, 1).date()) == {disputes["wall"].number}
    assert numbers(world.chair, end=at(2026, 10, 31).date()) == {disputes["pond"].number}
    with pytest.raises(InvalidInput) as exc:
        numbers(world.chair, kind="bogus")
    assert exc.value.field == "kind"
    with pytest.raises(InvalidInput) as exc:
        numbers(world.chair, start=at(2026, 11, 2).date(), end=at(2026, 11, 1).date())
    assert exc.value.field == "end"


def test_a_user_without_dispute_access_finds_nothing(world, disputes, personas):
    assert numbers(personas.gridworker, text="宅基地") == set()
    assert numbers(personas.outsider) == set()


def test_exemplary_cases_are_the_marked_ones(world, disputes):
    wall = disputes["wall"]
    wall.is_exemplary = True
    wall.save()
    assert [d.number for d in exemplary_cases(user=world.chair)] == [wall.number]
    assert list(exemplary_cases(user=world.chair2)) == []


def test_too_many_terms_are_refused(world):
    with pytest.raises(InvalidInput) as exc:
        numbers(world.chair, text="甲 乙 丙 丁 戊 己 庚 辛 壬 癸 子 丑 寅")
    assert exc.value.field == "q"


def test_a_dispute_number_finds_that_dispute(world):
    dispute = make_dispute(world.c1, title="合同纠纷", outcome="agreement")
    Dispute.objects.filter(pk=dispute.pk).update(number="TJ2026-000123")
    assert numbers(world.chair, text=" tj2026-000123 ") == {"TJ2026-000123"}
    assert numbers(world.chair2, text="TJ2026-000123") == set()
