"""Every address the README gives, and every navigation entry a role is shown, answers 200 for
the role it is meant for, on the demo data (issue 12 item 2).

The README is parsed, so the test stays true when it changes:
- the demo logins are the usernames of its table (under "Demo logins");
- in "What to open first" each bullet (and sub-bullet) is read in order: an address
  (`/path/`) is meant for the demo users named after it in the bullet (`as \\`dispatcher\\``,
  `or \\`township\\``), up to the next address; when none are named there, for the next ones
  named further on in the bullet, else for those of the address before it; a bullet that
  names nobody, and an address marked "(no login)", are opened without logging in;
- the addresses elsewhere in the README (the API's documentation) are opened without login;
- its links to files (`[text](docs/x.md#anchor)`) point at files and headings that exist.

The demo is loaded once for the module (every loader of `zhili demo`, a small year of cases)
inside a transaction that is rolled back afterwards. Logins go through the login form with the
demo password, with the demo accounts allowed, as `make demo` runs.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils.module_loading import import_string

from config.demo import DEMO_LOADERS
from zhili.conftest import suite_clock
from zhili.orgs.demo import PASSWORD
from zhili.orgs.models import User

README = Path(settings.BASE_DIR) / "README.md"
DEMO_CASES = 400  # enough for every queue and figure page to have rows; the real demo has 30,000

ANONYMOUS = ""  # the "user" of the addresses opened without logging in


# --- reading the README -------------------------------------------------------------------------


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README 缺少“{title}”一节"
    return match.group(1)


def demo_logins(text: str) -> list[str]:
    block = text.split("Demo logins", 1)[1].split("\n\n", 2)[1]  # the table, to its end
    names = re.findall(r"^\| `([a-z0-9_]+)` \|", block, re.M)
    assert names, "README 的演示账号表为空"
    return names


def bullets(text: str) -> list[str]:
    """The bullets of a Markdown list, each with its continuation lines, sub-bullets apart."""
    items: list[str] = []
    for line in text.splitlines():
        if re.match(r"^\s*- ", line):
            items.append(line.strip()[2:])
        elif line.strip() and items and line.startswith(" "):
            items[-1] += " " + line.strip()
    return items


@dataclass
class Address:
    path: str
    users: list[str] = field(default_factory=list)  # [ANONYMOUS] when opened without login


def addresses_in(item: str, usernames: set[str]) -> list[Address]:
    found: list[Address] = []
    named: list[list[str]] = []  # the users named after each address, up to the next one
    for token, no_login in re.findall(r"`([^`]+)`(\s*\(no login\))?", item):
        if token.startswith("/"):
            found.append(Address(token, [ANONYMOUS] if no_login else []))
            named.append([])
        elif token in usernames and named:
            named[-1].append(token)
    previous: list[str] = []
    for i, address in enumerate(found):
        if not address.users:
            later = next((users for users in named[i:] if users), [])
            address.users = list(dict.fromkeys(later or previous or [ANONYMOUS]))
        previous = address.users
    return found


def readme_addresses(text: str, usernames: set[str]) -> list[Address]:
    """Every address of the README with the users it is meant for."""
    first = section(text, "What to open first")
    found = [a for item in bullets(first) for a in addresses_in(item, usernames)]
    rest = text.replace(first, "")
    found += [Address(path, [ANONYMOUS]) for path in re.findall(r"`(/[^`\s]*)`", rest)]
    return found


def names_in_first_section(text: str) -> set[str]:
    return set(re.findall(r"`([a-z][a-z0-9_]*)`", section(text, "What to open first")))


TEXT = README.read_text(encoding="utf-8")
LOGINS = demo_logins(TEXT)


def test_the_readme_is_read_as_meant() -> None:
    """The parsing above, on the README's own sentences."""
    found = readme_addresses(TEXT, set(LOGINS) | {"tjy"})
    by_path: dict[str, set[str]] = {}
    for address in found:
        by_path.setdefault(address.path, set()).update(address.users)
    assert {"dispatcher"} <= by_path["/cases/workbench/"]
    assert {"dispatcher"} <= by_path["/cases/new/"]
    assert {"police", "township"} <= by_path["/cases/inbox/"]
    assert ANONYMOUS in by_path["/citizen/"]
    assert by_path["/m/"] == {"gridworker"}
    assert {"mediator", "tjzr"} <= by_path["/mediation/reports/"]
    assert by_path["/receptions/mine/"] == {"leader"}
    assert by_path["/receptions/rota/"] == {"petition"}
    assert by_path["/api/v1/openapi.json"] == {ANONYMOUS}
    assert all(a.users for a in found)


