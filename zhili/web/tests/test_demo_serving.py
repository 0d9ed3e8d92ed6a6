"""`make demo` serves as a county would see the platform (issue 12 item 2): a real `zhili serve`
with the demo target's environment (read from the Makefile, so the test follows it): DEBUG
off, so the platform's own error pages and never Django's debug pages; the static files
collected and served (the style sheet and scripts load); demo accounts allowed; plain HTTP.
"""

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.contrib.auth.hashers import make_password

from zhili.conftest import free_port, wait_until
from zhili.core.roles import Role
from zhili.core.tests.test_serve import database_for_server

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "demo-pass-123"

pytestmark = [pytest.mark.real_clock, pytest.mark.django_db(transaction=True)]


def demo_environment() -> dict[str, str]:
    """The variables the Makefile's demo target sets (its DEMO_ENV line)."""
    line = re.search(r"^DEMO_ENV = (.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert line, "Makefile 缺少 DEMO_ENV"
    pairs = dict(re.findall(r"(\w+)=(\"[^\"]*\"|\S+)", line.group(1)))
    assert pairs.pop("SECRET_KEY"), "make demo 须设置 SECRET_KEY"
    return {**pairs, "SECRET_KEY": "a-test-secret-key-for-the-demo-environment"}


def test_the_demo_target_turns_debug_off_and_allows_the_demo_accounts() -> None:
    env = demo_environment()
    assert env["DEBUG"] == "false" and env["ZHILI_ALLOW_DEMO_USERS"] == "1"
    assert "collectstatic" in (ROOT / "Makefile").read_text().split("\ndemo:", 1)[1]


@pytest.fixture
def demo_server(tmp_path: Path, make_user: Any, tree: Any) -> Iterator[str]:
    officer = make_user("demo-officer", tree.t1, Role.TOWNSHIP_OFFICER, is_demo=True)
    officer.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # the server's hasher
    officer.save(update_fields=["password"])
    env = {
        **os.environ,
        **demo_environment(),
        "DATABASE_URL": database_for_server(tmp_path),
        "ZHILI_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
    }
    zhili = [sys.executable, "-m", "zhili"]
    collect = [*zhili, "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True, timeout=300)  # noqa: S603
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [*zhili, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: server.poll() is not None or answers(base), 90, "the server answers")
        assert server.poll() is None, log.read_text()
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/login/", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def test_the_demo_serves_its_static_files_and_its_own_error_pages(demo_server: str) -> None:
    with httpx.Client(base_url=demo_server, timeout=30) as client:
        login = client.get("/login/")
        assets = re.findall(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"', login.text)
        assert any(a.endswith("web/app.css") for a in assets)
        assert any("htmx" in a for a in assets) and not any("django-htmx" in a for a in assets)
        for asset in assets:
            answer = client.get(asset)
            kind = "text/css" if asset.endswith(".css") else "javascript"
            assert answer.status_code == 200 and kind in answer.headers["content-type"], asset

        unknown = client.get("/no/such/page/")
        assert unknown.status_code == 404 and "页面不存在" in unknown.text
        assert "URLconf" not in unknown.text and "Page not found" not in unknown.text

        # A demo account logs in over plain HTTP (its cookies are not HTTPS-only) ...
        token = client.cookies["csrftoken"]
        form = {"username": "demo-officer", "password": PASSWORD, "csrfmiddlewaretoken": token}
        signed_in = client.post("/login/", data=form, headers={"Referer": f"{demo_server}/login/"})
        assert signed_in.status_code == 302, signed_in.text[:500]
        # ... and an unknown case number is the platform's page, with the navigation.
        missing = client.get("/cases/DH20990101-99999/")
        assert missing.status_code == 404
        assert "页面不存在" in missing.text and 'class="sidenav"' in missing.text
        assert "Traceback" not in missing.text and "URLconf" not in missing.text
