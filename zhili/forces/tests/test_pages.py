"""The pages of the forces without a browser: who gets the desk 处置力量 and what it offers,
and who gets the handheld's controls on the phone app /m/."""

from typing import Any

import pytest
from django.test import Client

from zhili.conftest import Tree
from zhili.core.roles import Role

pytestmark = pytest.mark.django_db


def test_a_townships_desk_offers_its_own_teams_only(
    client: Client, forces: Tree, personas: Tree
) -> None:
    client.force_login(personas.township)
    page = client.get("/forces/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="T1-GRID"' in html and "甲镇网格员队伍" in html
    assert "T2-GRID" not in html and "乙乡" not in html  # another township's team
    assert "T1-PATROL" not in html  # the county police's patrol, though it works in 甲镇
    assert 'href="/forces/"' in html  # in the navigation


@pytest.mark.parametrize(
    ("username", "status"), [("dispatcher", 200), ("leader", 200), ("gridworker", 403)]
)
def test_the_desk_is_for_those_who_see_forces(
    client: Client, forces: Tree, personas: Tree, username: str, status: int
) -> None:
    client.force_login(getattr(personas, username))
    answer = client.get("/forces/")
    assert answer.status_code == status
    if status == 403:
        assert 'href="/forces/"' not in client.get("/").content.decode()


def test_the_handheld_controls_show_for_a_force_only(
    client: Client, forces: Tree, personas: Tree
) -> None:
    client.force_login(forces.hand)  # a grid worker who is force F-A
    html = client.get("/m/").content.decode()
    assert 'data-testid="duty-card"' in html and 'data-force="F-A"' in html
    assert 'data-testid="status-visiting"' in html and 'data-testid="status-offline"' not in html
    assert "mobile/duty.js" in html and 'data-testid="go-report"' in html
    client.force_login(personas.gridworker)  # a grid worker who is no force
    html = client.get("/m/").content.decode()
    assert 'data-testid="go-report"' in html
    assert "duty-card" not in html and "data-force=" not in html and "duty.js" not in html


def test_a_field_role_linked_to_a_force_gets_the_handheld_and_nothing_of_the_grids(
    client: Client, forces: Tree, tree: Tree, make_user: Any
) -> None:
    officer = make_user("officer", tree.gaj, Role.DEPARTMENT_HANDLER)
    forces.police.user = officer
    forces.police.save()
    client.force_login(officer)
    home = client.get("/m/")
    assert home.status_code == 200
    html = home.content.decode()
    assert 'data-force="F-P"' in html and 'data-testid="status-on_scene"' in html
    assert "tab-report" not in html and "go-report" not in html and "我的网格" not in html
    assert client.get("/m/report/").status_code == 403
    assert 'href="/m/"' in client.get("/").content.decode()  # the navigation offers it
    # The same role, no force: no phone app.
    client.force_login(make_user("clerk", tree.gaj, Role.DEPARTMENT_HANDLER))
    assert client.get("/m/").status_code == 403
    assert 'href="/m/"' not in client.get("/").content.decode()
