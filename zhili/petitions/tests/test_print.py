"""The petition's documents on their print page (the 答复意见书 above all): the words of the
Word file on A4, scoped like the dossier, every print audited."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhili.core.models import AuditLog
from zhili.core.tests.papers import assert_same_words
from zhili.petitions.models import Petition
from zhili.petitions.tests.conftest import advance

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def prints(petition: Petition) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(
            action="personal_data.print",
            target_type="petitions.petition",
            target_id=str(petition.pk),
        )
    )


def test_the_reply_prints_as_its_word_file(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    client = client_for(staff.township)
    page = client.get(reverse("petitions:print", args=[petition.number, "reply"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "答复意见书" in html and petition.number in html and "王秀英" in html
    assert "五、复查途径" in html and petition.reply in html
    assert 'class="sidenav"' not in html and "web/print.css" in html
    word = client.get(reverse("petitions:document", args=[petition.number, "reply"]))
    assert_same_words(html, word.content)
    [row] = prints(petition)
    assert row.actor == staff.township
    assert row.extra == {"document": "petitions.reply", "fields": ["petitioner_name"]}


def test_each_notice_the_petition_reached_prints(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "accept")
    client = client_for(staff.petition)
    page = client.get(reverse("petitions:print", args=[petition.number, "acceptance"]))
    word = client.get(reverse("petitions:document", args=[petition.number, "acceptance"]))
    assert page.status_code == 200
    assert_same_words(page.content.decode(), word.content)
    # Not reached yet, or no such document: 404, and nothing audited for them.
    assert (
        client.get(reverse("petitions:print", args=[petition.number, "reply"])).status_code == 404
    )
    assert client.get(reverse("petitions:print", args=[petition.number, "x"])).status_code == 404
    assert [r.extra["document"] for r in prints(petition)] == ["petitions.acceptance"]


def test_another_township_gets_404_and_no_audit_row(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    url = reverse("petitions:print", args=[petition.number, "reply"])
    assert client_for(staff.township2).get(url).status_code == 404
    assert prints(petition) == []


def test_the_dossier_offers_print_beside_each_word_file(register: Any, staff: Any) -> None:
    petition = advance(register(), staff, "reply")
    html = client_for(staff.township).get(reverse("petitions:detail", args=[petition.number]))
    text = html.content.decode()
    for kind in ("acceptance", "reply"):
        assert reverse("petitions:print", args=[petition.number, kind]) in text
        assert reverse("petitions:document", args=[petition.number, kind]) in text
