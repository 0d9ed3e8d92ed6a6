"""Fuzz the intake endpoints that the OpenAPI document of /api/v1/ does not describe.

test_fuzz_api.py runs schemathesis over /api/v1/ (the signed pushes included). The other
mouths of the one queue are plain Django views with form or multipart bodies: Open311's
`POST requests`, the grid worker's `POST /m/api/reports` and the citizen's report form. Here
hypothesis (the engine under schemathesis) generates their fields: valid values, values of
the wrong kind, numbers out of range or not finite, and the strings that broke or could break
something below the form (NUL, which PostgreSQL refuses; characters outside the BMP; markup;
very long text). The check is the project's rule: whatever arrives, the answer is not a 5xx.

Deterministic (derandomized) and small; ZHILI_FUZZ_EXAMPLES raises the count per endpoint.
"""

import os
import uuid
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhili.cases.tests.conftest import catalog, register, rules, staff  # noqa: F401
from zhili.conftest import Tree
from zhili.integrations.services import apikey_create
from zhili.portal.tests.conftest import Citizen

EXAMPLES = int(os.environ.get("ZHILI_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = ["\x00", "a\x00b", "𠀀😀", "<script>alert(1)</script>", "' OR 1=1 --", "%", " ", ""]
NUMBERS = ["nan", "inf", "-inf", "1e309", "-0", "34.505", "118.705", "999", "0x10", "1,5"]
texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(HOSTILE),
    st.sampled_from(NUMBERS),
    st.text(alphabet="路灯噪音扰民施工", min_size=2000, max_size=2100),
)
numbers = st.one_of(
    st.sampled_from(NUMBERS),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    texts,
)


def fields(**strategies: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Each field either absent or drawn from its strategy."""
    return st.fixed_dictionaries({}, optional=strategies)


@pytest.fixture
def world(
    tree: Tree,
    staff: Tree,  # noqa: F811
    rules: Tree,  # noqa: F811
    catalog: Tree,  # noqa: F811
    settings: Any,
) -> Tree:
    # The citizen page's rate limit would answer 429 after a few reports: the fuzzer wants
    # the code behind it.
    settings.ZHILI_RATE_LIMITS = {name: (10_000, 3600) for name in settings.ZHILI_RATE_LIMITS}
    tree.g111.workers.add(staff.gridworker)
    codes = [c.code for c in catalog.__dict__.values()]
    return Tree(codes=codes, key=apikey_create(actor=None, channel="open311", name="fuzz")[1])


def category(codes: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(codes), texts)


@given(data=st.data())
@FUZZ
def test_open311_post_requests_never_answers_5xx(world: Tree, data: st.DataObject) -> None:
    form = data.draw(
        fields(
            service_code=category(world.codes),
            lat=numbers,
            long=numbers,
            address_string=texts,
            description=texts,
            media_url=texts,
            email=texts,
            device_id=texts,
            account_id=texts,
            first_name=texts,
            last_name=texts,
            phone=texts,
            **{"attribute[SOURCE]": texts, "attribute[]": texts},
        )
    )
    form["api_key"] = data.draw(st.one_of(st.just(world.key), texts), label="api_key")
    fmt = data.draw(st.sampled_from(["json", "xml"]), label="format")
    response = Client().post(f"/open311/v2/requests.{fmt}", form)
    assert response.status_code < 500, response.content[:300]


@given(data=st.data())
@FUZZ
def test_grid_worker_report_never_answers_5xx(
    world: Tree,
    staff: Tree,  # noqa: F811
    data: st.DataObject,
) -> None:
    form = data.draw(
        fields(
            category=category(world.codes),
            description=texts,
            title=texts,
            urgency=st.one_of(st.sampled_from(["normal", "urgent", "emergency"]), texts),
            lat=numbers,
            lng=numbers,
            address=texts,
            reporter_name=texts,
            reporter_phone=texts,
        )
    )
    form["key"] = data.draw(st.one_of(st.uuids().map(str), texts), label="key")
    phone = Client()
    phone.force_login(staff.gridworker)
    response = phone.post("/m/api/reports", form)
    assert response.status_code < 500, response.content[:300]


@given(data=st.data())
@FUZZ
def test_citizen_report_never_answers_5xx(world: Tree, data: st.DataObject) -> None:
    form = data.draw(
        fields(
            category=category(world.codes),
            lat=numbers,
            lng=numbers,
            address=texts,
            description=texts,
            reporter_phone=st.one_of(st.just("13912345678"), texts),
            reporter_name=texts,
        )
    )
    citizen = Citizen(Client())
    response = citizen.report(**form)
    assert response.status_code < 500, response.content[:300]
    lookup = citizen.lookup(
        data.draw(st.one_of(texts, st.just(f"DH20261126-{uuid.uuid4().int % 99999:05d}"))),
        data.draw(st.one_of(texts, st.just("5678"))),
    )
    assert lookup.status_code < 500, lookup.content[:300]
