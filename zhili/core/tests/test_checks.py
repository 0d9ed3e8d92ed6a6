"""The event registry is checked at start-up: a misspelt event name or handler path stops
every management command (serve, worker, migrate, check) instead of failing at delivery."""

import dataclasses

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from config import event_handlers
from zhili.core.checks import check_event_registry
from zhili.core.events import DomainEvent, known_event_types

GOOD_PATH = "zhili.cases.handlers.follow_master"


def ids(errors: list) -> list[str]:
    return [error.id for error in errors]


def test_the_real_registry_passes_and_its_check_is_registered() -> None:
    assert check_event_registry(event_handlers.EVENT_HANDLERS) == []
    assert run_checks(tags=["events"]) == []


def test_every_app_announces_its_events_in_the_registry_of_event_types() -> None:
    known = known_event_types()
    for name in ("core.calendar_changed", "cases.transitioned", "petitions.petition_closed",
                 "mediation.risk_flagged", "receptions.ownership_changed", "orgs.grids_changed",
                 "supervision.issued", "mobile.patrol_ended", "imports.cases_imported"):  # fmt: skip
        assert known[name].name == name
    assert set(event_handlers.EVENT_HANDLERS) <= set(known)


def test_a_misspelt_event_name_is_an_error_that_names_the_likely_one() -> None:
    [error] = check_event_registry({"cases.transitoned": [GOOD_PATH]})
    assert error.id == "zhili.E001"
    assert "'cases.transitoned'" in error.msg
    assert error.hint == "Did you mean 'cases.transitioned'?"


@pytest.mark.parametrize(
    "path",
    [
        "zhili.cases.handler.follow_master",  # the module misspelt
        "zhili.cases.handlers.folow_master",  # the function misspelt
        "follow_master",  # not a dotted path
    ],
)
def test_a_handler_path_that_does_not_import_is_an_error(path: str) -> None:
    [error] = check_event_registry({"cases.transitioned": [GOOD_PATH, path]})
    assert error.id == "zhili.E002"
    assert repr(path) in error.msg and "'cases.transitioned'" in error.msg


@pytest.mark.parametrize(
    "path",
    [
        "zhili.core.checks.REGISTRY",  # a string, not a function
        "zhili.receptions.handlers.summary",  # a function the outbox cannot call with an event
    ],
)
def test_a_path_to_something_that_is_not_a_handler_is_an_error(path: str) -> None:
    assert ids(check_event_registry({"cases.transitioned": [path]})) == ["zhili.E003"]


def test_every_mistake_is_reported_not_only_the_first() -> None:
    registry = {
        "cases.transitioned": ["zhili.cases.handlers.nothing", GOOD_PATH],
        "cases.carded_": ["zhili.nowhere.handlers.x"],
    }
    assert sorted(ids(check_event_registry(registry))) == ["zhili.E001", "zhili.E002", "zhili.E002"]


def test_a_misspelt_registry_stops_a_management_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        event_handlers.EVENT_HANDLERS, "cases.carded", ["zhili.supervision.handlers.open_order"]
    )
    with pytest.raises(SystemCheckError, match=r"zhili\.E002.*open_order"):
        call_command("check")


def test_a_second_event_class_may_not_take_a_name() -> None:
    with pytest.raises(TypeError, match=r"'cases\.transitioned' is taken by zhili\.cases\.events"):

        @dataclasses.dataclass(frozen=True)
        class Impostor(DomainEvent):
            name = "cases.transitioned"

    assert known_event_types()["cases.transitioned"].__module__ == "zhili.cases.events"
