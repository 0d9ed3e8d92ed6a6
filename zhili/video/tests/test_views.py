"""The staff page 监控点位: scoped, filtered, paged, behind cameras.view."""

from django.test import Client

from zhili.conftest import Tree


def test_the_list_shows_what_the_user_sees(client: Client, personas: Tree, cameras: Tree) -> None:
    client.force_login(personas.village)
    body = client.get("/video/cameras/").content.decode()
    assert cameras.a.code in body and cameras.b.code in body
    assert cameras.c.code not in body and cameras.d.code not in body
    assert "共 2 个点位" in body
    assert "监控点位" in body


def test_filters_and_htmx_fragment(client: Client, personas: Tree, cameras: Tree) -> None:
    client.force_login(personas.dispatcher)
    body = client.get("/video/cameras/?kind=lookout&status=bogus").content.decode()
    assert cameras.d.code in body and cameras.a.code not in body
    fragment = client.get("/video/cameras/?q=点位01", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="camera-list"') and cameras.a.code in fragment


def test_without_the_action_it_is_403_and_not_in_the_menu(
    client: Client, personas: Tree, cameras: Tree
) -> None:
    client.force_login(personas.gridworker)
    assert client.get("/video/cameras/").status_code == 403
    assert "/video/cameras/" not in client.get("/").content.decode()
    client.force_login(personas.township)
    assert "/video/cameras/" in client.get("/").content.decode()


def test_the_township_filter_shows_only_where_there_is_a_choice(
    client: Client, personas: Tree, cameras: Tree
) -> None:
    client.force_login(personas.dispatcher)
    assert 'data-testid="filter-township"' in client.get("/video/cameras/").content.decode()
    client.force_login(personas.township)
    assert 'data-testid="filter-township"' not in client.get("/video/cameras/").content.decode()
