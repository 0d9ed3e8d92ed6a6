"""The demo loader: questions on the demo catalog's services, loaded once."""

import io

from config.demo import DEMO_LOADERS
from zhili.cases.demo.loader import ensure_catalog
from zhili.open311 import demo
from zhili.open311.models import ServiceAttribute
from zhili.open311.tests.conftest import BASE


def test_the_demo_loader_is_registered_after_the_catalog():
    assert DEMO_LOADERS.index("zhili.open311.demo.load") > DEMO_LOADERS.index(
        "zhili.cases.demo.load"
    )


def test_demo_questions_load_once_and_are_served(client, db):
    ensure_catalog()
    out = io.StringIO()
    first = demo.load(stdout=out)
    expected = sum(len(specs) for specs in demo.DEFINITIONS.values())
    assert first["created"] == ServiceAttribute.objects.count() == expected
    assert demo.load(stdout=out)["created"] == 0
    assert ServiceAttribute.objects.count() == expected

    services = {s["service_code"]: s for s in client.get(f"{BASE}/services.json").json()}
    assert {code for code, s in services.items() if s["metadata"]} == set(demo.DEFINITIONS)
    lamp = client.get(f"{BASE}/services/SZ01.json").json()
    fault = lamp["attributes"][0]
    assert (fault["code"], fault["description"], fault["required"]) == ("FAULT", "故障情况", True)
    assert {"key": "off", "name": "不亮"} in fault["values"]
