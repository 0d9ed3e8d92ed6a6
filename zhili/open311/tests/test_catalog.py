"""discovery, services and service definitions, in JSON and XML."""

import json

import pytest
import xmltodict

from zhili.open311.tests.conftest import BASE
from zhili.open311.tests.helpers import errors, items

FORMATS = ["json", "xml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_endpoint_and_its_formats(client, db, fmt):
    response = client.get(f"{BASE}/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        doc = json.loads(response.content)
        endpoint = doc["endpoints"][0]
        formats = endpoint["formats"]
    else:
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        doc = xmltodict.parse(response.content)["discovery"]
        endpoint = doc["endpoints"]["endpoint"]
        formats = endpoint["formats"]["format"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["type"] == "production"
    assert set(formats) == {"text/xml", "application/json"}
    assert doc["changeset"].endswith("+08:00")
    assert doc["contact"] and doc["key_service"]


def test_the_root_answers_the_discovery_document(client, db):
    response = client.get(f"{BASE}/")
    assert response.status_code == 200
    assert "discovery" in xmltodict.parse(response.content)


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_active_leaves_with_their_group(client, catalog, questions, fmt):
    catalog.lamp.description = "路灯不亮、闪烁或灯杆倾斜"
    catalog.lamp.keywords = "路灯 不亮 灯杆"
    catalog.lamp.save()
    response = client.get(f"{BASE}/services.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
    services = {s["service_code"]: s for s in items(response, fmt, "services", "service")}
    # Groups with children are not services; a group without children is one (its own group).
    assert set(services) == {"HJ01", "SZ01", "JF"}
    noise, lamp = services["HJ01"], services["SZ01"]
    assert noise["service_name"] == "噪音扰民"
    assert noise["group"] == "环境保护"
    assert services["JF"]["group"] == "矛盾纠纷"
    assert lamp["description"] == "路灯不亮、闪烁或灯杆倾斜"
    assert lamp["keywords"] == "路灯, 不亮, 灯杆"  # punct-ok: Open311 lists keywords with ", "
    assert {noise["type"], lamp["type"]} == {"realtime"}
    yes, no = (True, False) if fmt == "json" else ("true", "false")
    assert noise["metadata"] == yes  # it has questions
    assert lamp["metadata"] == no


def test_inactive_categories_are_not_offered(client, catalog):
    catalog.lamp.is_active = False
    catalog.lamp.save()
    codes = {s["service_code"] for s in client.get(f"{BASE}/services.json").json()}
    # SZ lost its only active leaf, so requests now go to SZ itself.
    assert codes == {"HJ01", "SZ", "JF"}
    assert client.get(f"{BASE}/services/SZ01.json").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_lists_the_questions_in_order(client, questions, fmt):
    response = client.get(f"{BASE}/services/HJ01.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        doc = response.json()
        attributes = doc["attributes"]
    else:
        doc = xmltodict.parse(response.content)["service_definition"]
        attributes = doc["attributes"]["attribute"]
    assert doc["service_code"] == "HJ01"
    # The retired question is not asked.
    assert [a["code"] for a in attributes] == ["SOURCE", "PERIOD", "DECIBEL", "SINCE", "NOTE"]
    source, period, decibel = attributes[0], attributes[1], attributes[2]
    assert source["datatype"] == "singlevaluelist"
    assert source["description"] == "噪音来源"
    assert str(source["required"]).lower() == "true"
    assert str(attributes[4]["variable"]).lower() == "false"
    assert period["datatype"] == "multivaluelist"
    assert decibel["datatype"] == "number"
    if fmt == "json":
        values = source["values"]
        assert decibel["values"] == []
    else:
        values = source["values"]["value"]
        assert decibel["values"] is None
    assert values == [
        {"key": "construction", "name": "建筑施工"},
        {"key": "shop", "name": "商铺经营"},
        {"key": "home", "name": "邻里生活"},
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_is_a_404_in_the_spec_error_format(client, catalog, fmt):
    response = client.get(f"{BASE}/services/NOPE.{fmt}")
    assert response.status_code == 404
    [error] = errors(response, fmt)
    assert error["code"] == 404
    assert "NOPE" in error["description"]
    assert error["description"].startswith("service_code")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_group_with_leaves_has_no_definition(client, catalog, fmt):
    assert client.get(f"{BASE}/services/HJ.{fmt}").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_wrong_method_is_a_405(client, catalog, fmt):
    response = client.post(f"{BASE}/services.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert errors(response, fmt)[0]["code"] == 405
    response = client.delete(f"{BASE}/requests.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_unknown_format_and_path_answer_in_the_error_format(client, db):
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 404
    assert errors(response, "xml")[0]["code"] == 404
    response = client.get(f"{BASE}/nothing/here.json")
    assert response.status_code == 404
    assert errors(response, "json")[0]["code"] == 404
    response = client.post(f"{BASE}/nothing.xml")  # no CSRF page either
    assert response.status_code == 404
