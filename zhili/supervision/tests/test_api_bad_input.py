"""Bad input the API fuzzer (zhili/core/tests/test_fuzz_api.py) once turned into a 500 in the
supervision API; each is now a 422 naming the field."""

from typing import Any

import pytest

from zhili.cases.tests.test_api import error, get


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/supervision-orders?offset=99999999999999999999999", "offset"),
        ("/api/v1/supervision-orders?unit=%00", "unit"),
        ("/api/v1/supervision-orders/DB2026-%00", "number"),
    ],
)
def test_bad_input_is_a_422(client: Any, staff: Any, url: str, field: str) -> None:
    error(get(client, staff.dispatcher, url), 422, field=field)


def test_a_far_offset_within_bounds_is_an_empty_page(client: Any, staff: Any) -> None:
    response = get(client, staff.dispatcher, "/api/v1/supervision-orders?offset=1000000000")
    assert response.status_code == 200
    assert response.json() == []
