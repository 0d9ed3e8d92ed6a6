"""A finding's rectification: issued with its notice, reported with evidence, re-checked by
someone independent of the unit, struck off; a failed re-check reopens it and climbs the
ladder; an extension only by a request before the deadline; every finding takes points off."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from zhili.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from zhili.core.models import AuditLog, OutboxEvent
from zhili.core.roles import Role
from zhili.inspections import selectors, services
from zhili.inspections.models import (
    Admonition,
    Circular,
    Finding,
    FindingState,
    Inspection,
    Ladder,
)
from zhili.inspections.tests.conftest import finding_input, photo

pytestmark = pytest.mark.any_day


def _report(people: Any, finding: Finding) -> Finding:
    return services.finding_report(
        actor=people.secretary, finding=finding, report="已补齐台账并建档", evidence=[photo()]
    )


def penalties(finding: Finding) -> list[tuple[int, str]]:
    rows = OutboxEvent.objects.filter(name="inspections.finding_penalized").order_by("id")
    return [
        (r.payload["round"], r.payload["points"])
        for r in rows
        if r.payload["finding_id"] == finding.pk
    ]


def test_the_whole_rectification_reaches_strike_off(finding: Finding, people: Any) -> None:
    assert finding.number.startswith(f"ZG{timezone.localdate().year}-")
    assert finding.state == FindingState.ISSUED
    finding = _report(people, finding)
    assert finding.state == FindingState.REPORTED and finding.evidence.count() == 1
    finding = services.finding_pass(actor=people.leader, finding=finding, note="台账齐全")
    assert finding.state == FindingState.VERIFIED and finding.verified_by == people.leader
    finding = services.finding_close(actor=people.director, finding=finding)
    assert finding.state == FindingState.CLOSED
    actions = list(finding.events.order_by("id").values_list("action", flat=True))
    assert actions == ["issue", "report", "pass", "close"]
    audited = AuditLog.objects.filter(
        target_id=str(finding.pk), action__startswith="inspections.finding."
    )
    assert list(audited.order_by("id").values_list("action", flat=True)) == [
        f"inspections.finding.{a}" for a in actions
    ]
    assert penalties(finding) == [(0, "-1.00")]


def test_no_strike_off_without_an_independent_verifier(finding: Finding, people: Any) -> None:
    finding = _report(people, finding)
    # 甲镇's own center director may re-check elsewhere, never his own township's work.
    with pytest.raises(Forbidden):
        services.finding_pass(actor=people.t1_director, finding=finding)
    # Being a superuser does not make one independent.
    people.t1_director.is_superuser = True
    with pytest.raises(Forbidden):
        services.finding_pass(actor=people.t1_director, finding=finding)
    # Striking off before a re-check is refused by state; and the guard stands behind it.
    with pytest.raises(Conflict):
        services.finding_close(actor=people.director, finding=finding)
    Finding.objects.filter(pk=finding.pk).update(state=FindingState.VERIFIED)
    finding.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        services.finding_close(actor=people.director, finding=finding)
    assert refused.value.code == "not_verified"


def test_the_county_center_cannot_verify_its_own_finding(
    people: Any, inspection: Inspection, tree: Any
) -> None:
    inspection.targets.add(tree.county)
    finding = services.finding_issue(
        actor=people.director,
        inspection=inspection,
        data=finding_input(tree, unit=tree.county.code, unit_leader="周主任"),
        center=tree.county,
    )
    finding = services.finding_report(
        actor=people.dispatcher, finding=finding, report="已整改", evidence=[photo()]
    )
    for verifier in (people.leader, people.director, people.analyst):  # all of the county center
        with pytest.raises(Forbidden):
            services.finding_pass(actor=verifier, finding=finding)


def test_the_reporter_never_verifies(
    finding: Finding, people: Any, tree: Any, make_user: Any
) -> None:
    both = make_user("both", tree.t1, Role.TOWNSHIP_OFFICER, Role.ANALYST)
    finding = services.finding_report(
        actor=both, finding=finding, report="已整改", evidence=[photo()]
    )
    both.organization = tree.county  # moved to the county center after writing the report
    both.save()
    with pytest.raises(Forbidden):
        services.finding_pass(actor=both, finding=finding)
    assert services.finding_pass(actor=people.leader, finding=finding).state == "verified"


def test_a_failed_recheck_reopens_and_climbs_the_ladder(finding: Finding, people: Any) -> None:
    later = timezone.localdate() + timedelta(days=20)
    rungs = []
    for _ in range(4):
        finding = _report(people, finding)
        finding = services.finding_fail(
            actor=people.leader, finding=finding, reason="台账仍缺2件", due_on=later
        )
        assert finding.state == FindingState.ISSUED
        rungs.append(finding.ladder)
    assert rungs == [Ladder.CIRCULAR, Ladder.KEY, Ladder.ADMONITION, Ladder.ADMONITION]
    finding.refresh_from_db()
    assert finding.failures == 4 and finding.key_supervision
    assert timezone.localtime(finding.due_at).date() == later
    circular = Circular.objects.get(finding=finding)
    assert "整改不到位" in circular.title
    assert set(circular.receipts.values_list("unit__code", flat=True)) == {
        finding.unit.code,
        *finding.inspection.targets.values_list("code", flat=True),
    }
    heads = list(Admonition.objects.filter(finding=finding).values_list("head", flat=True))
    assert heads == ["陈书记", "陈书记"]
    # The negative list: the finding's point, then twice that at each failed re-check.
    assert penalties(finding) == [(0, "-1.00"), *((n, "-2.00") for n in range(1, 5))]


def test_a_report_needs_its_text_and_evidence(finding: Finding, people: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.finding_report(actor=people.secretary, finding=finding, report=" ")
    assert refused.value.field == "report"
    with pytest.raises(InvalidInput) as refused:
        services.finding_report(actor=people.secretary, finding=finding, report="已整改")
    assert refused.value.field == "evidence"
    assert Finding.objects.get(pk=finding.pk).state == FindingState.ISSUED


def test_an_extension_only_by_a_request_before_the_deadline(finding: Finding, people: Any) -> None:
    due = timezone.localtime(finding.due_at).date()
    finding = services.finding_request_extension(
        actor=people.secretary, finding=finding, extend_to=due + timedelta(days=7), reason="需采购"
    )
    assert finding.state == FindingState.EXTENSION
    finding = services.finding_approve_extension(actor=people.director, finding=finding)
    assert timezone.localtime(finding.due_at).date() == due + timedelta(days=7)
    with time_machine.travel(finding.due_at + timedelta(minutes=1)):
        with pytest.raises(Conflict) as refused:
            services.finding_request_extension(
                actor=people.secretary,
                finding=finding,
                extend_to=due + timedelta(days=30),
                reason="再延",
            )
        assert refused.value.code == "deadline_passed"
        assert (
            selectors.finding_list(
                user=people.director, filters=selectors.FindingFilters(late=True)
            )
            .filter(pk=finding.pk)
            .exists()
        )


def test_an_extension_request_is_checked(finding: Finding, people: Any) -> None:
    due = timezone.localtime(finding.due_at).date()
    with pytest.raises(InvalidInput) as refused:
        services.finding_request_extension(
            actor=people.secretary, finding=finding, extend_to=due, reason="需采购"
        )
    assert refused.value.field == "extend_to"
    finding = services.finding_request_extension(
        actor=people.secretary, finding=finding, extend_to=due + timedelta(days=3), reason="需采购"
    )
    finding = services.finding_refuse_extension(
        actor=people.director, finding=finding, reason="台账补录无需延期"
    )
    assert finding.state == FindingState.ISSUED
    assert timezone.localtime(finding.due_at).date() == due


def test_who_sees_and_who_acts(finding: Finding, people: Any, tree: Any) -> None:
    seen = {
        name: selectors.finding_list(user=getattr(people, name)).filter(pk=finding.pk).exists()
        for name in ("leader", "director", "secretary", "t2_officer", "village", "police")
    }
    assert seen == {
        "leader": True,
        "director": True,
        "secretary": True,
        "t2_officer": False,
        "village": False,  # 甲一村 is below 甲镇, the finding is the township's
        "police": True,  # on the inspection's team
    }
    with pytest.raises(NotFound):
        services.finding_report(
            actor=people.t2_officer, finding=finding, report="x", evidence=[photo()]
        )
    with pytest.raises(Forbidden):  # the inspector does not write the unit's report
        services.finding_report(
            actor=people.director, finding=finding, report="x", evidence=[photo()]
        )
    with pytest.raises(Forbidden):
        services.finding_issue(
            actor=people.secretary,
            inspection=finding.inspection,
            data=finding_input(tree),
            center=finding.center,
        )


def test_bad_findings_are_refused_naming_the_field(
    people: Any, inspection: Inspection, tree: Any
) -> None:
    cases = {
        "unit": finding_input(tree, unit=tree.gaj.code),  # not inspected
        "due_on": finding_input(tree, due_on=timezone.localdate() - timedelta(days=1)),
        "problem": finding_input(tree, problem=""),
        "deduction": finding_input(tree, deduction=Decimal(-1)),
        "item": finding_input(tree, item=999999),
    }
    for field, data in cases.items():
        with pytest.raises(InvalidInput) as refused:
            services.finding_issue(
                actor=people.director, inspection=inspection, data=data, center=tree.county
            )
        assert refused.value.field == field
    assert not Finding.objects.exists()
