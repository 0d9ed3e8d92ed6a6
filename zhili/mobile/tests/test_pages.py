"""The pages, the manifest and the service worker of the installable app, and who gets in."""

import json

import pytest
from django.contrib.auth.models import Group
from django.templatetags.static import static

from zhili.core.roles import Role

PAGES = ["/m/", "/m/report/", "/m/cases/", "/m/patrols/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_open_for_the_grid_worker(phone, url):
    response = phone.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'rel="manifest" href="/m/manifest.webmanifest"' in html
    assert 'data-testid="tab-report"' in html


@pytest.mark.parametrize("url", PAGES)
def test_other_roles_get_the_forbidden_page(client, staff, url):
    client.force_login(staff.dispatcher)
    response = client.get(url)
    assert response.status_code == 403
    assert "网格员" in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_users_go_to_the_login_page(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/m/")


def test_the_report_form_offers_the_catalog_leaves(phone, catalog):
    html = phone.get("/m/report/").content.decode()
    assert f'value="{catalog.noise.code}"' in html and f'value="{catalog.lamp.code}"' in html
    assert f'value="{catalog.env.code}"' not in html  # a group, not a leaf
    assert 'capture="environment"' in html and 'accept="image/*"' in html


def test_manifest(client, db):
    response = client.get("/m/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "东海网格通"
    assert data["start_url"] == "/m/" and data["scope"] == "/m/"
    assert data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker(client, db):
    response = client.get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert json.dumps(static("mobile/outbox.js")) in body
    assert '"/m/report/"' in body and '"/m/offline/"' in body


def test_offline_page_needs_no_login(client, db):
    assert client.get("/m/offline/").status_code == 200


def test_navigation_entry_for_grid_workers_only(client, staff):
    client.force_login(staff.gridworker)
    assert "网格通（手机）" in client.get("/").content.decode()
    client.force_login(staff.dispatcher)
    assert "网格通（手机）" not in client.get("/").content.decode()


def test_patrols_in_the_admin(client, phone, workers, tree, make_user):
    from zhili.mobile.tests.test_patrols import post, start, walk

    pid, _ = start(phone, tree.g111.code)
    post(phone, f"/m/api/patrols/{pid}/points", {"points": walk(2)})
    admin = make_user("root", None, is_superuser=True, is_staff=True)
    Group.objects.get_or_create(name=Role.ADMIN)
    client.force_login(admin)
    listing = client.get("/admin/mobile/patrol/")
    assert listing.status_code == 200 and tree.g111.name in listing.content.decode()
    from zhili.mobile.models import Patrol

    patrol = Patrol.objects.get(client_id=pid)
    assert client.get(f"/admin/mobile/patrol/{patrol.pk}/change/").status_code == 200
