"""Fuzz the Open311 GeoReport v2 endpoints with schemathesis, from the OpenAPI document they
serve (/open311/v2/openapi.json, zhili.open311.openapi), in-process (WSGI, no server).

Three phases at the fixed seed of test_fuzz_api (ZHILI_FUZZ_SEED), small enough for every
run of the suite: the examples and random inputs of each operation, schemathesis' boundary
values (the coverage phase), and stateful sequences that follow the document's links (a
request created, then read by its id and by its token). The api_key and service_code are
mostly the world's, so that the code behind the key check and the catalog look-up runs.

The checks: no 5xx, and status codes, content types and bodies as the document declares
them (errors are the spec's list, `[{"code", "description"}]`).
"""

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.conftest import Tree
from zhili.core.tests.test_fuzz_api import (
    CHECKS,
    EXAMPLES,
    HOSTILE,
    SEED,
    in_process,  # noqa: F401
    stateful_settings,
)
from zhili.open311.tests.conftest import key, questions  # noqa: F401

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": True},
            # Always on here (seven operations): the boundary values are cheap and find most.
            "coverage": {"enabled": True, "unexpected-methods": []},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True},  # test_open311_stateful
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", WSGIHandler(), config=CONFIG)


class World:
    def __init__(self, raw_key: str, codes: list[str]):
        self.key, self.codes = raw_key, codes

    def swap(self, data: st.DataObject, values: dict[str, Any] | None, where: str) -> None:
        """Mostly the world's key and service codes; sometimes a hostile string."""
        for name, value in list((values or {}).items()):
            if not isinstance(value, str):
                continue
            choices = [
                st.just(value),
                st.sampled_from([h for h in HOSTILE if h or where != "path"]),
            ]
            if name == "api_key":
                choices = [st.just(self.key), st.just(self.key), *choices]
            elif name == "service_code":
                choices = [st.sampled_from(self.codes), st.sampled_from(self.codes), *choices]
            values[name] = data.draw(st.one_of(*choices), label=f"{where}.{name}")  # type: ignore[index]


@pytest.fixture
def world(key: str, questions: Tree, rules: Tree, register: Callable[..., Any]) -> World:  # noqa: F811
    register()  # a case of another channel, never published
    return World(key, ["HJ01", "SZ01", "JF", "HJ"])


@schema.parametrize()
@schema.given(data=st.data())
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_open311_operation(case: Any, data: st.DataObject, world: World, in_process: None) -> None:  # noqa: F811
    world.swap(data, case.path_parameters, "path")
    world.swap(data, case.query, "query")
    if isinstance(case.body, dict):
        world.swap(data, case.body, "body")
    case.call_and_validate(checks=CHECKS)


def test_open311_stateful(world: World, in_process: None) -> None:  # noqa: F811
    """A request created (201) is then read by its id and by its token, through the links
    of the document, with whatever else the fuzzer tries in between."""

    calls: list[tuple[str, str, int]] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            calls.append((case.method, case.operation.path, response.status_code))

        def before_call(self, case: Any) -> None:
            if isinstance(case.body, dict) and case.method == "POST":
                case.body["api_key"] = world.key
                case.body["service_code"] = "HJ01"
                case.body["attribute[SOURCE]"] = "shop"
                case.body.setdefault("address_string", "甲镇人民路1号")

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            kwargs.pop("additional_checks", None)
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    Workflow.run(settings=stateful_settings())
    # The links were followed: requests created, then read by id and by token.
    assert ("POST", "/open311/v2/requests.json", 201) in calls
    assert ("GET", "/open311/v2/requests/{service_request_id}.json", 200) in calls
    assert ("GET", "/open311/v2/tokens/{token}.json", 200) in calls


def test_the_document_is_served_and_lists_every_operation(client: Any) -> None:
    document = client.get("/open311/v2/openapi.json").json()
    operations = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert operations == {
        "discovery",
        "service_list",
        "service_definition",
        "request_list",
        "request_create",
        "request_detail",
        "token_detail",
    }
