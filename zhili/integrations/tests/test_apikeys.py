"""API keys: created by administrators (page and command), shown once, stored hashed, scoped
to one channel, revocable, and every use audited."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhili.core.errors import Conflict, Forbidden, InvalidInput
from zhili.core.models import AuditLog
from zhili.integrations.auth import ApiKeyAuth
from zhili.integrations.models import ApiKey
from zhili.integrations.services import apikey_create, apikey_revoke, apikey_use, key_digest

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_hashed_and_works_for_its_channel_only(personas):
    key, raw = apikey_create(actor=personas.admin, channel="hotline", name="市12345平台")
    assert raw.startswith("zk_") and raw not in {key.digest, key.prefix}
    assert key.digest == key_digest(raw) and raw.startswith(key.prefix)
    assert apikey_use(raw, channel="hotline") == key
    assert apikey_use(raw, channel="emergency") is None
    assert apikey_use(raw + "x") is None and apikey_use("") is None
    uses = AuditLog.objects.filter(action="integrations.apikey.use")
    assert uses.count() == 1 and uses.get().target_id == str(key.pk)
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_revoked_keys_stop_working(personas):
    key, raw = apikey_create(actor=personas.admin, channel="open311", name="Open311 客户端")
    apikey_revoke(actor=personas.admin, key=key)
    assert apikey_use(raw) is None
    with pytest.raises(Conflict):
        apikey_revoke(actor=personas.admin, key=key)


def test_only_administrators_manage_keys_and_input_is_checked(personas):
    with pytest.raises(Forbidden):
        apikey_create(actor=personas.dispatcher, channel="hotline", name="x")
    with pytest.raises(InvalidInput) as bad:
        apikey_create(actor=personas.admin, channel="fax", name="x")
    assert bad.value.field == "channel"
    with pytest.raises(InvalidInput) as empty:
        apikey_create(actor=personas.admin, channel="hotline", name="  ")
    assert empty.value.field == "name"
    assert not ApiKey.objects.exists()


def test_the_command_prints_the_key_once_and_revokes(db):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "apikey", "create", "--channel", "emergency", "--name", "110联动", stdout=out, stderr=err
    )
    raw = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert key.digest == key_digest(raw) and "只显示这一次" in err.getvalue()
    listing = io.StringIO()
    call_command("apikey", "list", stdout=listing)
    assert key.prefix in listing.getvalue() and raw not in listing.getvalue()
    call_command("apikey", "revoke", key.prefix, stdout=io.StringIO())
    assert apikey_use(raw) is None


def test_the_whoami_endpoint_takes_the_key_in_the_header_or_the_parameter(personas, client):
    key, raw = apikey_create(actor=personas.admin, channel="hotline", name="市12345平台")
    by_header = client.get("/api/v1/integrations/whoami", headers={"X-Api-Key": raw})
    assert by_header.status_code == 200
    assert by_header.json() == {"name": "市12345平台", "channel": "hotline", "prefix": key.prefix}
    assert client.get(f"/api/v1/integrations/whoami?api_key={raw}").status_code == 200
    refused = client.get("/api/v1/integrations/whoami", headers={"X-Api-Key": "zk_wrong"})
    assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"


def test_a_channel_scoped_auth_refuses_another_channels_key(personas, rf):
    _key, raw = apikey_create(actor=personas.admin, channel="hotline", name="市12345平台")
    request = rf.get("/", headers={"X-Api-Key": raw})
    assert ApiKeyAuth(channel="emergency")(request) is None
    assert ApiKeyAuth(channel="hotline")(request) is not None


def test_the_page_creates_shows_once_and_revokes(personas):
    client = Client()
    client.force_login(personas.admin)
    assert client.get(reverse("integrations:keys")).status_code == 200
    created = client.post(
        reverse("integrations:keys"), {"name": "数字城管", "channel": "city_management"}
    )
    raw = created.context["created"]
    assert raw and raw in created.content.decode()
    key = ApiKey.objects.get()
    again = client.get(reverse("integrations:keys")).content.decode()
    assert raw not in again and key.prefix in again
    bad = client.post(reverse("integrations:keys"), {"name": "", "channel": "city_management"})
    assert bad.status_code == 400 and 'data-testid="error-name"' in bad.content.decode()
    client.post(reverse("integrations:revoke", args=[key.pk]))
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_page_is_for_administrators(personas):
    client = Client()
    client.force_login(personas.dispatcher)
    assert client.get(reverse("integrations:keys")).status_code == 403
