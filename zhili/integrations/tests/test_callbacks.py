"""The reply call-back: a pushed case closed → its reply POSTed, signed, to the sender; a
sender that fails is retried with exponential backoff until it answers, each attempt logged;
merged duplicates answer with their master's reply; after the last attempt it waits, failed
and visible, for an administrator to send it again."""

import io
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from zhili.cases.models import Case, State
from zhili.cases.services import case_act
from zhili.integrations.models import CallbackState, PushSource, ReplyAttempt, ReplyCallback
from zhili.integrations.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_matches
from zhili.integrations.tests.conftest import order_body, signed_post


class Sender:
    """The pushing platform's call-back endpoint: answers 503 to the first `failures`
    requests, then 200; keeps what it received."""

    def __init__(self, failures: int):
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes, int]] = []
        sender = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = 503 if len(sender.received) < sender.failures else 200
                sender.received.append((dict(self.headers), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/reply"


@pytest.fixture
def sender() -> Iterator[Sender]:
    made = Sender(failures=2)
    thread = threading.Thread(target=made.server.serve_forever, daemon=True)
    thread.start()
    yield made
    made.server.shutdown()
    made.server.server_close()


def run_worker() -> None:
    call_command("worker", "--once", stdout=io.StringIO())


def close(staff: Any, case: Case, reply: str = "已协调施工方停工") -> Case:
    case = case_act(actor=staff.township, case=case, action="dispatch")
    case = case_act(actor=staff.township, case=case, action="acknowledge")
    case = case_act(actor=staff.township, case=case, action="reply", reply=reply)
    return case_act(actor=staff.township, case=case, action="close")


def pushed(sources: Any, order_no: str, **fields: Any) -> Case:
    answer = signed_post(Client(), "hotline", sources["hotline"][1], order_body(order_no, **fields))
    assert answer.status_code == 201, answer.content
    return Case.objects.get(case_no=answer.json()["case_no"])


def later(moment: Any) -> Any:
    """Travel to just after `moment` (the clock keeps ticking)."""
    return time_machine.travel(moment + timedelta(seconds=1), tick=True)


@pytest.mark.django_db(transaction=True)
def test_a_reply_to_a_sender_that_fails_twice_is_delivered_once(sources, staff, sender):
    source, secret = sources["hotline"]
    PushSource.objects.filter(pk=source.pk).update(callback_url=sender.url)
    case = close(staff, pushed(sources, "12345-CB-1"))

    run_worker()  # delivers the close event → the call-back row → the first attempt
    callback = ReplyCallback.objects.get()
    assert callback.state == CallbackState.PENDING and callback.attempts == 1
    first_retry = callback.next_attempt_at
    assert first_retry - timezone.now() > timedelta(seconds=50)
    run_worker()  # not yet due: nothing is sent
    assert len(sender.received) == 1

    with later(first_retry):
        run_worker()
    callback.refresh_from_db()
    assert callback.attempts == 2 and callback.state == CallbackState.PENDING
    # Exponential: the second wait is twice the first.
    assert callback.next_attempt_at - first_retry > timedelta(seconds=110)
    with later(callback.next_attempt_at):
        run_worker()
        run_worker()  # nothing more to do once delivered

    callback.refresh_from_db()
    assert callback.state == CallbackState.DELIVERED and callback.delivered_at
    log = list(ReplyAttempt.objects.filter(callback=callback).order_by("number"))
    assert [a.status_code for a in log] == [503, 503, 200]
    assert [a.number for a in log] == [1, 2, 3]
    assert all(a.duration_ms >= 0 and a.started_at for a in log)
    assert [status for _h, _b, status in sender.received] == [503, 503, 200]
    headers, body, _ = sender.received[-1]
    assert signature_matches(secret, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    sent = json.loads(body)
    case.refresh_from_db()
    assert sent == {
        "result": "closed",
        "order_no": "12345-CB-1",
        "case_no": case.case_no,
        "reply": "已协调施工方停工",
        "closed_at": case.closed_at.isoformat(),
        "handling_unit": staff.township.organization.name,
        "master_case_no": None,
    }


@pytest.mark.django_db(transaction=True)
def test_merged_duplicates_answer_with_their_masters_reply(sources, staff, sender):
    source, _ = sources["hotline"]
    PushSource.objects.filter(pk=source.pk).update(callback_url=sender.url)
    sender.failures = 0
    master = pushed(sources, "12345-M")
    duplicate = pushed(sources, "12345-D", content="工地晚上还在施工")
    case_act(actor=staff.township, case=duplicate, action="merge", master=master.case_no)
    master = close(staff, master, reply="已责令停工并罚款")
    run_worker()
    callbacks = {c.order.order_no: c for c in ReplyCallback.objects.select_related("order")}
    assert set(callbacks) == {"12345-M", "12345-D"}
    assert all(c.state == CallbackState.DELIVERED for c in callbacks.values())
    bodies = {json.loads(b)["order_no"]: json.loads(b) for _h, b, _s in sender.received}
    assert bodies["12345-D"]["reply"] == "已责令停工并罚款"
    assert bodies["12345-D"]["master_case_no"] == master.case_no
    assert bodies["12345-D"]["case_no"] == duplicate.case_no
    assert Case.objects.get(pk=duplicate.pk).state == State.MERGED


@pytest.mark.django_db(transaction=True)
def test_an_order_outside_the_county_is_returned_to_its_source(sources, staff, sender):
    """退回来源: the sender is told the order was returned, the reason as the reply."""
    source, secret = sources["hotline"]
    PushSource.objects.filter(pk=source.pk).update(callback_url=sender.url)
    sender.failures = 0
    case = pushed(sources, "12345-LS", address="临沭县郑山街道", lat=34.95, lng=118.55)
    assert case.out_of_area
    reason = "事发地在临沭县郑山街道，不属东海县管辖，请转临沭县办理"
    case = case_act(actor=staff.dispatcher, case=case, action="return_to_source", reason=reason)
    run_worker()
    callback = ReplyCallback.objects.get()
    assert callback.state == CallbackState.DELIVERED
    headers, body, _ = sender.received[-1]
    assert signature_matches(secret, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    sent = json.loads(body)
    assert sent["result"] == "returned" and sent["reply"] == reason
    assert sent["order_no"] == "12345-LS" and sent["case_no"] == case.case_no
    assert sent["closed_at"] == case.closed_at.isoformat()
    assert sent["handling_unit"] == ""


@pytest.mark.django_db(transaction=True)
def test_after_the_last_attempt_the_reply_waits_failed_and_can_be_sent_again(
    sources, staff, sender, settings
):
    settings.ZHILI_REPLY_CALLBACKS = {"max_attempts": 2}
    sender.failures = 2
    source, _ = sources["hotline"]
    PushSource.objects.filter(pk=source.pk).update(callback_url=sender.url)
    close(staff, pushed(sources, "12345-F"))
    run_worker()
    callback = ReplyCallback.objects.get()
    with later(callback.next_attempt_at):
        run_worker()
        callback.refresh_from_db()
        assert callback.state == CallbackState.FAILED and callback.attempts == 2
        assert callback.last_error == "HTTP 503"

        admin = Client()
        admin.force_login(staff.admin)
        page = admin.get("/integrations/push/")
        assert page.status_code == 200
        assert "发送失败" in page.content.decode() and "12345-F" in page.content.decode()
        resent = admin.post(f"/integrations/callbacks/{callback.pk}/resend/")
        assert resent.status_code == 200
        run_worker()
    callback.refresh_from_db()
    assert callback.state == CallbackState.DELIVERED
    assert callback.log.count() == 3 and len(sender.received) == 3


@pytest.mark.django_db(transaction=True)
def test_a_case_that_was_not_pushed_owes_no_reply(register, staff, sources, sender):
    close(staff, register())
    run_worker()
    assert not ReplyCallback.objects.exists() and not sender.received
