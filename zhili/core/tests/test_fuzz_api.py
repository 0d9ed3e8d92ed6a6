"""Fuzz every operation of the JSON API at /api/v1/ with schemathesis.

The OpenAPI document is read from the application in-process (WSGI, no server) when this
module is collected, so whatever routers are mounted then are fuzzed, none named here. Each
operation gets generated inputs, valid and invalid, sent with the bearer token of a county
dispatcher who is also an administrator and a center director (the broadest rights) and an
integration's API key, against a small realistic world: the shared tree, personas, catalog
and rules, cases registered and dispatched, a supervision order, and for the dispute and
petition operations two disputes (one with an agreement, one fresh) and two petitions (one
replied, one fresh). Some generated strings are swapped for identifiers of that world (so the
code behind a lookup runs, not only its 404) or for `HOSTILE` strings that random text seldom
holds; the record parameter of a path (`/disputes/{number}`, `/petitions/{number}`, ...) is
first drawn from the numbers of that kind of record, so that each such operation reaches a
real one.

The checks: no 5xx (the project's rule: bad input is a 4xx naming the field), and every
answer's status code, content type and body as the document declares them.

Deterministic (a fixed seed, derandomized, no example database) and small (a few examples per
operation); docs/api.md says how to run a deeper search.
"""

