"""No English where a user looks (issue 12 item 14): the admin's header, every app and model
name (ours, Django's and the third-party ones), the task results' columns, the favicon that
every page asks for, and Leaflet's controls on every map (the browser test is in
test_chinese_ui_browser.py)."""

import gettext
import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import translation

from zhili.core.roles import Role
from zhili.core.tasks import prune_outbox

HAN = re.compile(r"[\u4e00-\u9fff]")
# Proper nouns a Chinese name may be written in alone.
PROPER_NOUNS = {"API", "XLSX", "Open311", "ID"}
LOCALE = Path(settings.BASE_DIR) / "zhili" / "core" / "locale" / "zh_Hans" / "LC_MESSAGES"


def is_chinese(name: str) -> bool:
    return bool(HAN.search(name)) or name.strip() in PROPER_NOUNS


@pytest.fixture
def superuser(tree, make_user):
    return make_user(
        "root", tree.county, Role.ADMIN, full_name="周文博", is_superuser=True, is_staff=True
    )


def _admin(client: Client, user, path: str = "/admin/") -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _texts(html: str, pattern: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", t)).strip() for t in re.findall(pattern, html, re.S)]


def test_the_admin_index_names_every_app_and_model_in_chinese(client, superuser):
    page = _admin(client, superuser)
    assert "Django" not in page
    header = _texts(page, r'<div id="site-name">(.*?)</div>')
    assert header == ["东海县社会治理综合平台 · 系统管理"]
    assert "<title>数据维护 | 系统管理</title>" in page
    assert "<strong>周文博</strong>" in page  # greeted by name, not by the account "root"
    apps_shown = _texts(page, r"<caption>(.*?)</caption>")
    models_shown = _texts(page, r'<th scope="row" id="[^"]+">(.*?)</th>')
    assert len(apps_shown) > 10 and len(models_shown) > 30  # the whole registry, not a stub
    assert "后台任务" in apps_shown and "后台任务记录" in models_shown
    english = [name for name in apps_shown + models_shown if not is_chinese(name)]
    assert english == []


def test_every_model_and_app_with_models_has_a_chinese_name() -> None:
    with translation.override("zh-hans"):
        english = [
            f"{config.label}: {config.verbose_name}"
            for config in apps.get_app_configs()
            if list(config.get_models()) and not is_chinese(str(config.verbose_name))
        ]
        english += [
            f"{model._meta.label}: {model._meta.verbose_name} / {model._meta.verbose_name_plural}"
            for model in apps.get_models()
            if not is_chinese(str(model._meta.verbose_name))
            or not is_chinese(str(model._meta.verbose_name_plural))
        ]
    assert english == []


def test_the_task_results_list_has_chinese_columns(client, superuser):
    prune_outbox.enqueue()  # one row to list (the worker is not running)
    page = _admin(client, superuser, "/admin/django_tasks_database/dbtaskresult/")
    table = page[page.index('id="result_list"') :]
    columns = _texts(table, r'<th scope="col"[^>]*>(.*?)</th>')
    assert "任务" in columns and "状态" in columns and "入队时间" in columns
    assert [c for c in columns if c and not is_chinese(c)] == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogs_match_their_sources(domain: str) -> None:
    """zhili/core/locale: each .mo Django reads says what its .po (the one edited) says."""
    source = (LOCALE / f"{domain}.po").read_text(encoding="utf-8")
    pattern = r'(?:msgctxt "([^"]*)"\n)?msgid "((?:[^"\\]|\\.)+)"\nmsgstr "([^"]*)"'
    entries = re.findall(pattern, source)
    assert len(entries) > 5
    with (LOCALE / f"{domain}.mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for context, message, translated in entries:
        message = message.replace('\\"', '"')
        assert translated and HAN.search(translated), message
        if context:
            assert compiled.pgettext(context, message) == translated
        else:
            assert compiled.gettext(message) == translated


def test_the_permissions_are_named_in_chinese(db) -> None:
    """The group and user pages list them: 添加事件工单, not "Can add 事件工单"."""
    names = list(Permission.objects.values_list("name", flat=True))
    assert len(names) > 100
    assert [n for n in names if not HAN.search(n)] == []
    assert Permission.objects.get(codename="add_case").name == "添加事件工单"


def test_the_permission_chooser_speaks_chinese(client, superuser):
    """The admin's scripts: Django's Chinese catalog lacks the chooser's newer strings."""
    client.force_login(superuser)
    catalog = client.get("/admin/jsi18n/").content.decode()  # JSON: Chinese as \uXXXX escapes
    for translated in ("全选%s", "选中要添加的%s，再点击“选择”箭头。"):
        assert json.dumps(translated)[1:-1] in catalog


def test_favicon_answers_everywhere(client, superuser):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    pages = [
        client.get("/login/").content.decode(),
        client.get("/citizen/").content.decode(),
        _admin(client, superuser),
    ]
    for page in pages:
        links = re.findall(r'<link rel="icon" href="/static/([^"]+)"', page)
        assert sorted(links) == ["web/favicon.ico", "web/favicon.svg"]
        for link in links:
            assert finders.find(link), link


def test_maps_load_leaflet_only_with_its_chinese_defaults() -> None:
    """Every page that loads Leaflet does it through web/_leaflet.html, which adds the
    Chinese titles of the zoom buttons (a new map page that loads leaflet.js itself fails)."""
    helper = Path(settings.BASE_DIR) / "zhili" / "web" / "templates" / "web" / "_leaflet.html"
    itself = [
        str(path.relative_to(settings.BASE_DIR))
        for path in (Path(settings.BASE_DIR) / "zhili").glob("**/templates/**/*.html")
        if "leaflet/leaflet.js" in path.read_text(encoding="utf-8") and path != helper
    ]
    assert itself == []
    assert "web/leaflet_zh.js" in helper.read_text(encoding="utf-8")
