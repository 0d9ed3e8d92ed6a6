"""Fuzz every operation of the JSON API at /api/v1/ with schemathesis.

The OpenAPI document is read from the application in-process (WSGI, no server) when this
module is collected, so whatever routers are mounted then are fuzzed, none named here. Each
operation gets generated inputs, valid and invalid, sent with the bearer token of a county
dispatcher who is also an administrator and a center director (the broadest rights) and an
integration's API key, against a small realistic world: the shared tree, personas, catalog
and rules, cases registered and dispatched, a supervision order. Some generated strings are
swapped for identifiers of that world (so the code behind a lookup runs, not only its 404) or
for `HOSTILE` strings that random text seldom holds.

The checks: no 5xx (the project's rule: bad input is a 4xx naming the field), and every
answer's status code, content type and body as the document declares them.

Deterministic (a fixed seed, derandomized, no example database) and small (a few examples per
operation); docs/api.md says how to run a deeper search.
"""

import json
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.integrations.models import PushChannel
from zhili.integrations.services import apikey_create, pushsource_create
from zhili.integrations.signing import signed_headers
from zhili.orgs.models import Grid, Organization
from zhili.orgs.services import token_issue
from zhili.supervision.services import order_issue_for_case

# A deeper search: docs/api.md, "Fuzzing the API".
SEED = int(os.environ.get("ZHILI_FUZZ_SEED", "20261126"))
EXAMPLES = int(os.environ.get("ZHILI_FUZZ_EXAMPLES", "6"))
COVERAGE = os.environ.get("ZHILI_FUZZ_COVERAGE", "") == "1"
ONLY_5XX = os.environ.get("ZHILI_FUZZ_ONLY_5XX", "") == "1"

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
            "coverage": {"enabled": COVERAGE},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    }
)

CHECKS = (
    [not_a_server_error]
    if ONLY_5XX
    else [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
)


class World:
    """The data the fuzzer works against, and the credentials it sends."""

    def __init__(
        self, user: Any, api_key: str, identifiers: list[str], push_secrets: dict[str, str]
    ):
        self.user = user
        self.api_key = api_key
        self.identifiers = identifiers
        self.push_secrets = push_secrets  # channel -> the push source's signing secret

    def headers(self) -> dict[str, str]:
        # A fresh token per request: the fuzzer also calls POST /auth/logout, which revokes it.
        return {
            "Authorization": f"Bearer {token_issue(user=self.user, name='fuzz')}",
            "X-Api-Key": self.api_key,
        }


@pytest.fixture
def world(
    tree: Tree,
    staff: Tree,  # noqa: F811
    catalog: Tree,  # noqa: F811
    register: Callable[..., Case],  # noqa: F811
    make_user: Callable[..., Any],
) -> World:
    user = make_user("fuzzer", tree.county, Role.DISPATCHER, Role.ADMIN, Role.CENTER_DIRECTOR)
    fresh = register()
    dispatched = register(category=catalog.lamp, title="路灯不亮")
    dispatched = case_act(actor=staff.dispatcher, case=dispatched, action="dispatch")
    order = order_issue_for_case(actor=staff.dispatcher, case=dispatched, reason="久拖未办")
    _, raw_key = apikey_create(actor=None, channel="hotline", name="12345 热线")
    identifiers = [
        fresh.case_no,
        dispatched.case_no,
        order.number,
        *Organization.objects.values_list("code", flat=True),
        *Grid.objects.values_list("code", flat=True),
        *(c.code for c in catalog.__dict__.values()),
    ]
    push_secrets = {
        channel.value: pushsource_create(
            actor=None, channel=channel, name=channel.label, fallback_category=catalog.noise
        )[1]
        for channel in PushChannel
    }
    return World(user, raw_key, identifiers, push_secrets)


@pytest.fixture
def in_process() -> Iterator[None]:
    """Requests served in the test's own transaction: as Django's test client does, the
    handler must not close "old" connections at a request's start and end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded when the module is collected, from the application as it is then: every router
# mounted under /api/v1/ is fuzzed, including ones added after this test was written.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)
if os.environ.get("ZHILI_FUZZ_PATHS"):  # a regular expression, to fuzz some paths only
    schema = schema.include(path_regex=os.environ["ZHILI_FUZZ_PATHS"])


@schema.parametrize()
@schema.given(data=st.data())
@settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_operation(case: Any, data: st.DataObject, world: World, in_process: None) -> None:
    _mix_in(data, case.path_parameters, "path", world.identifiers)
    _mix_in(data, case.query, "query")
    if isinstance(case.body, dict):
        _mix_in(data, case.body, "body")
    headers, extra = world.headers(), {}
    if "/integrations/push/" in case.path:
        # Mostly a channel that has a push source, so the order reaches the code behind it.
        channels = st.sampled_from(sorted(world.push_secrets))
        case.path_parameters["channel"] = data.draw(
            st.one_of(channels, channels, st.just(case.path_parameters["channel"])),
            label="path.channel",
        )
    secret = world.push_secrets.get(case.path_parameters.get("channel", ""))
    if "/integrations/push/" in case.path and secret and case.body is not None:
        # Signed as the platform would sign it, so the generated order reaches the code
        # behind the signature check (the raw body replaces schemathesis' serialization).
        raw = json.dumps(case.body, ensure_ascii=False, default=repr).encode()
        headers |= signed_headers(secret, raw)
        extra["data"] = raw
    case.call_and_validate(headers=headers, checks=CHECKS, **extra)


# Strings that broke, or could break, something below the schema: PostgreSQL refuses NUL in
# text, full-text query syntax, LIKE wildcards, quotes, characters outside the BMP, blanks.
HOSTILE = ["\x00", "a\x00b", '"', "'", "%", "_", "\\", "*", "NOT OR AND", "(", "𠀀😀", " ", ""]


def _mix_in(
    data: st.DataObject, values: dict[str, Any] | None, where: str, known: Sequence[str] = ()
) -> None:
    """Replace some of the generated strings: path parameters by identifiers of the world
    (so the code behind the lookup is reached, not only its 404), any string by one of
    `HOSTILE` (rare in random text, so a few examples would seldom try them)."""
    for name, value in list((values or {}).items()):
        if isinstance(value, str):
            # An empty path parameter would make another URL, not a hostile value.
            hostile = [h for h in HOSTILE if h] if where == "path" else HOSTILE
            choices = [st.just(value), st.sampled_from(hostile)]
            if known:
                choices.append(st.sampled_from(known))
            values[name] = data.draw(st.one_of(*choices), label=f"{where}.{name}")  # type: ignore[index]
