"""With the shared cache (Redis) unreachable, the citizen channel stays open: a report is
accepted, a progress lookup answered, the rate limits hold per process, and the outage is
logged once (issue 11, item 6). Staff intake never used the cache."""

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from zhili.cases.models import Case, Channel
from zhili.cases.tests.test_api import NEW_CASE, post
from zhili.portal.tests.conftest import PHONE

FALLBACK_LOGGER = "zhili.core.sharedcache"


def closed_port() -> int:
    """A local port nothing listens on: a connection to it is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unreachable_redis() -> dict[str, Any]:
    """The production cache settings, pointed at a Redis that is not there."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 1},
        }
    }


@pytest.fixture
def cache_down() -> Iterator[None]:
    # Its own override, undone before the suite's autouse fixtures empty the cache.
    with override_settings(CACHES=unreachable_redis()):
        yield


def fallback_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == FALLBACK_LOGGER and r.levelno == logging.WARNING
    ]


def test_a_report_is_accepted_and_the_outage_logged_once(citizen, rules, cache_down, caplog):
    caplog.set_level(logging.WARNING, logger=FALLBACK_LOGGER)
    first = citizen.report()
    second = citizen.report(description="路口红绿灯坏了三天，早晚高峰车辆拥堵严重")
    assert first.status_code == second.status_code == 200
    assert Case.objects.filter(channel=Channel.WEB).count() == 2
    case = Case.objects.order_by("pk").first()
    assert case is not None and case.case_no in first.content.decode()
    (warning,) = fallback_warnings(caplog)  # once for the outage, not once per request
    assert "shared cache unreachable" in warning
    assert "this process's memory" in warning


def test_a_token_is_still_answered_once_with_the_cache_down(citizen, rules, cache_down):
    token, right = citizen.challenge()
    wrong = citizen.report(token=token, answer=str(int(right) + 1))
    assert wrong.status_code == 422 and "答案不正确" in wrong.content.decode()
    again = citizen.report(token=token, answer=right)  # one try per question, still
    assert again.status_code == 422
    assert "验证题已使用" in again.content.decode()
    assert Case.objects.count() == 0


def test_a_progress_lookup_is_answered_with_the_cache_down(citizen, web_case, cache_down):
    response = citizen.lookup(web_case.case_no, PHONE[-4:])
    assert response.status_code == 200
    assert 'data-testid="lookup-result"' in response.content.decode()


def test_the_report_limit_holds_per_process_with_the_cache_down(
    citizen, rules, cache_down, settings
):
    settings.ZHILI_RATE_LIMITS = {**settings.ZHILI_RATE_LIMITS, "portal.report": (2, 3600)}
    assert [citizen.report().status_code for _ in range(2)] == [200, 200]
    refused = citizen.report()
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert Case.objects.count() == 2


def test_the_lookup_limit_holds_per_process_with_the_cache_down(
    citizen, web_case, cache_down, settings
):
    settings.ZHILI_RATE_LIMITS = {**settings.ZHILI_RATE_LIMITS, "portal.lookup": (3, 600)}
    for tail in ("0001", "0002", "0003"):
        assert citizen.lookup(web_case.case_no, tail).status_code == 404
    assert citizen.lookup(web_case.case_no, PHONE[-4:]).status_code == 429


def test_staff_intake_does_not_need_the_cache(client, staff, rules, cache_down, caplog):
    response = post(client, staff.dispatcher, "/api/v1/cases", NEW_CASE)
    assert response.status_code == 201, response.content
    assert Case.objects.filter(case_no=response.json()["case_no"]).exists()
    assert fallback_warnings(caplog) == []  # it never touched the cache
