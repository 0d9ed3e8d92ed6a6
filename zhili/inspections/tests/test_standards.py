"""分: a center scored against its level's standards, by itself or by inspectors; every gap a
rectification item (with the points lost when inspectors found it, none when the center
named it itself); guidance visits and training recorded."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from zhili.core.errors import Forbidden, InvalidInput
from zhili.inspections import standards
from zhili.inspections.models import CheckKind, Finding, Standard, StandardCheck
from zhili.inspections.standards import ScoreInput

pytestmark = pytest.mark.any_day


def full_marks(level: str, **short: str) -> dict[str, ScoreInput]:
    """Every standard of `level` at its points, but those named in `short` (code → points)."""
    return {
        s.code: ScoreInput(
            Decimal(short.get(s.code, s.points)), "窗口仅1人" if s.code in short else ""
        )
        for s in standards.standards_for(level)
    }


def test_an_inspectors_score_turns_each_gap_into_a_finding(people: Any, tree: Any) -> None:
    scores = full_marks("township", **{"t-stationed": "12", "t-grid": "15"})
    check = standards.standard_check(
        actor=people.director, unit_code=tree.t1.code, kind=CheckKind.INSPECTION, scores=scores
    )
    assert (check.total, check.full) == (Decimal("92.00"), Decimal("100.00"))
    rows = standards.check_scores(check)
    gaps = [r for r in rows if r.finding is not None]
    assert [r.standard.code for r in gaps] == ["t-stationed"]
    finding = gaps[0].finding
    assert finding.unit == tree.t1 and finding.deduction == Decimal("8.00")
    assert "窗口仅1人" in finding.problem and finding.unit_leader == "陈书记"
    assert timezone.localtime(finding.due_at).date() == timezone.localdate() + timedelta(days=30)


def test_a_self_assessment_names_its_gaps_without_deduction(people: Any, tree: Any) -> None:
    scores = full_marks("township", **{"t-systems": "15"})
    check = standards.standard_check(
        actor=people.secretary, unit_code=tree.t1.code, kind=CheckKind.SELF, scores=scores
    )
    finding = Finding.objects.get()
    assert finding.deduction == 0 and finding.issued_by is None
    assert check.total == Decimal("95.00")
    # Nobody self-assesses another center, nor scores as an inspector without the role.
    with pytest.raises(Forbidden):
        standards.standard_check(
            actor=people.director, unit_code=tree.t1.code, kind=CheckKind.SELF, scores=scores
        )
    with pytest.raises(Forbidden):
        standards.standard_check(
            actor=people.secretary, unit_code=tree.t1.code, kind=CheckKind.INSPECTION, scores=scores
        )


def test_a_village_is_held_to_the_village_standards(people: Any, tree: Any) -> None:
    check = standards.standard_check(
        actor=people.director,
        unit_code=tree.v11.code,
        kind=CheckKind.INSPECTION,
        scores=full_marks("village"),
    )
    assert {s.standard.level for s in check.scores.all()} == {"village"}
    assert (
        check.total == check.full == sum(s.points for s in Standard.objects.filter(level="village"))
    )
    assert not Finding.objects.exists()


def test_bad_scores_are_refused_naming_the_field(people: Any, tree: Any) -> None:
    scores = full_marks("township")
    missing = dict(scores)
    del missing["t-grid"]
    cases = {
        "scores.t-grid": missing,
        "scores.t-premises": scores | {"t-premises": ScoreInput(Decimal(16))},
        "scores.t-systems": scores | {"t-systems": ScoreInput("NaN")},  # type: ignore[arg-type]
        "scores": scores | {"v-premises": ScoreInput(Decimal(1))},
    }
    for field, given in cases.items():
        with pytest.raises(InvalidInput) as refused:
            standards.standard_check(
                actor=people.director, unit_code=tree.t1.code, kind="inspection", scores=given
            )
        assert refused.value.field == field
    with pytest.raises(InvalidInput) as refused:
        standards.standard_check(
            actor=people.director, unit_code=tree.gaj.code, kind="inspection", scores=scores
        )
    assert refused.value.field == "unit"  # a department is no center
    assert not StandardCheck.objects.exists()


def test_guidance_and_training_recorded(people: Any, tree: Any) -> None:
    today = timezone.localdate()
    visit = standards.guidance_record(
        actor=people.director,
        unit_code=tree.t1.code,
        kind="training",
        on=today,
        topic="矛盾纠纷调解实务培训",
        content="讲授调解协议书制作",
        attendees=23,
    )
    assert list(standards.guidance_list(user=people.secretary)) == [visit]
    assert not standards.guidance_list(user=people.t2_officer).exists()
    with pytest.raises(InvalidInput) as refused:
        standards.guidance_record(
            actor=people.director,
            unit_code=tree.t1.code,
            kind="training",
            on=today + timedelta(days=1),
            topic="x",
            content="y",
        )
    assert refused.value.field == "on"
    with pytest.raises(Forbidden):
        standards.guidance_record(
            actor=people.secretary,
            unit_code=tree.t1.code,
            kind="guidance",
            on=today,
            topic="x",
            content="y",
        )


def test_standards_through_the_api_and_the_pages(client: Any, people: Any, tree: Any) -> None:
    from zhili.cases.tests.test_api import error, get, post

    listed = get(client, people.secretary, "/api/v1/standards?level=village").json()
    assert {s["level"] for s in listed} == {"village"} and len(listed) == 4
    body = {
        "unit": tree.t1.code,
        "kind": "inspection",
        "scores": [
            {"code": code, "points": str(s.points), "note": s.note}
            for code, s in full_marks("township", **{"t-grid": "10"}).items()
        ],
    }
    made = post(client, people.director, "/api/v1/standard-checks", body)
    assert made.status_code == 201, made.content
    gaps = [s for s in made.json()["scores"] if s["finding"]]
    assert [g["code"] for g in gaps] == ["t-grid"]
    assert get(client, people.secretary, gaps[0]["finding_url"]).status_code == 200
    bad = body | {"scores": body["scores"][:-1]}
    error(
        post(client, people.director, "/api/v1/standard-checks", bad), 422, field="scores.t-systems"
    )

    client.force_login(people.secretary)
    page = client.get(f"/inspections/standards/check/?unit={tree.t1.code}&kind=self")
    assert page.status_code == 200 and "t-grid" in page.content.decode()
    form = {f"points-{s.code}": str(s.points) for s in standards.standards_for("township")}
    refused = client.post(
        f"/inspections/standards/check/?unit={tree.t1.code}&kind=self",
        form | {"points-t-premises": "99"},
    )
    assert refused.status_code == 422 and "之间" in refused.content.decode()
    saved = client.post(f"/inspections/standards/check/?unit={tree.t1.code}&kind=self", form)
    assert saved.status_code == 302
    shown = client.get(saved["Location"]).content.decode()
    assert "100 / 100" in shown
    assert "建设标准与分类指导" in client.get("/inspections/standards/").content.decode()
