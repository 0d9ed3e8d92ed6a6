"""The 调解协议书's print page: the Word file's words on A4, on the same conditions (scope,
the reveal permission for the full ID numbers), every print audited."""

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from zhili.core.models import AuditLog
from zhili.core.roles import Role
from zhili.core.tests.papers import assert_same_words
from zhili.mediation.documents import PERSONAL_FIELDS
from zhili.mediation.models import Dispute
from zhili.mediation.tests.conftest import walk

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def prints(dispute: Dispute) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(
            action="personal_data.print",
            target_type="mediation.dispute",
            target_id=str(dispute.pk),
        )
    )


def test_the_agreement_prints_as_its_word_file(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    client = client_for(med.chair1)
    page = client.get(reverse("mediation:agreement_print", args=[dispute.number]))
    assert page.status_code == 200
    html = page.content.decode()
    applicant = dispute.parties.get(side="applicant")
    assert "人民调解协议书" in html and dispute.number in html and med.c1.name in html
    assert applicant.id_number in html  # the legal document, as the Word file
    assert 'class="sidenav"' not in html and "web/print.css" in html
    word = client.get(reverse("mediation:agreement", args=[dispute.number]))
    assert_same_words(html, word.content)
    [row] = prints(dispute)
    assert row.actor == med.chair1
    assert row.extra == {"document": "mediation.agreement", "fields": list(PERSONAL_FIELDS)}


def test_outside_the_committee_is_404_without_reveal_403(
    make_dispute: Any, med: Any, tree: Any
) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    url = reverse("mediation:agreement_print", args=[dispute.number])
    assert client_for(med.mediator2).get(url).status_code == 404  # 乙乡's mediator
    analyst = med.outsider
    analyst.organization = tree.county
    analyst.save()
    analyst.groups.add(Group.objects.get_or_create(name=Role.ANALYST)[0])
    assert (
        client_for(analyst).get(reverse("mediation:detail", args=[dispute.number])).status_code
        == 200
    )
    assert client_for(analyst).get(url).status_code == 403  # sees it, may not reveal
    assert prints(dispute) == []


def test_no_written_agreement_no_print(make_dispute: Any, med: Any) -> None:
    dispute = make_dispute()
    url = reverse("mediation:agreement_print", args=[dispute.number])
    assert client_for(med.chair1).get(url).status_code == 404
    assert prints(dispute) == []


def test_the_dossier_offers_print_beside_the_word_file(make_dispute: Any, med: Any) -> None:
    dispute = walk(make_dispute(), "agreed", med)
    html = client_for(med.chair1).get(reverse("mediation:detail", args=[dispute.number]))
    text = html.content.decode()
    assert reverse("mediation:agreement_print", args=[dispute.number]) in text
    assert reverse("mediation:agreement", args=[dispute.number]) in text
