"""The signed push: authentic, fresh, never replayed; one case per order; the raw order and
its deadline kept; validation errors naming the field; each channel's default urgency."""

import json
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from zhili.cases.models import Case, Category, Urgency
from zhili.core.models import AuditLog
from zhili.integrations.models import PushedOrder, PushSignature, PushSource
from zhili.integrations.signing import sign
from zhili.integrations.tasks import prune_push_signatures
from zhili.integrations.tests.conftest import PUSH_CHANNELS, order_body

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_new_order_becomes_one_case_and_its_raw_order_is_kept(push, catalog, tree):
    answer = push(order_body())
    assert answer.status_code == 201, answer.json()
    case = Case.objects.get(case_no=answer.json()["case_no"])
    assert answer.json() == {"case_no": case.case_no, "state": "registered", "created": True}
    assert (case.channel, case.external_id) == ("hotline", "12345-20261126-0001")
    assert case.category == catalog.noise  # through the mapping "噪声扰民"
    assert case.reporter_name == "李女士" and case.reporter_phone == "13912345678"
    assert case.title == "小区旁工地夜间施工噪音很大"
    assert case.township == tree.t1
    order = PushedOrder.objects.get(case=case)
    assert order.deadline == datetime(2026, 12, 3, 17, 40, tzinfo=SHANGHAI)
    assert order.ordered_at == datetime(2026, 11, 26, 17, 40, tzinfo=SHANGHAI)
    assert order.raw["order_no"] == "12345-20261126-0001" and order.mapped
    assert AuditLog.objects.filter(action="integrations.push.accept", target_id=str(case.pk))


def test_the_same_order_pushed_again_is_the_same_case(push):
    first = push(order_body())
    # A retry is signed anew (a later timestamp), and may even differ in its text.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=True):
        again = push(order_body(content="补充：噪音仍在继续"))
    assert first.status_code == 201 and again.status_code == 200, (first.json(), again.json())
    assert again.json() == {**first.json(), "created": False}
    assert Case.objects.count() == 1 and PushedOrder.objects.count() == 1


def test_a_wrong_signature_is_refused(push, sources):
    body = json.dumps(order_body()).encode()
    ts = int(time.time())
    wrong_secret = push(body, signature=sign("zs_not-the-secret", ts, body), timestamp=ts)
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["code"] == "bad_signature"
    assert wrong_secret.json()["field"] == "X-Zhili-Signature"
    tampered = push(
        body.replace(b"13912345678", b"13900000000"),
        signature=sign(sources["hotline"][1], ts, body),
        timestamp=ts,
    )
    assert tampered.status_code == 401 and tampered.json()["code"] == "bad_signature"
    # Another channel's secret does not open this channel.
    other = push(body, channel="emergency", signature=sign(sources["hotline"][1], ts, body))
    assert other.status_code == 401
    assert not Case.objects.exists()


@pytest.mark.parametrize("offset", [-301, 301, -3600])
def test_a_stale_timestamp_is_refused(push, offset):
    answer = push(order_body(), timestamp=int(time.time()) + offset)
    assert answer.status_code == 401
    assert answer.json() == {
        "detail": "时间戳超出允许范围",
        "code": "stale_timestamp",
        "field": "X-Zhili-Timestamp",
    }
    assert not Case.objects.exists()


def test_a_timestamp_within_the_tolerance_is_accepted(push):
    assert push(order_body(), timestamp=int(time.time()) - 290).status_code == 201


def test_missing_headers_are_refused(client, sources):
    body = json.dumps(order_body())
    url = "/api/v1/integrations/push/hotline"
    bare = client.post(url, body, content_type="application/json")
    assert bare.status_code == 401
    no_ts = client.post(
        url, body, content_type="application/json", headers={"X-Zhili-Signature": "ab" * 32}
    )
    assert no_ts.status_code == 401 and no_ts.json()["code"] == "stale_timestamp"


def test_a_replayed_request_is_refused(push):
    body = json.dumps(order_body()).encode()
    ts = int(time.time())
    assert push(body, timestamp=ts).status_code == 201
    replay = push(body, timestamp=ts)
    assert replay.status_code == 401 and replay.json()["code"] == "replay"
    assert PushSignature.objects.count() == 1


