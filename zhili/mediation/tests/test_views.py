"""The mediation pages through the test client: scope, masks, actions, downloads."""

from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from zhili.core.models import AuditLog
from zhili.core.personal import mask_id_number
from zhili.mediation.models import Dispute, DisputeState
from zhili.mediation.reports.tests.conftest import world  # noqa: F401  (fixture)
from zhili.mediation.tests.conftest import id_number, walk

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_is_scoped_and_filters(make_dispute: Any, med: Any) -> None:
    mine = make_dispute()
    theirs = make_dispute(actor=med.mediator2, title="乙乡土地纠纷", kind="land_forest")
    page = client_for(med.mediator1).get(reverse("mediation:list"))
    assert page.status_code == 200
    assert mine.number in page.text and theirs.number not in page.text
    county = client_for(med.leader)
    assert theirs.number in county.get(reverse("mediation:list")).text
    filtered = county.get(reverse("mediation:list"), {"kind": "land_forest"}).text
    assert theirs.number in filtered and mine.number not in filtered
    bad = county.get(reverse("mediation:list"), {"committee": "x", "page": "z"})
    assert bad.status_code == 200  # dropped filters: the whole list
    # A bad month would silently widen the list: a 422 saying so, at the field (issue 11).
    bad = county.get(reverse("mediation:list"), {"month": "2026-13", "committee": "x"})
    assert bad.status_code == 422
    assert 'data-testid="filter-month-error"' in bad.text and "YYYY-MM" in bad.text


def test_register_page_creates_and_reports_field_errors(med: Any) -> None:
    client = client_for(med.mediator1)
    form = {
        "committee": str(med.c1.pk),
        "title": "婚后彩礼返还纠纷",
        "kind": "marriage_family",
        "source": "application",
        "scale": "ordinary",
        "people_count": "2",
        "summary": "双方登记结婚不足一年，女方离家，男方要求返还彩礼。",
        "a_kind": "person",
        "a_name": "刘强",
        "a_id_number": "320722198001011230",  # wrong check digit
        "r_kind": "person",
        "r_name": "何丽",
    }
    refused = client.post(reverse("mediation:register"), form)
    assert refused.status_code == 422 and "校验位" in refused.text
    assert 'data-testid="error-a_id_number"' in refused.text
    form["a_id_number"] = id_number()
    created = client.post(reverse("mediation:register"), form)
    dispute = Dispute.objects.get(title="婚后彩礼返还纠纷")
    assert created.status_code == 302 and created.url == reverse(
        "mediation:detail", args=[dispute.number]
    )
    assert dispute.parties.count() == 2


def test_detail_masks_and_reveal_is_audited(make_dispute: Any, med: Any) -> None:
    dispute = make_dispute()
    client = client_for(med.mediator1)
    page = client.get(reverse("mediation:detail", args=[dispute.number]))
    full = id_number()
    assert full not in page.text and mask_id_number(full) in page.text
    assert "13912345678" not in page.text
    applicant = dispute.parties.get(side="applicant")
    url = reverse("mediation:reveal", args=[dispute.number, applicant.pk, "id_number"])
    revealed = client.post(url, HTTP_HX_REQUEST="true")
    assert full in revealed.text
    assert AuditLog.objects.filter(action="personal_data.reveal").count() == 1
    other = client_for(med.mediator2)
    assert other.get(reverse("mediation:detail", args=[dispute.number])).status_code == 404
    assert other.post(url).status_code == 404


def test_actions_show_only_what_the_user_may_do(make_dispute: Any, med: Any) -> None:
    dispute = make_dispute()
    url = reverse("mediation:detail", args=[dispute.number])
    mediator_page = client_for(med.mediator1).get(url).text
    chair_page = client_for(med.chair1).get(url).text
    assert 'data-testid="action-consent"' in mediator_page
    assert 'data-testid="action-accept"' not in mediator_page  # chair only, and not yet consented
    assert 'data-testid="action-decline"' in chair_page
    secretary = client_for(med.secretary1).get(url).text
    assert "您当前没有可对该纠纷执行的操作" in secretary


