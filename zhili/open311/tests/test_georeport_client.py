"""The third-party `georeport` client (PyPI, unchanged) against the live server, in both
formats. Version 0.3.1 has no method to create a request, so the POST goes through `requests`
(the client's own HTTP library) to the client's root address with its api_key; everything
else is the client's own calls and parsing (xmltodict for XML)."""

import pytest
import requests
import xmltodict
from georeport import GeoReport

from zhili.cases.models import Case, Channel

pytestmark = [pytest.mark.django_db(transaction=True)]  # live_server: another thread

FORMATS = ["json", "xml"]


@pytest.fixture
def client_for(live_server, key, rules, questions):
    def make(fmt: str) -> GeoReport:
        return GeoReport(f"{live_server.url}/open311/v2/", api_key=key, output_format=fmt)

    return make


def create(report: GeoReport, **params: str) -> requests.Response:
    data = {"api_key": report.api_key, **params}
    url = f"{report.root_address}/requests.{report.output_format}"
    return requests.post(url, data=data, timeout=30)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_georeport_client_lists_creates_and_follows(client_for, fmt):
    report = client_for(fmt)
    services = {s["service_code"]: s for s in report.get_service_list()}
    assert {"HJ01", "SZ01", "JF"} <= set(services)
    assert services["HJ01"]["group"] == "环境保护"

    definition = report.get_service_definition("HJ01")
    assert definition["service_code"] == "HJ01"
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert attributes[0]["code"] == "SOURCE"

    response = create(
        report,
        service_code="HJ01",
        lat="34.505",
        long="118.705",
        description="夜里两点还在打桩",
        **{"attribute[SOURCE]": "construction"},
    )
    assert response.status_code == 201, response.text
    if fmt == "json":
        case_no = response.json()[0]["service_request_id"]
    else:
        parsed = xmltodict.parse(response.content)
        case_no = parsed["service_requests"]["request"]["service_request_id"]
    case = Case.objects.get(case_no=case_no)
    assert case.channel == Channel.OPEN311

    found = report.get_service_requests(service_code="HJ01", status="open")
    found = found if isinstance(found, list) else [found]
    assert [r["service_request_id"] for r in found] == [case_no]
    assert found[0]["description"].startswith("夜里两点还在打桩")

    one = report.get_service_request(case_no)
    assert one["service_request_id"] == case_no
    assert one["status"] == "open"
    assert one["agency_responsible"] == case.dispatch_center.name


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_sees_refusals_as_http_errors(client_for, fmt):
    report = client_for(fmt)
    with pytest.raises(requests.HTTPError) as refused:
        report.get_service_definition("NOPE")
    assert refused.value.response.status_code == 404
    with pytest.raises(requests.HTTPError) as refused:
        report.get_service_request("DH00000000-00000")
    assert refused.value.response.status_code == 404
    bad_key = GeoReport(report.root_address, api_key="zk_revoked", output_format=fmt)
    assert create(bad_key, service_code="SZ01", address_string="和平路").status_code == 403
