"""Push sources: created and rotated by the command (secret printed once), listed and shown
masked on the page; a rotated secret stops the old one at once."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhili.integrations.models import PushSource
from zhili.integrations.tests.conftest import order_body, signed_post

pytestmark = pytest.mark.django_db


def test_the_command_creates_lists_and_rotates(catalog, fallback, rules, client):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "pushsource",
        "create",
        "--channel",
        "emergency",
        "--name",
        "110指挥中心",
        "--fallback",
        "QT",
        "--callback-url",
        "https://110.example.cn/reply",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    source = PushSource.objects.get()
    assert source.secret == secret and "只显示这一次" in err.getvalue()
    assert source.default_urgency == "urgent" and source.fallback_category == fallback
    listing = io.StringIO()
    call_command("pushsource", "list", stdout=listing)
    assert source.secret_masked in listing.getvalue() and secret not in listing.getvalue()

    rotated = io.StringIO()
    call_command(
        "pushsource", "rotate", "--channel", "emergency", stdout=rotated, stderr=io.StringIO()
    )
    new = rotated.getvalue().strip()
    assert new != secret
    body = json.dumps(order_body()).encode()
    assert signed_post(client, "emergency", secret, body).status_code == 401
    assert signed_post(client, "emergency", new, body).status_code == 201
    with pytest.raises(CommandError):
        call_command("pushsource", "create", "--channel", "emergency", "--name", "again")
    with pytest.raises(CommandError):
        call_command("pushsource", "create", "--channel", "web", "--name", "x")


def test_the_page_masks_secrets_and_shows_a_rotated_one_once(sources, client, staff):
    client.force_login(staff.admin)
    page = client.get("/integrations/push/").content.decode()
    for source, secret in sources.values():
        assert source.secret_masked in page and secret not in page
    hotline = sources["hotline"][0]
    answer = client.post(f"/integrations/push/{hotline.pk}/rotate/")
    hotline.refresh_from_db()
    assert hotline.secret in answer.content.decode()
    assert hotline.secret not in client.get("/integrations/push/").content.decode()
    client.force_login(staff.dispatcher)
    assert client.get("/integrations/push/").status_code == 403


def test_the_demo_loader_makes_five_sources_and_a_mapping_table(catalog, tree, capsys):
    from zhili.cases.tests.conftest import make_category
    from zhili.integrations.demo import MAPPINGS, load
    from zhili.integrations.models import CategoryMapping

    make_category("QT01", "政策咨询")
    load(stdout=io.StringIO())
    load(stdout=io.StringIO())  # idempotent
    assert PushSource.objects.count() == 5  # camera alarms (`video`) among them
    assert PushSource.objects.get(channel="emergency").default_urgency == "urgent"
    assert PushSource.objects.get(channel="hotline").fallback_category.code == "QT01"
    assert CategoryMapping.objects.count() == len(MAPPINGS)
