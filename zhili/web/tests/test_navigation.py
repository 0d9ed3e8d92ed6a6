"""The navigation shows an entry only where the user has something to open (issue 12 item 2:
every navigation link answers 200 for the role it is shown to)."""

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def labels(user: Any) -> list[str]:
    client = Client()
    client.force_login(user)
    sections = client.get("/").context["nav_sections"]
    return [item["label"] for items in sections.values() for item in items]


def test_the_rota_is_offered_only_to_who_sees_a_rota(personas: Any) -> None:
    # A department's handler views petitions but keeps no rota and sees none (a 404 before).
    assert "信访事项" in labels(personas.police) and "领导接访日历" not in labels(personas.police)
    for who in (personas.petition, personas.township, personas.leader):
        assert "领导接访日历" in labels(who)
        client = Client()
        client.force_login(who)
        assert client.get("/receptions/rota/").status_code == 200
