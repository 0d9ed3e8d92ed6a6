"""The day page on the dossier kernel (issue 13): the buttons are the kernel's `actions_for`
(a day not come offers no reception), an opened appointment shows its history (the kernel's
timeline), and a refused action keeps the form with the service's message."""

import pytest

from zhili.receptions.services import rota_set
from zhili.receptions.tests.conftest import FRIDAY, booked

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_opened_appointment_shows_its_history(client, rx, county_day) -> None:
    appointment = booked(rx, county_day)
    client.force_login(rx.petition)
    url = f"/receptions/appointment/{appointment.pk}/cancel/"
    html = client.get(url, **HTMX).content.decode()
    assert 'data-testid="appointment-history"' in html
    assert 'data-action="book"' in html and "预约登记" in html
    done = client.post(url, {"reason": "本人撤回"}, **HTMX).content.decode()
    assert "已取消赵六的预约" in done and 'data-testid="appointment-history"' not in done


def test_a_day_not_come_offers_no_reception(client, rx) -> None:
    friday = rota_set(actor=rx.petition, organization=rx.tree.county, day=FRIDAY, leader=rx.leader)
    appointment = booked(rx, friday)
    client.force_login(rx.leader)
    html = client.get(f"/receptions/day/{friday.pk}/").content.decode()
    assert f'data-testid="act-receive-{appointment.pk}"' not in html
    assert 'data-testid="walk-in"' not in html
    opened = client.get(f"/receptions/appointment/{appointment.pk}/receive/", **HTMX)
    assert opened.status_code == 409 and "尚未到" in opened.content.decode()


def test_a_walk_in_with_an_unknown_petition_is_a_422(client, rx, county_day) -> None:
    client.force_login(rx.petition)
    answer = client.post(
        f"/receptions/day/{county_day.pk}/walk-in/",
        {"mode": "in_person", "petition": "XF0", "request": "a", "decision": "b"},
        **HTMX,
    )
    assert answer.status_code == 422
    assert 'data-testid="error-petition"' in answer.content.decode()


def test_an_unknown_action_is_not_found(client, rx, county_day) -> None:
    appointment = booked(rx, county_day)
    client.force_login(rx.petition)
    assert client.get(f"/receptions/appointment/{appointment.pk}/explode/").status_code == 404
    assert client.get("/receptions/appointment/99999/cancel/").status_code == 404
