"""The desk's pages: the list with the form that opens an incident, the incident's page, scope."""

from typing import Any

import pytest
from django.test import Client

from zhili.incidents import services
from zhili.incidents.models import Incident
from zhili.incidents.tests.conftest import HERE

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="zhili.orgs.auth.StaffBackend")
    return client


def test_the_desk_form_opens_an_incident_and_shows_its_page(plans, forces, township_commander):
    desk = client_for(township_commander)
    form = {
        "category": "QTJJ",
        "title": "桥头聚集",
        "level": "ordinary",
        "plan": "",
        "case_no": "",
        "lat": HERE[0],
        "lng": HERE[1],
    }
    answer = desk.post("/incidents/", form)
    incident = Incident.objects.get(title="桥头聚集")
    assert answer.status_code == 302 and answer["Location"] == f"/incidents/{incident.number}/"
    page = desk.get(answer["Location"]).content.decode()
    assert "控制现场" in page and "牵头化解" in page and "开启事件" in page
    assert "1 分钟" in page and "周边 500 米监控" in page


def test_the_form_without_a_point_says_so(plans, township_commander):
    answer = client_for(township_commander).post(
        "/incidents/", {"category": "QTJJ", "title": "桥头聚集", "level": "ordinary"}
    )
    assert answer.status_code == 400
    assert "请点选地点" in answer.content.decode()
    assert not Incident.objects.exists()


def test_another_townships_incident_is_not_found(plans, township_commander, other_township):
    incident = services.incident_open(
        actor=township_commander,
        category="QTJJ",
        title="桥头聚集",
        lat=HERE[0],
        lng=HERE[1],
        level="ordinary",
    )
    other = client_for(other_township)
    assert other.get(f"/incidents/{incident.number}/").status_code == 404
    assert incident.number not in other.get("/incidents/").content.decode()
    assert incident.number in client_for(township_commander).get("/incidents/").content.decode()
