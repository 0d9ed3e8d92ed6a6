"""The 十佳 score's factors beyond the mediation ranking: judicial confirmations, satisfaction
(the ratings of the cases disputes were opened from) and file quality, hand-counted."""

import pytest

from zhili.assessment.award_factors import Factors, award_factors, award_score, rank
from zhili.assessment.awards import FORMULA, shortlist_compute
from zhili.assessment.models import Nomination
from zhili.assessment.tests.conftest import YEAR, day
from zhili.cases.models import Case
from zhili.mediation.models import Agreement, Dispute, Party
from zhili.mediation.reports.ranking import Ranked, Tally
from zhili.mediation.reports.selectors import mediator_ranking
from zhili.mediation.reports.tests.conftest import at, make_dispute


def ranked(key: int, score: float, succeeded: int = 5) -> Ranked:
    tally = Tally(key=key, name=f"调解员{key}", unit="调委会", mediated=6, succeeded=succeeded)
    return Ranked(rank=key, tally=tally, success_rate=0.0, performance_rate=0.0, score=score)


def test_the_score_weights_the_ranking_and_the_three_factors():
    f = Factors(written=2, confirmed=1, rated=4, satisfied=3, files=5, file_points=4.0)
    # 0.7 x 80 + 10 x 1/2 + 10 x 3/4 + 10 x 4/5 = 56 + 5 + 7.5 + 8
    assert award_score(ranked(1, 80.0), f) == 76.5
    # No written agreement and nothing rated: (56 + 8) / 80 x 100
    assert award_score(ranked(1, 80.0), Factors(files=5, file_points=4.0)) == 80.0


def test_the_factors_can_overtake_the_ranking():
    weak = Factors(written=5, confirmed=0, rated=2, satisfied=0, files=6, file_points=3.0)
    strong = Factors(written=5, confirmed=5, rated=2, satisfied=2, files=6, file_points=6.0)
    order = rank([ranked(1, 90.0), ranked(2, 80.0)], {1: weak, 2: strong})
    # 63 + 0 + 0 + 5 = 68 against 56 + 10 + 10 + 10 = 86
    assert [(s.ranked.tally.key, s.score) for s in order] == [(2, 86.0), (1, 68.0)]


@pytest.fixture
def files(world, register, catalog):
    """孙磊 (乙乡, room R2), November 2026, five disputes:
    1. agreement, written, confirmed by the court, from a case rated 满意; a session, the
       party's consent, archived, performed: 5 of 5 elements;
    2. agreement, written, confirmation refused, from a case rated 不满意; a session,
       archived, not followed up: 4 of 5;
    3. agreement, oral (in effect on reaching it), no session, followed up: 4 of 5;
    4. no agreement, the notice of other routes given, a session, archived: 4 of 4;
    5. no agreement, a party's consent still pending, no session, no notice, not
       archived: 0 of 4."""
    m, r = world.m2b, world.r2

    def one(outcome, n, **kw):
        return make_dispute(
            world.c2, outcome=outcome, outcome_at=at(2026, 11, n), lead=m, room=r, **kw
        )

    rated = []
    for rating in ("satisfied", "unsatisfied"):
        case = register(category=catalog.dispute, title="邻里纠纷")
        Case.objects.filter(pk=case.pk).update(rating=rating)
        rated.append(case)
    party = (("张三", "", ""),)
    d1 = one("agreement", 2, performed="yes", sessions=("第一次调解",), parties=party)
    d2 = one("agreement", 3, sessions=("调解",))
    d3 = one("agreement", 4, performed="yes")
    d4 = one("no_agreement", 5, sessions=("调解",))
    d5 = one("no_agreement", 6, archived=False)
    Dispute.objects.filter(pk=d1.pk).update(case=rated[0], source="case")
    Dispute.objects.filter(pk=d2.pk).update(case=rated[1], source="case")
    Agreement.objects.filter(dispute=d1).update(confirmation_result="confirmed")
    Agreement.objects.filter(dispute=d2).update(confirmation_result="refused")
    Agreement.objects.filter(dispute=d3).update(form="oral", effective_at=None)
    Dispute.objects.filter(pk=d4.pk).update(routes_notice="可向人民法院起诉")
    Party.objects.create(dispute=d5, side="applicant", name="李四", consent="pending")
    return world


def test_the_factors_are_counted_from_the_dossiers(files, assessors):
    kw = {"user": assessors.director, "start": day(1, 1), "end": day(12, 31)}
    for kind, key in (("mediator", files.m2b.pk), ("room", files.r2.pk)):
        f = award_factors(kind=kind, **kw)[key]
        assert (f.written, f.confirmed, f.rated, f.satisfied, f.files) == (2, 1, 2, 1, 5)
        assert f.file_rate == pytest.approx((1 + 0.8 + 0.8 + 1 + 0) / 5)
    # The dossiers of a township the reader does not see are not counted.
    assert files.m2b.pk not in award_factors(kind="mediator", **{**kw, "user": files.chair})


def test_the_shortlist_keeps_each_factor_and_shows_it(files, scheme, assessors, client):
    [n] = shortlist_compute(actor=assessors.director, year=YEAR, kind="mediator")
    [r] = mediator_ranking(user=assessors.director, start=day(1, 1), end=day(12, 31))
    # 孙磊: 3 of 5 mediated agreed, 2 of 3 performed, the only one ranked (best 3):
    # 50 + 30 x 3/5 + 20 x 2/3 = 81.33; 0.7 x 81.33 + 10 x 1/2 + 10 x 1/2 + 10 x 0.72
    assert r.score == 81.33
    assert float(n.score) == round(0.7 * 81.33 + 5 + 5 + 7.2, 2) == 74.13
    assert float(n.ranking_score) == 81.33 and float(n.performance_rate) == 66.7
    assert (n.written, n.confirmed, n.rated, n.satisfied, float(n.file_rate)) == (2, 1, 2, 1, 72.0)

    client.force_login(assessors.director)
    page = client.get(f"/assessment/{YEAR}/awards/").content.decode()
    row = page.split(f'data-testid="nomination-{n.key}"')[1].split("</tr>")[0]
    for shown in ("74.13", "5 / 3", "60%", "66.7%", "81.33", "1 / 2", "72.0%"):
        assert shown in row, shown
    for header in ("司法确认", "满意率", "卷宗完整率"):
        assert header in page
    assert "司法确认率" in FORMULA and "卷宗完整率" in FORMULA


def test_a_shortlist_made_before_the_factors_shows_dashes(scheme, assessors, client):
    Nomination.objects.create(
        year=YEAR, kind="room", key=1, name="旧名单调解室", unit="甲镇", rank=1, score=90,
        mediated=8, succeeded=7,
    )  # fmt: skip
    client.force_login(assessors.director)
    page = client.get(f"/assessment/{YEAR}/awards/").content.decode()
    row = page.split('data-testid="nomination-1"')[1].split("</tr>")[0]
    assert row.count("—") == 5 and "不计" not in row  # the factors, not the success rate