def test_htmx_action_round_trip(make_dispute: Any, med: Any) -> None:
    dispute = make_dispute()
    client = client_for(med.mediator1)
    act = reverse("mediation:act", args=[dispute.number, "consent"])
    opened = client.get(act, HTTP_HX_REQUEST="true")
    assert 'data-testid="action-form-consent"' in opened.text
    party = dispute.parties.get(side="respondent")
    refused = client.post(act, {"party": party.pk, "consent": "refused"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "告知书" in refused.text and "仲裁" in refused.text
    dispute.refresh_from_db()
    assert dispute.state == DisputeState.NOT_MEDIATED
    wrong = client.post(
        reverse("mediation:act", args=[dispute.number, "start"]), {}, HTTP_HX_REQUEST="true"
    )
    assert wrong.status_code in (403, 409)
    missing = client.post(reverse("mediation:act", args=[dispute.number, "fly"]), {})
    assert missing.status_code == 404


def test_session_form_errors_come_back_beside_the_field(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "mediating", med)
    client = client_for(med.mediator1)
    act = reverse("mediation:act", args=[dispute.number, "session"])
    response = client.post(act, {"mode": "in_person", "record": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and 'data-testid="error-record"' in response.text


def test_agreement_download(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    response = client_for(med.chair1).get(reverse("mediation:agreement", args=[dispute.number]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert "张建华" in text and "疏通排水沟" in text
    none_yet = make_dispute()
    missing = client_for(med.chair1).get(reverse("mediation:agreement", args=[none_yet.number]))
    assert missing.status_code == 404


def test_boards_render(make_dispute: Any, med: Any) -> None:
    walk(make_dispute(), "agreed", med)
    client = client_for(med.chair1)
    confirmations = client.get(reverse("mediation:confirmations"))
    assert confirmations.status_code == 200 and "申请期限内" in confirmations.text
    committees = client.get(reverse("mediation:committees"))
    assert committees.status_code == 200 and med.c1.name in committees.text
    assert med.c2.name not in committees.text
    detail = client.get(reverse("mediation:committee", args=[med.c1.pk]))
    assert detail.status_code == 200 and 'data-testid="member-form"' in detail.text
    added = client.post(
        reverse("mediation:committee", args=[med.c1.pk]),
        {"form": "room", "r-name": "甲镇第二调解室", "r-address": "甲镇政府一楼"},
    )
    assert added.status_code == 302 and med.c1.rooms.filter(name="甲镇第二调解室").exists()
    assert client.get(reverse("mediation:committee", args=[med.c2.pk])).status_code == 404
    assert client_for(med.police).get(reverse("mediation:alerts")).status_code == 200
    assert client_for(med.police).get(reverse("mediation:list")).status_code == 403


def test_the_disputes_of_a_unit_and_below_by_conclusion_and_outcome(
    world: Any,  # noqa: F811
    tree: Any,
) -> None:
    """The assessment's 调解成功率 links: `within` a unit (its committees' and those under it),
    concluded on the days (`concluded_from`, `concluded_to`), by `outcome` (`mediated`: with an
    agreement or without)."""
    from zhili.mediation.reports.tests.conftest import at
    from zhili.mediation.reports.tests.conftest import make_dispute as made

    made(world.c1, outcome="agreement", outcome_at=at(2026, 11, 3))
    made(world.c11, outcome="no_agreement", outcome_at=at(2026, 11, 4))
    made(world.c1, outcome="refused", outcome_at=at(2026, 11, 5))
    made(world.c2, outcome="agreement", outcome_at=at(2026, 11, 5))
    made(world.c1, outcome="agreement", outcome_at=at(2026, 10, 31, 23))
    made(world.c1)  # under way
    county = client_for(world.county_chair)
    nov = {"concluded_from": "2026-11-01", "concluded_to": "2026-11-30"}

    def listed(**query: Any) -> int:
        page = county.get(reverse("mediation:list"), query)
        assert page.status_code == 200
        return page.context["page"].paginator.count

    assert listed(within=tree.t1.code, outcome="mediated", **nov) == 2
    assert listed(within=tree.t1.code, outcome="agreement", **nov) == 1
    assert listed(within=tree.t1.code, outcome="no_agreement", **nov) == 1
    assert listed(within=tree.t1.code, **nov) == 3
    assert listed(within=tree.county.code, outcome="mediated", **nov) == 3
    assert listed(within=tree.t1.code, outcome="agreement") == 2  # October's too
    assert listed(within="NOPE") == 0
    assert listed(outcome="won", concluded_from="yesterday") == 6  # dropped
