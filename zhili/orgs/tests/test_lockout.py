"""The lockout locks a (username, address) pair and an address that tries many usernames,
never an account for everyone; it warns before locking, and an administrator lifts it from
the admin, audited. The same on the login page, /admin/login/ and the API."""

from typing import Any

import pytest
from django.urls import reverse

from zhili.conftest import PASSWORD
from zhili.core.models import AuditLog
from zhili.orgs.models import LoginFailure

TOKEN_URL = "/api/v1/auth/token"
A, B, C = "203.0.113.10", "198.51.100.20", "192.0.2.30"


@pytest.fixture
def superuser(make_user: Any) -> Any:
    """An administrator with Django's admin (staff, superuser)."""
    return make_user("root", None, is_staff=True, is_superuser=True)


def api_login(client: Any, username: str, password: str = PASSWORD, address: str = A) -> Any:
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def page_login(client: Any, username: str, password: str = PASSWORD, address: str = A) -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_from_one_address_do_not_lock_the_account_elsewhere(
    client: Any, personas: Any
) -> None:
    statuses = [api_login(client, "dispatcher", f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    assert api_login(client, "dispatcher").status_code == 429  # from A: locked
    assert api_login(client, "dispatcher", address=B).status_code == 200  # from B: not
    assert page_login(client, "dispatcher", address=B).status_code == 302
    client.logout()
    assert page_login(client, "dispatcher").status_code == 429


def test_one_address_trying_many_usernames_is_locked_at_its_limit(
    client: Any, personas: Any, settings: Any
) -> None:
    assert settings.ZHILI_LOGIN_FAILURES_PER_ADDRESS == 30
    statuses = [api_login(client, f"guess-{n}", "x").status_code for n in range(31)]
    # Each username failed once: no pair is near its limit, the address is.
    assert statuses == [401] * 29 + [429, 429]
    assert api_login(client, "township").status_code == 429  # a right password, too
    assert page_login(client, "township").status_code == 429
    assert api_login(client, "township", address=B).status_code == 200


def test_the_limits_are_settings(client: Any, personas: Any, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.ZHILI_LOGIN_FAILURES_PER_ADDRESS = 4
    assert [api_login(client, "township", "x").status_code for _ in range(3)] == [401, 401, 429]
    assert api_login(client, "other", "x").status_code == 429  # 4 from A in all


def test_a_warning_after_the_third_failure_on_the_page(client: Any, personas: Any) -> None:
    pages = [page_login(client, "township", f"wrong-{n}") for n in range(4)]
    texts = [p.content.decode() for p in pages]
    assert all(p.status_code == 200 for p in pages)
    assert "还可尝试" not in texts[0] and "还可尝试" not in texts[1]
    assert 'data-testid="login-warning"' in texts[2] and "还可尝试 2 次" in texts[2]
    assert "还可尝试 1 次" in texts[3]
    assert page_login(client, "township", "wrong").status_code == 429


def test_the_api_answer_carries_the_same_count(client: Any, personas: Any) -> None:
    answers = [api_login(client, "township", f"wrong-{n}").json() for n in range(4)]
    assert [a["remaining"] for a in answers] == [4, 3, 2, 1]
    assert answers[1]["detail"] == "用户名或密码错误"
    assert "还可尝试 2 次" in answers[2]["detail"]
    locked = api_login(client, "township", "wrong")
    assert locked.status_code == 429 and locked.json()["remaining"] == 0


def test_admin_login_is_protected_the_same_way(client: Any, superuser: Any) -> None:
    url = reverse("admin:login")
    for n in range(5):
        client.post(url, {"username": "root", "password": f"wrong-{n}"}, REMOTE_ADDR=A)
    refused = client.post(url, {"username": "root", "password": PASSWORD}, REMOTE_ADDR=A)
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    signed = client.post(url, {"username": "root", "password": PASSWORD}, REMOTE_ADDR=B)
    assert signed.status_code == 302 and "_auth_user_id" in client.session


def test_forwarded_for_counts_only_through_a_listed_proxy(
    client: Any, personas: Any, settings: Any
) -> None:
    settings.ZHILI_TRUSTED_PROXIES = ["10.0.0.5"]

    def via_proxy(client_address: str, password: str) -> int:
        return client.post(
            TOKEN_URL,
            {"username": "township", "password": password},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=client_address,
        ).status_code

    assert [via_proxy(A, "x") for _ in range(5)][-1] == 429
    assert via_proxy(B, PASSWORD) == 200  # another client behind the same proxy
    # Straight to the application, a forged header does not choose the address counted.
    direct = client.post(
        TOKEN_URL,
        {"username": "township", "password": "x"},
        content_type="application/json",
        REMOTE_ADDR=C,
        HTTP_X_FORWARDED_FOR=B,
    )
    assert direct.status_code == 401
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {A, C}


@pytest.mark.parametrize("kind", ["pair", "address"])
def test_an_administrator_unlocks_from_the_admin_audited(
    client: Any, personas: Any, superuser: Any, settings: Any, kind: str
) -> None:
    settings.ZHILI_LOGIN_FAILURES_PER_ADDRESS = 8
    if kind == "pair":
        for n in range(5):
            api_login(client, "township", f"wrong-{n}")
    else:
        for n in range(8):
            api_login(client, f"guess-{n}", "x")
    assert api_login(client, "township").status_code == 429
    client.force_login(superuser)
    changelist = reverse("admin:orgs_loginfailure_changelist")
    page = client.get(changelist)
    assert page.status_code == 200
    html = page.content.decode()
    assert "登录失败与锁定" in html and "解除锁定" in html and "已锁定" in html
    assert "删除所选" not in html  # no unaudited way to clear the counters
    rows = LoginFailure.objects.filter(ip_address=A)
    one = rows.filter(username="township").first() or rows.first()
    assert one is not None
    done = client.post(changelist, {"action": "unlock", "_selected_action": [one.pk]}, follow=True)
    assert done.status_code == 200 and "已解除 1 个" in done.content.decode()
    client.logout()
    assert api_login(client, "township").status_code == 200
    entry = AuditLog.objects.get(action="orgs.login.unlock")
    assert entry.actor == superuser
    assert entry.extra["address"] == A
    assert entry.extra["address_cleared"] is (kind == "address")
    assert entry.extra["username"] == one.username


def test_only_administrators_see_the_page(client: Any, personas: Any) -> None:
    client.force_login(personas.dispatcher)
    response = client.get(reverse("admin:orgs_loginfailure_changelist"))
    assert response.status_code in (302, 403)
