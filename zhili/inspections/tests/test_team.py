"""A joint inspection's team is real: the staff of its units (县纪委监委, 县委组织部 ...) see the
inspection and its findings, record findings and re-check them, so a finding against the
county center itself can be re-checked by someone outside it and struck off. The team gives
sight of its own inspections only, and the independence of the 复查 still holds."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhili.cases.tests.test_api import get, post
from zhili.conftest import Tree, make_org
from zhili.core.errors import Forbidden, NotFound
from zhili.core.roles import Role
from zhili.inspections import selectors, services, workflow
from zhili.inspections.models import Finding, FindingState, Inspection
from zhili.inspections.tests.conftest import finding_input, photo

pytestmark = pytest.mark.any_day


@pytest.fixture
def bodies(tree: Any, make_user: Any) -> Tree:
    """The county's 纪委监委 and 组织部 (committees hung under the county center in the tree),
    one member of each holding the role of a unit's head, who sees inspections."""
    jw = make_org("320722-JWJW", "县纪委监委", "committee", "county", tree.county)
    zz = make_org("320722-ZZB", "县委组织部", "committee", "county", tree.county)
    return Tree(
        jw=jw,
        zz=zz,
        jw_member=make_user("jw", jw, Role.UNIT_HEAD, full_name="纪检组长"),
        zz_member=make_user("zz", zz, Role.UNIT_HEAD, full_name="组织科长"),
    )


def _joint(people: Any, team: list[str], targets: list[str], title: str) -> Inspection:
    today = timezone.localdate()
    return services.inspection_create(
        actor=people.director,
        data=services.InspectionInput(
            kind="joint",
            title=title,
            basis="",
            starts_on=today,
            ends_on=today + timedelta(days=5),
            team=team,
            targets=targets,
        ),
    )


@pytest.fixture
def joint(people: Any, tree: Any, bodies: Tree) -> Inspection:
    """The county center inspected with 纪委监委 and 组织部 on the team, itself among the targets."""
    team = [tree.county.code, bodies.jw.code, bodies.zz.code]
    return _joint(people, team, [tree.county.code, tree.t1.code], "综治中心作风建设联合督查")


def test_a_jwjw_member_rechecks_a_finding_against_the_county_center_to_strike_off(
    people: Any, tree: Any, bodies: Tree, joint: Inspection
) -> None:
    member = bodies.jw_member
    assert selectors.inspection_get(user=member, number=joint.number) == joint
    # The member records the finding (the center stays the inspection's organiser).
    finding = services.finding_issue(
        actor=member,
        inspection=joint,
        data=finding_input(tree, unit=tree.county.code, unit_leader="周主任"),
        center=joint.center,
    )
    assert selectors.finding_get(user=member, number=finding.number) == finding
    finding = services.finding_report(
        actor=people.dispatcher, finding=finding, report="已整改", evidence=[photo()]
    )
    # Nobody of the county center re-checks its own rectification, team member or not (the
    # dispatcher's unit is on the team too); the member of 纪委监委 may.
    for own in (people.leader, people.director, people.analyst, people.dispatcher):
        with pytest.raises(Forbidden):
            services.finding_pass(actor=own, finding=finding)
    assert [t.name for t in services.actions_for(member, finding)] == ["pass", "fail"]
    finding = services.finding_pass(actor=member, finding=finding, note="现场复查到位")
    assert finding.state == FindingState.VERIFIED and finding.verified_by == member
    with pytest.raises(Forbidden):  # striking off stays the organising center's
        services.finding_close(actor=member, finding=finding)
    finding = services.finding_close(actor=people.director, finding=finding)
    assert finding.state == FindingState.CLOSED


def test_a_team_member_fails_a_recheck_and_the_ladder_climbs(
    people: Any, tree: Any, bodies: Tree, joint: Inspection
) -> None:
    finding = services.finding_issue(
        actor=people.director, inspection=joint, data=finding_input(tree), center=tree.county
    )
    finding = services.finding_report(
        actor=people.secretary, finding=finding, report="已整改", evidence=[photo()]
    )
    later = timezone.localdate() + timedelta(days=10)
    finding = services.finding_fail(
        actor=bodies.zz_member, finding=finding, reason="台账仍不全", due_on=later
    )
    assert (finding.state, finding.failures, finding.ladder) == (FindingState.ISSUED, 1, "circular")