def test_seen_signatures_are_pruned_after_their_window(push):
    assert push(order_body()).status_code == 201
    assert prune_push_signatures.call() == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=301), tick=True):
        assert prune_push_signatures.call() == 1
    assert not PushSignature.objects.exists()


def test_an_unknown_or_inactive_channel_is_refused(push, client, sources):
    unknown = client.post(
        "/api/v1/integrations/push/web",
        "{}",
        content_type="application/json",
        headers={"X-Zhili-Signature": "ab", "X-Zhili-Timestamp": str(int(time.time()))},
    )
    assert unknown.status_code == 404
    PushSource.objects.filter(channel="petition").update(is_active=False)
    inactive = push(order_body(), channel="petition")
    assert inactive.status_code == 401 and inactive.json()["code"] == "source_inactive"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"content": ""}, "content"),
        ({"content": "   "}, "content"),
        ({"order_no": ""}, "order_no"),
        ({"caller_phone": "12345"}, "caller_phone"),
        ({"urgency": "very"}, "urgency"),
        ({"created_at": "昨天"}, "created_at"),
        ({"lat": None, "lng": None, "address": ""}, "address"),
        ({"lng": None}, "lng"),
        ({"category": ""}, "category"),
    ],
)
def test_bad_orders_get_a_4xx_naming_the_field(push, change, field):
    answer = push(order_body(**change))
    assert 400 <= answer.status_code < 500, answer.content
    assert answer.json()["field"] == field, answer.json()
    assert answer.json()["detail"]
    assert not Case.objects.exists() and not PushedOrder.objects.exists()


def test_a_body_that_is_not_json_is_a_4xx(push):
    answer = push(b"order_no=1")
    assert 400 <= answer.status_code < 500


@pytest.mark.parametrize(
    ("channel", "urgency"),
    [
        ("hotline", Urgency.NORMAL),
        ("emergency", Urgency.URGENT),  # 110 non-police matters: urgent by default
        ("city_management", Urgency.NORMAL),
        ("petition", Urgency.NORMAL),
    ],
)
def test_each_channel_has_its_default_urgency(push, sources, channel, urgency):
    source, _ = sources[channel]
    assert source.default_urgency == urgency
    answer = push(order_body(order_no=f"{channel}-1"), channel=channel)
    assert answer.status_code == 201
    assert Case.objects.get(case_no=answer.json()["case_no"]).urgency == urgency


def test_the_stated_urgency_wins_and_an_urgent_category_is_kept(push, catalog):
    stated = push(order_body(order_no="a", urgency="emergency"))
    assert Case.objects.get(case_no=stated.json()["case_no"]).urgency == Urgency.EMERGENCY
    Category.objects.filter(pk=catalog.noise.pk).update(default_urgency=Urgency.URGENT)
    by_category = push(order_body(order_no="b"))
    assert Case.objects.get(case_no=by_category.json()["case_no"]).urgency == Urgency.URGENT


def test_all_four_channels_get_a_source_each(sources):
    assert sorted(sources) == sorted(c.value for c in PUSH_CHANNELS)
    secrets = {secret for _source, secret in sources.values()}
    assert len(secrets) == 4


@pytest.mark.parametrize("days", [1, 20])
def test_the_senders_deadline_caps_the_handling_deadline(push, staff, days):
    """12345 imposes its own deadline: once dispatched, ours is never later than it."""
    from zhili.cases import deadlines
    from zhili.cases.services import case_act

    imposed = datetime(2026, 11, 26, 18, 0, tzinfo=SHANGHAI) + timedelta(days=days)
    answer = push(order_body(deadline=imposed.isoformat()))
    case = Case.objects.get(case_no=answer.json()["case_no"])
    assert case.imposed_due_at == imposed
    case = case_act(actor=staff.township, case=case, action="dispatch")
    own = deadlines.start_clock(case.category, case.urgency, case.dispatched_at).due_at
    assert case.due_at == min(own, imposed)
    assert case.acknowledge_due_at <= case.due_at
    assert (case.due_at == imposed) == (days == 1)  # a day is sooner than our limit, 20 later