import json
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, get_args

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from zhili.api import api
from zhili.assessment.services import scheme_create_default
from zhili.cases.models import Case
from zhili.cases.services import case_act
from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.conftest import Tree
from zhili.core.roles import Role
from zhili.integrations.models import PushChannel
from zhili.integrations.services import apikey_create, pushsource_create
from zhili.integrations.signing import signed_headers
from zhili.mediation.services import dispute_register
from zhili.mediation.tests.conftest import med, walk  # noqa: F401  (med: by name, lazily)
from zhili.mediation.tests.conftest import registration as dispute_registration
from zhili.orgs.models import Grid, Organization
from zhili.orgs.services import token_issue
from zhili.petitions.services import petition_register
from zhili.petitions.tests.conftest import advance
from zhili.petitions.tests.conftest import registration as petition_registration
from zhili.supervision.services import order_issue_for_case
from zhili.video.models import Camera
from zhili.video.services import camera_save

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
            # Run by test_api_stateful (as_state_machine), not by parametrize.
            "stateful": {"enabled": True},
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
        self,
        user: Any,
        api_key: str,
        identifiers: list[str],
        push_secrets: dict[str, str],
        records: dict[str, tuple[str, list[str]]],
    ):
        self.user = user
        self.api_key = api_key
        self.identifiers = identifiers
        self.push_secrets = push_secrets  # channel -> the push source's signing secret
        # "/disputes/{number}" -> ("number", the world's dispute numbers): the record a path
        # names, by the path's beginning and its parameter.
        self.records = records

    def records_for(self, path: str) -> tuple[str, list[str]] | None:
        for pattern, found in self.records.items():
            if pattern in path:
                return found
        return None

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
    request: pytest.FixtureRequest,
) -> World:
    user = make_user("fuzzer", tree.county, Role.DISPATCHER, Role.ADMIN, Role.CENTER_DIRECTOR)
    fresh = register()
    dispatched = register(category=catalog.lamp, title="路灯不亮")
    dispatched = case_act(actor=staff.dispatcher, case=dispatched, action="dispatch")
    order = order_issue_for_case(actor=staff.dispatcher, case=dispatched, reason="久拖未办")
    _, raw_key = apikey_create(actor=None, channel="hotline", name="12345 热线")
    # Disputes and petitions only for their own operations (lists, detail, actions, documents:
    # a quarter of them): the committees, mediators and steps are the costly part of the world.
    operation = request.node.name
    disputes = _disputes(request.getfixturevalue("med")) if "/disputes" in operation else []
    petitions = _petitions(staff) if "/petitions" in operation else []
    cameras = _cameras(tree) if "/cameras" in operation else []
    years = (
        [str(scheme_create_default(actor=None, year=2026).year)]
        if "/assessment" in operation
        else []
    )
    records = {
        "/cases/{case_no}": ("case_no", [fresh.case_no, dispatched.case_no]),
        "/supervision-orders/{number}": ("number", [order.number]),
        "/disputes/{number}": ("number", disputes),
        "/petitions/{number}": ("number", petitions),
        "/cameras/{code}": ("code", cameras),
        "/assessment/{year}": ("year", years),
    }
    identifiers = [
        fresh.case_no,
        dispatched.case_no,
        order.number,
        *disputes,
        *petitions,
        *cameras,
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
    return World(user, raw_key, identifiers, push_secrets, records)


def _disputes(mediation: Tree) -> list[str]:
    """One with an agreement first (the first example of an operation takes it: its document
    exists, the later steps can be taken), then a fresh one."""
    mediator = mediation.mediator1
    agreed = dispute_register(actor=mediator, registration=dispute_registration())
    fresh = dispute_register(actor=mediator, registration=dispute_registration(title="宅基地纠纷"))
    return [walk(agreed, "agreed", mediation).number, fresh.number]


def _cameras(places: Tree) -> list[str]:
    """A camera standing in a grid, and one not placed yet."""
    placed = Camera(code="32072290100113100001", name="村口", kind="hd_camera", owner=places.v11)
    placed.lat, placed.lng = 34.505, 118.705
    unplaced = Camera(code="32072290200113100002", name="路口", kind="lookout", owner=places.t2)
    return [camera_save(actor=None, camera=c).code for c in (placed, unplaced)]


def _petitions(people: Tree) -> list[str]:
    """One replied first (the reply document exists, review and rating can be asked), then a
    fresh one."""
    officer = people.petition
    replied = petition_register(actor=officer, data=petition_registration())
    fresh = petition_register(actor=officer, data=petition_registration(title="拖欠工程款"))
    return [advance(replied, people, "reply").number, fresh.number]


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


def _models(annotation: Any, found: set[type[BaseModel]]) -> None:
    """The pydantic models an annotation holds, their fields' models, and so on."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
    for arg in get_args(annotation):
        _models(arg, found)


def shared_schema_names(components: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """Operation id -> {component name: the modules declaring it} for the schema names that
    different classes share. django-ninja names a component after its class only, so the
    last class mounted wins and the other operations are documented with its fields."""
    used: dict[str, set[type[BaseModel]]] = {}
    for _, router in api._routers:
        for view in router.path_operations.values():
            for op in view.operations:
                found: set[type[BaseModel]] = set()
                for model in [*op.models, *op.response_models.values()]:
                    _models(model, found)
                used[api.get_openapi_operation_id(op)] = found
    declared: dict[str, dict[str, Any]] = {}
    for models in used.values():
        for model in models:
            if model.__name__ in components:
                fields = {n: repr(f.annotation) for n, f in model.model_fields.items()}
                declared.setdefault(model.__name__, {})[model.__module__] = fields
    shared = {
        name: sorted(by_module)
        for name, by_module in declared.items()
        if len({json.dumps(f, sort_keys=True) for f in by_module.values()}) > 1
    }
    return {
        op_id: {m.__name__: shared[m.__name__] for m in models if m.__name__ in shared}
        for op_id, models in used.items()
        if any(m.__name__ in shared for m in models)
    }


def test_every_schema_name_means_one_shape() -> None:
    """Two apps declaring different schemas under one class name (DisputeActIn, not ActIn)
    would document one app's operations with the other's fields."""
    components = list(schema.raw_schema.get("components", {}).get("schemas", {}))
    assert shared_schema_names(components) == {}


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
    _mix_in(data, case.path_parameters, "path", world.identifiers, world.records_for(case.path))
    _mix_in(data, case.query, "query")
    if isinstance(case.body, dict):
        _mix_in(data, case.body, "body")
    if "/integrations/push/" in case.path:
        # Mostly a channel that has a push source, so the order reaches the code behind it.
        channels = st.sampled_from(sorted(world.push_secrets))
        case.path_parameters["channel"] = data.draw(
            st.one_of(channels, channels, st.just(case.path_parameters["channel"])),
            label="path.channel",
        )
    case.call_and_validate(checks=CHECKS, **call_kwargs(case, world))


def call_kwargs(case: Any, world: World) -> dict[str, Any]:
    """The credentials, and for a push the signature (made here with the channel's secret, so
    that the generated order reaches the code behind the signature check; the raw body
    replaces schemathesis' serialization)."""
    kwargs: dict[str, Any] = {"headers": world.headers()}
    secret = world.push_secrets.get((case.path_parameters or {}).get("channel", ""))
    if "/integrations/push/" in case.path and secret and case.body is not None:
        raw = json.dumps(case.body, ensure_ascii=False, default=repr).encode()
        kwargs["headers"] |= signed_headers(secret, raw)
        kwargs["data"] = raw
    return kwargs


# --- the boundary phase on the push, the stateful phase on the whole API (issue 11) ----------
# Both at the fixed seed, bounded to keep the suite's run short; `make fuzz` goes deeper.
BOUNDARY_CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": 2, "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": True, "unexpected-methods": []},
            "fuzzing": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)
push_schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", WSGIHandler(), config=BOUNDARY_CONFIG
).include(path_regex="/integrations/push/")