# --- the demo -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Every demo loader, once for the module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with suite_clock():
            for dotted in DEMO_LOADERS:
                loader = import_string(dotted)
                extra = {"cases": DEMO_CASES} if dotted == "zhili.cases.demo.load" else {}
                loader(stdout=io.StringIO(), **extra)
        yield
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.any_day]


@pytest.fixture
def visit(demo: None, settings: Any) -> Any:
    settings.ZHILI_ALLOW_DEMO_USERS = True  # as `make demo` runs (DEBUG off)

    def client_for(username: str) -> Client:
        client = Client()
        if username != ANONYMOUS:
            response = client.post("/login/", {"username": username, "password": PASSWORD})
            assert response.status_code == 302, f"{username} 无法登录"
        return client

    return client_for


def walk(client: Client, paths: list[str]) -> list[tuple[str, int]]:
    return [(path, status) for path in paths if (status := client.get(path).status_code) != 200]


def navigation_paths(client: Client) -> list[str]:
    response = client.get("/")
    assert response.status_code == 200
    sections = response.context["nav_sections"]
    return [item["url"] for items in sections.values() for item in items]


@pytest.mark.parametrize("username", LOGINS)
def test_each_role_opens_its_readme_addresses_and_navigation(visit: Any, username: str) -> None:
    client = visit(username)
    meant = [a.path for a in readme_addresses(TEXT, set(LOGINS)) if username in a.users]
    nav = navigation_paths(client)
    assert nav, f"{username} 没有导航"
    assert walk(client, meant) == [], f"README 中给 {username} 的地址"
    assert walk(client, nav) == [], f"{username} 导航中的链接"


def test_the_other_demo_users_named_in_the_readme(visit: Any) -> None:
    """Users the README names beside the table's (e.g. `tjy`, a mediator of the committee)."""
    usernames = set(User.objects.filter(is_demo=True).values_list("username", flat=True))
    others = (names_in_first_section(TEXT) & usernames) - set(LOGINS)
    every = usernames & (names_in_first_section(TEXT) | set(LOGINS))
    for username in sorted(others):
        client = visit(username)
        meant = [a.path for a in readme_addresses(TEXT, every) if username in a.users]
        assert meant, f"README 提到 {username}，却未给出其地址"
        assert walk(client, meant + navigation_paths(client)) == [], username


def test_the_table_lists_demo_users_who_can_log_in(demo: None) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=LOGINS, is_demo=True)}
    assert sorted(users) == sorted(LOGINS)
    assert all(u.has_usable_password() and u.is_active for u in users.values())


def test_addresses_without_login(visit: Any) -> None:
    paths = [a.path for a in readme_addresses(TEXT, set(LOGINS)) if ANONYMOUS in a.users]
    assert "/citizen/" in paths
    assert walk(visit(ANONYMOUS), paths) == []


# --- links to files ---------------------------------------------------------------------------------


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_links_to_files_and_their_headings_exist() -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", TEXT)
    assert links
    for link in links:
        if re.match(r"^[a-z]+://", link):
            continue
        name, _, anchor = link.partition("#")
        target = README.parent / name
        assert target.is_file(), link
        if anchor:
            headings = re.findall(r"^#+ (.+)$", target.read_text(encoding="utf-8"), re.M)
            assert anchor in {slug(h) for h in headings}, link
