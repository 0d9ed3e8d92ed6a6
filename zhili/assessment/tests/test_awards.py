"""十佳: the shortlist from the mediation dossiers, a vetoed unit left out, the vote, the
decision."""

import pytest

from zhili.assessment.award_factors import award_factors, award_score
from zhili.assessment.awards import awards_decide, shortlist_compute, vote_record
from zhili.assessment.models import Nomination, StaffGrade
from zhili.assessment.staff import proposal, staff_grade_decide, staff_grades_propose
from zhili.assessment.tests.conftest import YEAR, day
from zhili.assessment.vetoes import veto_propose, veto_review
from zhili.core.errors import Conflict, InvalidInput
from zhili.mediation.reports.selectors import mediator_ranking, room_ranking


def test_the_shortlist_scores_the_mediation_ranking_with_the_factors(
    scheme, world, mediations, assessors
):
    rows = shortlist_compute(actor=assessors.director, year=YEAR, kind="room")
    kw = {"user": assessors.director, "start": day(1, 1), "end": day(12, 31)}
    ranked = room_ranking(**kw)
    factors = award_factors(kind="room", **kw)
    expected = sorted(
        ((award_score(r, factors[r.tally.key]), r) for r in ranked), key=lambda p: -p[0]
    )
    assert [(n.name, float(n.score), float(n.ranking_score)) for n in rows] == [
        (r.name, score, r.score) for score, r in expected
    ]
    with pytest.raises(Conflict):
        shortlist_compute(actor=assessors.director, year=YEAR, kind="room")


def test_a_vetoed_unit_is_left_out(scheme, world, mediations, assessors, tree):
    veto = veto_propose(
        actor=assessors.analyst, unit=tree.t2, event_code="data_fraud", on=day(3, 1), reason="造假"
    )
    veto_review(actor=assessors.director, veto_id=veto.pk, confirm=True)
    mediators = shortlist_compute(actor=assessors.director, year=YEAR, kind="mediator")
    assert "孙磊" not in [n.name for n in mediators]  # 乙乡's mediator
    everyone = mediator_ranking(user=assessors.director, start=day(1, 1), end=day(12, 31))
    assert [n.name for n in mediators] == [r.name for r in everyone if r.name != "孙磊"]
    assert [n.rank for n in mediators] == [1, 2]


def test_the_vote_decides(scheme, world, mediations, assessors):
    first, second = shortlist_compute(actor=assessors.director, year=YEAR, kind="mediator")[:2]
    vote_record(
        actor=assessors.director,
        nomination_id=first.pk,
        votes_for=4,
        votes_against=3,
        abstentions=0,
    )
    with pytest.raises(Conflict):
        awards_decide(actor=assessors.director, year=YEAR, kind="mediator")
    for n in Nomination.objects.exclude(pk=first.pk):
        vote_record(
            actor=assessors.director,
            nomination_id=n.pk,
            votes_for=3,
            votes_against=2,
            abstentions=2,
        )
    winners = awards_decide(actor=assessors.director, year=YEAR, kind="mediator")
    assert first in winners and second not in winners  # 3 of 7 is no majority
    with pytest.raises(InvalidInput) as exc:
        vote_record(
            actor=assessors.director,
            nomination_id=first.pk,
            votes_for=-1,
            votes_against=0,
            abstentions=0,
        )
    assert exc.value.field == "votes_for"


def test_the_awards_page(scheme, world, mediations, assessors, client):
    client.force_login(assessors.director)
    base = f"/assessment/{YEAR}/awards/"
    assert client.post(f"{base}shortlist/", {"kind": "room"}).status_code == 302
    room = Nomination.objects.filter(kind="room").first()
    vote = {"nomination": room.pk, "votes_for": "5", "votes_against": "1", "abstentions": "0"}
    client.post(f"{base}vote/", vote)
    room.refresh_from_db()
    assert (room.votes_for, room.votes_against) == (5, 1)
    page = client.get(base).content.decode()
    assert room.name in page and "十佳调解能手" in page


def test_staff_grades_are_proposed_from_the_dossiers_and_decided(
    scheme, world, mediations, assessors, tree, client
):
    veto = veto_propose(
        actor=assessors.analyst,
        unit=tree.t2,
        event_code="serious_crime",
        on=day(3, 1),
        reason="命案",
    )
    veto_review(actor=assessors.director, veto_id=veto.pk, confirm=True)
    grades = {
        g.user.full_name: g for g in staff_grades_propose(actor=assessors.director, year=YEAR)
    }
    ranked = {
        r.name: r.score
        for r in mediator_ranking(
            user=assessors.director, start=day(1, 1), end=day(12, 31), min_cases=1
        )
    }
    for name, grade in grades.items():
        assert float(grade.score) == ranked[name]
    # 孙磊 leads the county (score 100) but 乙乡 is vetoed: 称职 at best.
    assert grades["孙磊"].proposed == "competent"
    assert grades["王芳"].proposed == proposal(ranked["王芳"], barred=False)
    with pytest.raises(InvalidInput) as exc:
        staff_grade_decide(
            actor=assessors.director, grade_id=grades["王芳"].pk, grade="incompetent"
        )
    assert exc.value.field == "note"
    client.force_login(assessors.director)
    client.post(
        f"/assessment/{YEAR}/awards/staff-decide/",
        {"grade_id": grades["赵敏"].pk, "grade": grades["赵敏"].proposed},
    )
    assert StaffGrade.objects.get(pk=grades["赵敏"].pk).grade == grades["赵敏"].proposed
