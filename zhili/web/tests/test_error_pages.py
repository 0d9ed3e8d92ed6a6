"""The platform's own error pages (issue 12 item 2): 400, 403, 404 and 500 in Chinese, in the
platform's layout, never Django's pages; an HTMX request gets a short alert for the page's
alert area instead of a page to swap into its target. Tests run with DEBUG off, as
`make demo` does (with DEBUG on Django answers its technical pages instead)."""

from typing import Any

import pytest
from django.test import Client
from django.urls import path

from config import urls as site_urls
from zhili.core.roles import Role

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response: Any) -> str:
    return response.content.decode()


def test_an_unknown_case_number_is_the_platforms_404(personas: Any) -> None:
    response = signed_in(personas.dispatcher).get("/cases/DH20990101-99999/")
    text = page_text(response)
    assert response.status_code == 404
    assert 'data-testid="error-page"' in text and "页面不存在" in text
    assert 'class="sidenav"' in text and "分拨工作台" in text  # the layout and its navigation
    assert "/cases/DH20990101-99999/" in text  # the address asked for
    assert "URLconf" not in text and "Page not found" not in text


def test_an_unknown_address_without_login_offers_the_login(db: Any) -> None:
    response = Client().get("/no/such/page/")
    text = page_text(response)
    assert response.status_code == 404 and "页面不存在" in text
    assert 'href="/login/"' in text and 'class="sidenav"' not in text


def test_the_views_own_reason_is_shown_and_djangos_english_is_not(personas: Any) -> None:
    # A department keeps no rota: the receptions page says so (its Http404's own message).
    response = signed_in(personas.police).get("/receptions/rota/")
    assert response.status_code == 404 and "没有可查看的接访日程" in page_text(response)


def test_a_page_the_role_may_not_open_is_the_platforms_403(personas: Any) -> None:
    response = signed_in(personas.police).get("/integrations/keys/")
    text = page_text(response)
    assert response.status_code == 403
    assert "无权访问" in text and "请联系本单位系统管理员" in text and 'class="sidenav"' in text


def test_an_htmx_request_gets_an_alert_for_the_page_not_a_page(personas: Any) -> None:
    client = signed_in(personas.dispatcher)
    missing = client.post("/cases/DH20990101-99999/act/dispatch/", **HTMX)
    assert missing.status_code == 404
    assert missing["HX-Retarget"] == "#page-alerts" and missing["HX-Reswap"] == "innerHTML"
    assert 'data-testid="page-alert"' in page_text(missing)
    assert "<html" not in page_text(missing) and 'class="sidenav"' not in page_text(missing)
    refused = signed_in(personas.police).get("/integrations/keys/", **HTMX)
    assert refused.status_code == 403 and refused["HX-Retarget"] == "#page-alerts"
    assert "无权操作" in page_text(refused) and "<html" not in page_text(refused)


def test_a_refused_csrf_check_of_a_page_is_a_chinese_403(
    personas: Any,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.dispatcher)
    response = client.post("/password/change/", {})
    assert response.status_code == 403
    assert "页面已过期" in page_text(response) and "CSRF verification" not in page_text(response)
    # The phone's JSON endpoints keep their format (zhili/mobile/tests/test_bad_input.py).


def test_a_bad_host_is_the_platforms_400(db: Any) -> None:
    response = Client(HTTP_HOST="elsewhere.example").get("/login/")
    assert response.status_code == 400 and "请求无效" in page_text(response)


def broken(request: Any) -> Any:
    raise RuntimeError("a bug")


# This module as the URLconf: the platform's addresses and handlers, plus a view that fails.
urlpatterns = [path("broken/", broken), *site_urls.urlpatterns]
handler500 = site_urls.handler500


def test_a_server_error_is_the_platforms_500_without_the_database(
    settings: Any, make_user: Any, tree: Any
) -> None:
    settings.ROOT_URLCONF = __name__
    user = make_user("officer", tree.t1, Role.TOWNSHIP_OFFICER)
    client = signed_in(user)
    client.raise_request_exception = False
    response = client.get("/broken/")
    text = page_text(response)
    assert response.status_code == 500
    assert "系统暂时出现问题" in text and "/static/web/app.css" in text
    assert "Traceback" not in text and "RuntimeError" not in text
