"""一票否决: reviewed by someone else before grading; a confirmed veto bars 优秀 and the year's
awards, on the ledger."""

from decimal import Decimal

import pytest

from zhili.assessment.models import Grade, LedgerEntry
from zhili.assessment.selectors import scores
from zhili.assessment.services import ledger_post, scores_compute
from zhili.assessment.tests.conftest import YEAR, day
from zhili.assessment.vetoes import awards_barred, grades_issue, veto_propose, veto_review
from zhili.core.errors import Conflict


def t1_row(user, period="year"):
    _s, _p, rows = scores(user=user, year=YEAR, period=period, group="township")
    return next(r for r in rows if r.org.code == "320722901")


@pytest.fixture
def excellent(scheme, tree, assessors):
    """甲镇 at 优秀 by its score: the automatic items (no cases: nothing went wrong), a full
    field check and survey."""
    scores_compute(actor=assessors.director, year=YEAR, period="year")
    ledger_post(
        actor=assessors.director,
        unit=tree.t1,
        on=day(6, 1),
        item_code="field_check",
        points=Decimal(10),
        reason="实地考核",
        source_label="人工评分",
        source_url="",
        key="field:t1",
    )
    ledger_post(
        actor=assessors.director,
        unit=tree.t1,
        on=day(6, 1),
        item_code="safety_survey",
        points=Decimal(5),
        reason="安全感 100%",
        source_label="安全感调查",
        source_url="",
        key="survey:t1",
    )
    row = t1_row(assessors.director)
    assert row.score >= scheme.excellent_min and row.grade == "excellent"
    return row


def test_a_veto_bars_excellent(excellent, tree, assessors):
    veto = veto_propose(
        actor=assessors.analyst,
        unit=tree.v11,
        event_code="serious_crime",
        on=day(8, 3),
        reason="甲一村纠纷化解不力引发命案",
        source_url="/mediation/disputes/TJ1/",
    )
    assert veto.unit == tree.t1  # a village's veto is its township's
    pending = t1_row(assessors.director)
    assert (pending.grade, pending.veto_pending) == (None, True)

    veto_review(actor=assessors.director, veto_id=veto.pk, confirm=True, note="属实")
    row = t1_row(assessors.director)
    assert row.score == excellent.score  # the veto takes no points: it caps the grade
    assert (row.vetoed, row.grade) == (True, "pass")
    assert awards_barred(tree.t1, YEAR) and not awards_barred(tree.t2, YEAR)
    entry = LedgerEntry.objects.get(key=f"veto:{veto.pk}")
    assert entry.bars_awards and entry.source_url == "/mediation/disputes/TJ1/"


def test_a_failing_veto_event_fails_the_unit(excellent, tree, assessors):
    veto = veto_propose(
        actor=assessors.analyst,
        unit=tree.t1,
        event_code="data_fraud",
        on=day(5, 1),
        reason="数据造假",
    )
    veto_review(actor=assessors.director, veto_id=veto.pk, confirm=True)
    assert t1_row(assessors.director).grade == "fail"


def test_a_dismissed_veto_changes_nothing(excellent, tree, assessors):
    veto = veto_propose(
        actor=assessors.analyst,
        unit=tree.t1,
        event_code="serious_crime",
        on=day(5, 1),
        reason="经查不实",
    )
    veto_review(actor=assessors.director, veto_id=veto.pk, confirm=False)
    assert t1_row(assessors.director).grade == "excellent"
    assert not awards_barred(tree.t1, YEAR)


def test_the_proposer_cannot_review_and_grading_waits_for_review(excellent, tree, assessors):
    veto = veto_propose(
        actor=assessors.analyst,
        unit=tree.t1,
        event_code="serious_crime",
        on=day(5, 1),
        reason="待查",
    )
    with pytest.raises(Conflict) as exc:
        veto_review(actor=assessors.analyst, veto_id=veto.pk, confirm=True)
    assert exc.value.code == "same_person"
    with pytest.raises(Conflict) as exc:
        grades_issue(actor=assessors.director, year=YEAR)
    assert exc.value.code == "veto_review_pending"
    veto_review(actor=assessors.director, veto_id=veto.pk, confirm=True)
    grades_issue(actor=assessors.director, year=YEAR)
    grade = Grade.objects.get(unit=tree.t1, year=YEAR)
    assert (grade.grade, grade.vetoed, grade.rank) == ("pass", True, 1)
    with pytest.raises(Conflict):
        veto_review(actor=assessors.director, veto_id=veto.pk, confirm=False)