def test_the_team_gives_sight_of_its_own_inspections_only(
    people: Any, tree: Any, bodies: Tree, joint: Inspection, inspection: Inspection
) -> None:
    """`inspection` (the fixture's) has the county center and the police on its team, not
    纪委监委: its member sees neither it nor its findings, records nothing in it, re-checks
    nothing of it."""
    other = services.finding_issue(
        actor=people.director, inspection=inspection, data=finding_input(tree), center=tree.county
    )
    ours = services.finding_issue(
        actor=people.director, inspection=joint, data=finding_input(tree), center=tree.county
    )
    member = bodies.jw_member
    assert list(selectors.inspection_list(user=member)) == [joint]
    assert set(selectors.finding_list(user=member)) == {ours}
    with pytest.raises(NotFound):
        selectors.inspection_get(user=member, number=inspection.number)
    with pytest.raises(NotFound):
        selectors.finding_get(user=member, number=other.number)
    with pytest.raises(Forbidden):
        services.finding_issue(
            actor=member, inspection=inspection, data=finding_input(tree), center=tree.county
        )
    other = services.finding_report(
        actor=people.secretary, finding=other, report="已整改", evidence=[photo()]
    )
    with pytest.raises(NotFound):
        services.finding_pass(actor=member, finding=other)
    # The counts of the list are the member's: every finding of the team's inspection.
    [row] = selectors.inspection_list(user=member)
    assert (row.finding_count, row.open_count) == (1, 1)


def test_membership_is_the_units_own_not_its_subtree(
    people: Any, tree: Any, bodies: Tree, joint: Inspection
) -> None:
    """The county center is on the team: a township's staff below it in the tree are not
    members (they still see what concerns their own township)."""
    finding = services.finding_issue(
        actor=people.director,
        inspection=joint,
        data=finding_input(tree, unit=tree.county.code),
        center=tree.county,
    )
    assert not workflow.on_team(people.t2_officer, joint.pk)
    assert not selectors.finding_list(user=people.t2_officer).filter(pk=finding.pk).exists()
    with pytest.raises(Forbidden):
        services.finding_issue(
            actor=people.t2_officer, inspection=joint, data=finding_input(tree), center=tree.county
        )


def test_who_is_inside_a_unit(people: Any, tree: Any, bodies: Tree, make_user: Any) -> None:
    """The county center's own staff are those in it and in the bodies housed in it; the
    county's committees and departments under it in the tree are units of their own; a
    township's villages are the township's."""
    petition = make_user("xf", tree.xfjd, Role.PETITION_OFFICER)
    assert workflow.inside_unit(people.director, tree.county)
    assert workflow.inside_unit(petition, tree.county)
    assert not workflow.inside_unit(bodies.jw_member, tree.county)
    assert not workflow.inside_unit(people.police, tree.county)
    assert workflow.inside_unit(people.village, tree.t1)
    assert not workflow.inside_unit(people.t2_officer, tree.t1)


def test_a_team_member_through_the_api_and_the_pages(
    client: Any, people: Any, tree: Any, bodies: Tree, joint: Inspection, inspection: Inspection
) -> None:
    member = bodies.jw_member
    listed = get(client, member, "/api/v1/inspections").json()
    assert [i["number"] for i in listed["items"]] == [joint.number]
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    body = {
        "unit": tree.county.code,
        "problem": "值班记录缺失",
        "requirement": "补齐值班记录",
        "due_on": due,
        "unit_leader": "周主任",
    }
    made = post(client, member, f"/api/v1/inspections/{joint.number}/findings", body)
    assert made.status_code == 201, made.content
    number = made.json()["number"]
    assert Finding.objects.get(number=number).center == joint.center
    refused = post(client, member, f"/api/v1/inspections/{inspection.number}/findings", body)
    assert refused.status_code == 404
    client.force_login(member)
    page = client.get(f"/inspections/{joint.number}/").content.decode()
    assert 'data-testid="finding-form"' in page and number in page
    assert client.get(f"/inspections/{inspection.number}/").status_code == 404
    client.force_login(people.secretary)  # inspected, not on the team: sees, records nothing
    assert (
        'data-testid="finding-form"'
        not in client.get(f"/inspections/{joint.number}/").content.decode()
    )
    assert client.post(f"/inspections/{joint.number}/", body).status_code == 403
