"""The rule for browser tests without their browser (zhili.conftest.require_browser): skipped
on a developer's machine, failed on CI, where a skip would hide that no browser test ran."""

import sys
from typing import Any

import pytest

from zhili.conftest import CHROMIUM, pytest_runtest_setup, require_browser

MISSING = "/nonexistent/chromium"


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_on_ci_a_missing_browser_fails_the_test_and_names_it(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match=f"the browser {MISSING} is missing"):
        require_browser(MISSING)


@pytest.mark.parametrize("value", [None, "", "false"])
def test_elsewhere_a_missing_browser_skips_the_test(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match=MISSING):
        require_browser(MISSING)


def test_a_present_browser_passes_even_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    require_browser(sys.executable)


class Item:
    """The little of a pytest item that the setup hook reads."""

    def __init__(self, marker: str | None = None, fixtures: tuple[str, ...] = ()) -> None:
        self.marker = marker
        self.fixturenames = fixtures

    def get_closest_marker(self, name: str) -> Any:
        return object() if name == self.marker else None


@pytest.mark.parametrize(
    "item",
    [Item(marker="browser"), Item(fixtures=("live_server", "browser"))],
    ids=["marked", "fixture"],
)
def test_every_browser_test_goes_through_the_rule(
    monkeypatch: pytest.MonkeyPatch, item: Item
) -> None:
    """Marked `browser` (BROWSER in web/tests/conftest.py) or using the `browser` fixture."""
    asked: list[str] = []
    monkeypatch.setattr("zhili.conftest.require_browser", lambda: asked.append(CHROMIUM))
    pytest_runtest_setup(item)  # type: ignore[arg-type]
    assert asked == [CHROMIUM]


def test_other_tests_do_not_need_the_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("zhili.conftest.require_browser", lambda: pytest.fail("asked"))
    pytest_runtest_setup(Item(fixtures=("live_server", "page_text")))  # type: ignore[arg-type]
