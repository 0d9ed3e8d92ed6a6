"""A citizen's rating: only once the case is closed, only once, and not over a phone
follow-up's rating. It is the workflow's "rate" step: timeline, audit and event."""

import pytest
from django.core import signing

from zhili.cases.models import Case, CaseEvent, Rating, State
from zhili.cases.services import case_act, case_rate_by_citizen
from zhili.core.errors import Conflict, InvalidInput
from zhili.core.models import AuditLog, OutboxEvent
from zhili.portal.tests.conftest import PHONE, closed, replied
from zhili.portal.views import RATE_SALT

TOKEN = 'name="token" value="'


def token_of(html: str) -> str:
    start = html.index(TOKEN) + len(TOKEN)
    return html[start : html.index('"', start)]


def rate(citizen, token: str, rating: str = Rating.SATISFIED, comment: str = "处理及时"):
    return citizen.client.post(
        "/citizen/progress/rate/", {"token": token, "rating": rating, "comment": comment}
    )


def test_a_closed_case_can_be_rated_once(citizen, web_case, staff, handler):
    case = closed(web_case, staff, handler)
    html = citizen.lookup(case.case_no, PHONE[-4:]).content.decode()
    assert 'data-testid="rate-form"' in html
    token = token_of(html)

    response = rate(citizen, token, Rating.BASICALLY_SATISFIED, "处理及时，但回复稍慢")
    assert response.status_code == 200
    assert "评价已提交" in response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert case.state == State.RATED
    assert case.rating == Rating.BASICALLY_SATISFIED
    assert case.rating_comment == "处理及时，但回复稍慢"
    event = CaseEvent.objects.filter(case=case, action="rate").get()
    assert event.actor is None and event.note == "群众自评"
    assert event.from_state == State.CLOSED and event.to_state == State.RATED
    audit = AuditLog.objects.get(action="cases.case.rate", target_id=str(case.pk))
    assert audit.actor is None
    assert OutboxEvent.objects.filter(name="cases.transitioned", payload__action="rate").exists()

    again = rate(citizen, token, Rating.UNSATISFIED)
    assert again.status_code == 409
    assert "您已评价过该诉求" in again.content.decode()
    assert Case.objects.get(pk=case.pk).rating == Rating.BASICALLY_SATISFIED
    assert CaseEvent.objects.filter(case=case, action="rate").count() == 1


def test_only_a_closed_case_can_be_rated(citizen, web_case, staff, handler):
    case = replied(web_case, staff, handler)
    html = citizen.lookup(case.case_no, PHONE[-4:]).content.decode()
    assert 'data-testid="rate-form"' not in html
    token = signing.dumps(case.pk, salt=RATE_SALT)  # as the page would give once closed
    response = rate(citizen, token)
    assert response.status_code == 409
    assert "诉求办结后才能评价" in response.content.decode()
    case = Case.objects.get(pk=case.pk)
    assert case.state == State.REPLIED and case.rating == ""


def test_a_phone_follow_up_rating_is_said_so(citizen, web_case, staff, handler):
    case = closed(web_case, staff, handler)
    token = token_of(citizen.lookup(case.case_no, PHONE[-4:]).content.decode())
    case_act(actor=staff.dispatcher, case=case, action="rate", rating=Rating.SATISFIED)

    html = citizen.lookup(case.case_no, PHONE[-4:]).content.decode()
    assert "工作人员已电话回访" in html and 'data-testid="rate-form"' not in html
    response = rate(citizen, token, Rating.UNSATISFIED)
    assert response.status_code == 409
    assert "工作人员已电话回访" in response.content.decode()
    assert Case.objects.get(pk=case.pk).rating == Rating.SATISFIED


def test_a_forged_or_stale_token_is_refused(citizen, web_case, staff, handler):
    case = closed(web_case, staff, handler)
    response = rate(citizen, signing.dumps(case.pk, salt="another"))
    assert response.status_code == 400 and "页面已过期" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == State.CLOSED


def test_the_rating_must_be_chosen(citizen, web_case, staff, handler):
    case = closed(web_case, staff, handler)
    token = token_of(citizen.lookup(case.case_no, PHONE[-4:]).content.decode())
    response = rate(citizen, token, rating="")
    assert response.status_code == 400
    assert 'data-testid="error-rating"' in response.content.decode()


def test_the_rating_rate_limit_holds(citizen, web_case, staff, handler, settings):
    settings.ZHILI_RATE_LIMITS = {**settings.ZHILI_RATE_LIMITS, "portal.rate": (1, 3600)}
    case = closed(web_case, staff, handler)
    token = token_of(citizen.lookup(case.case_no, PHONE[-4:]).content.decode())
    assert rate(citizen, token, rating="").status_code == 400
    assert rate(citizen, token).status_code == 429
    assert Case.objects.get(pk=case.pk).state == State.CLOSED


def test_the_service_checks_its_input_and_the_state(web_case, staff, handler):
    with pytest.raises(InvalidInput) as bad:
        case_rate_by_citizen(case=web_case, rating="great")
    assert bad.value.field == "rating"
    with pytest.raises(Conflict):
        case_rate_by_citizen(case=web_case, rating=Rating.SATISFIED)
    case = closed(web_case, staff, handler)
    stale = Case.objects.get(pk=case.pk)
    case_rate_by_citizen(case=case, rating=Rating.UNSATISFIED, comment=" 没解决 ")
    with pytest.raises(Conflict):
        case_rate_by_citizen(case=stale, rating=Rating.SATISFIED)
    case = Case.objects.get(pk=case.pk)
    assert case.rating == Rating.UNSATISFIED and case.rating_comment == "没解决"
    # An unsatisfied citizen's rating lets the dispatch center reopen the case.
    reopened = case_act(actor=staff.dispatcher, case=case, action="reopen", reason="群众不满意")
    assert reopened.state == State.DISPATCHED
