"""Bad input the API fuzzer (zhili/core/tests/test_fuzz_api.py) once turned into a 500 in the
supervision API; each is now a 422 naming the field."""

from datetime import UTC, datetime
from typing import Any

import pytest

from zhili.cases.tests.test_api import error, get
from zhili.core.dossier.pages import encode_cursor


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/supervision-orders?limit=99999999999999999999999", "limit"),
        ("/api/v1/supervision-orders?cursor=not-a-cursor", "cursor"),
        ("/api/v1/supervision-orders?unit=%00", "unit"),
        ("/api/v1/supervision-orders/DB2026-%00", "number"),
    ],
)
def test_bad_input_is_a_422(client: Any, staff: Any, url: str, field: str) -> None:
    error(get(client, staff.dispatcher, url), 422, field=field)


def test_a_cursor_past_the_oldest_order_is_an_empty_page(client: Any, staff: Any) -> None:
    cursor = encode_cursor(datetime(2000, 1, 1, tzinfo=UTC), 1)
    response = get(client, staff.dispatcher, f"/api/v1/supervision-orders?cursor={cursor}")
    assert response.status_code == 200
    assert response.json() == {"items": [], "next_cursor": None}