@push_schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_push_boundaries(case: Any, world: World, in_process: None) -> None:
    """schemathesis' boundary values (lengths, bounds, missing and wrong-typed fields) for
    every field of a signed push on every channel."""
    case.call_and_validate(checks=CHECKS, **call_kwargs(case, world))


STEPS = int(os.environ.get("ZHILI_FUZZ_STEPS", "5"))
SCENARIOS = int(os.environ.get("ZHILI_FUZZ_SCENARIOS", "12"))


def stateful_settings() -> Any:
    return settings(
        max_examples=SCENARIOS,
        stateful_step_count=STEPS,
        derandomize=True,  # a fixed sequence of scenarios, the same on every run
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


# The one queue's operations (in the suite; all of them with ZHILI_FUZZ_STATEFUL_PATHS='.'):
# a few scenarios over every operation would seldom follow a link at all.
stateful_schema = schema.include(
    path_regex=os.environ.get("ZHILI_FUZZ_STATEFUL_PATHS", "^/api/v1/(cases|case-categories)")
)


def test_api_stateful(world: World, in_process: None) -> None:
    """Sequences of calls that feed one answer into the next call (links schemathesis infers:
    the catalog's codes into a new case, a listed case into its detail, its actions, its
    attachments and the phone reveal), as the dispatcher, checked like single calls."""

    calls: list[tuple[str, str, int]] = []

    class Workflow(stateful_schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return call_kwargs(case, world)

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            calls.append((case.method, case.operation.path, response.status_code))

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            kwargs.pop("additional_checks", None)
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    Workflow.run(settings=stateful_settings())
    # Answers fed into next calls: a listed case found again by its number (an action on it
    # may still be refused, 409, for its state).
    found = [call for call in calls if "{case_no}" in call[1] and call[2] != 404]
    assert found or "ZHILI_FUZZ_STATEFUL_PATHS" in os.environ, "\n".join(map(str, calls))


# Strings that broke, or could break, something below the schema: PostgreSQL refuses NUL in
# text, full-text query syntax, LIKE wildcards, quotes, characters outside the BMP, blanks.
HOSTILE = ["\x00", "a\x00b", '"', "'", "%", "_", "\\", "*", "NOT OR AND", "(", "𠀀😀", " ", ""]


def _mix_in(
    data: st.DataObject,
    values: dict[str, Any] | None,
    where: str,
    known: Sequence[str] = (),
    record: tuple[str, list[str]] | None = None,
) -> None:
    """Replace some of the generated strings: path parameters by identifiers of the world
    (so the code behind the lookup is reached, not only its 404), any string by one of
    `HOSTILE` (rare in random text, so a few examples would seldom try them).

    `record` (the parameter naming the path's record, and the world's records of that kind)
    comes first and twice: Hypothesis tries the simplest choice first, so an operation's
    first example names a real record (the one further on), and some of the others do."""
    for name, value in list((values or {}).items()):
        if isinstance(value, str):
            # An empty path parameter would make another URL, not a hostile value.
            hostile = [h for h in HOSTILE if h] if where == "path" else HOSTILE
            choices = [st.just(value), st.sampled_from(hostile)]
            if known:
                choices.append(st.sampled_from(known))
            if record is not None and record[0] == name and record[1]:
                real = st.sampled_from(record[1])
                choices = [real, real, *choices]
            values[name] = data.draw(st.one_of(*choices), label=f"{where}.{name}")  # type: ignore[index]
