"""zhili.core.ratelimit: a fixed window per (action, client) in the cache."""

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from zhili.core import ratelimit


@pytest.fixture
def limits(settings):
    settings.ZHILI_RATE_LIMITS = {"test.a": (3, 60), "test.b": (1, 60)}


def test_the_n_plus_first_request_is_refused(limits):
    assert [ratelimit.hit("test.a", "1.2.3.4") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("test.a", "1.2.3.4")
    assert 0 < refused.value.retry_after <= 60
    assert refused.value.until > timezone.now()


def test_actions_and_clients_count_apart(limits):
    ratelimit.hit("test.b", "1.2.3.4")
    ratelimit.hit("test.b", "1.2.3.5")
    ratelimit.hit("test.a", "1.2.3.4")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit("test.b", "1.2.3.4")


def test_a_new_window_starts_afresh(limits):
    ratelimit.hit("test.b", "c")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("test.b", "c")
    with time_machine.travel(timezone.now() + timedelta(seconds=refused.value.retry_after + 1)):
        assert ratelimit.hit("test.b", "c") == 1


def test_check_does_not_count(limits):
    for _ in range(5):
        ratelimit.check("test.b", "c")
    ratelimit.hit("test.b", "c")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check("test.b", "c")


def test_an_unknown_action_is_a_programming_error(limits):
    with pytest.raises(KeyError):
        ratelimit.hit("test.nope", "c")


def test_the_client_is_the_remote_address_unless_proxies_are_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.ZHILI_TRUSTED_PROXIES = 0
    assert ratelimit.client_key(request) == "10.0.0.9"  # a forged header changes nothing
    settings.ZHILI_TRUSTED_PROXIES = 1
    assert ratelimit.client_key(request) == "203.0.113.7"  # what our one proxy saw


def test_an_ipv6_client_counts_by_its_64():
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2::1")
    two = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert ratelimit.client_key(one) == ratelimit.client_key(two) == "2001:db8:1:2::/64"
    assert ratelimit.client_key(other) != ratelimit.client_key(one)
    mapped = factory.get("/", REMOTE_ADDR="::ffff:192.0.2.1")
    assert ratelimit.client_key(mapped) == "192.0.2.1"


def test_listed_proxies_are_believed_only_when_they_send_the_request(settings):
    factory = RequestFactory()
    settings.ZHILI_TRUSTED_PROXIES = ["10.0.0.5", "10.1.0.0/16"]
    chain = "6.6.6.6, 203.0.113.7, 10.1.2.3"
    through = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=chain)
    # From the right, past our two proxies: the address the outer proxy saw.
    assert ratelimit.client_ip(through) == "203.0.113.7"
    direct = factory.get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=chain)
    assert ratelimit.client_ip(direct) == "198.51.100.4"  # not a proxy: the header is forged
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="x' OR 1, 10.1.2.3")
    assert ratelimit.client_ip(garbage) == "10.1.2.3"  # never a non-address
    settings.ZHILI_TRUSTED_PROXIES = 1
    forged = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert ratelimit.client_ip(forged) == "10.0.0.5"
