"""The citizen's public page (群众诉求): report without an account, check progress, rate.

No login. Every POST is rate-limited by client address (zhili.core.ratelimit); a report also
needs the arithmetic challenge (zhili.portal.challenge) and an empty honeypot. A lookup
needs the case number and the last four digits of the phone; after one, the page carries a
signed token that lets the same citizen rate the case for a while without asking again.
"""

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django import forms
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhili.cases import services
from zhili.cases.models import Case, Channel, Rating, State
from zhili.cases.selectors import category_get
from zhili.cases.services.citizen import citizen_rated
from zhili.core import ratelimit
from zhili.core.errors import Conflict, DomainError, InvalidInput
from zhili.core.pages import tile_config
from zhili.core.personal import mask_phone
from zhili.core.uploads import check_photos
from zhili.portal import challenge, selectors
from zhili.portal.forms import (
    CASE_NO,
    MAX_PHOTOS,
    LookupForm,
    PhoneTailForm,
    RateForm,
    ReportForm,
)

T = TypeVar("T")

log = logging.getLogger(__name__)

RATE_SALT = "zhili.portal.rate"
RATE_TTL = 60 * 60  # how long after a lookup the citizen may rate without looking up again
EXTERNAL_PREFIX = "portal:"  # external_id of a web report: the challenge's nonce, once only
# Where a service's complaint about a field shows on the citizen's form.
FIELD_MAP = {
    "attachments": "photos",
    "title": "description",
    "lat": "address",
    "lng": "address",
}


def rate_limited_page(request: HttpRequest, exc: ratelimit.RateLimited) -> HttpResponse:
    minutes = max((exc.retry_after + 59) // 60, 1)
    context = {"until": timezone.localtime(exc.until), "minutes": minutes}
    response = render(request, "portal/ratelimited.html", context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


# --- report -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _report_page(request, ReportForm())
    client = ratelimit.client_key(request)
    try:
        ratelimit.hit("portal.report", client)
    except ratelimit.RateLimited as exc:
        return rate_limited_page(request, exc)
    form = ReportForm(request.POST, request.FILES)
    if form.data.get("website"):
        log.info("portal report refused: honeypot filled by %s", client)
        form.add_error(None, "提交未通过校验，请刷新页面后重试")
        return _report_page(request, form, status=400)
    nonce = _challenge_nonce(request, form)
    if isinstance(nonce, HttpResponse):
        return nonce
    if not form.is_valid():
        return _report_page(request, form, status=400)
    try:
        case = _register(form, request.FILES.getlist("photos"), nonce)
    except DomainError as exc:
        return _refused(request, form, exc)
    return _done_page(request, case)


def _challenge_nonce(request: HttpRequest, form: ReportForm) -> str | HttpResponse:
    """The answered challenge's nonce; or the page to answer with instead: the case this
    very form made already, or the refusal."""
    try:
        return challenge.verify(
            form.data.get("challenge_token", ""), form.data.get("challenge_answer", "")
        )
    except challenge.ChallengeUsed as exc:
        done = Case.objects.filter(
            channel=Channel.WEB, external_id=f"{EXTERNAL_PREFIX}{exc.nonce}"
        ).first()
        if done is not None:  # the same form sent twice (a double tap, a reload): one case
            return _done_page(request, done)
        return _refused(request, form, exc)
    except InvalidInput as exc:
        form.is_valid()  # show the other fields' errors too
        return _refused(request, form, exc)


def _register(form: ReportForm, photos: list[UploadedFile], nonce: str) -> Case:
    check_photos(photos, limit=MAX_PHOTOS)
    data = form.cleaned_data
    description = data["description"].strip()
    intake = services.Intake(
        channel=Channel.WEB,
        category=category_get(data["category"]),
        title=services.title_from(description),
        description=description,
        lat=data["lat"],
        lng=data["lng"],
        address=data["address"],
        reporter_name=data["reporter_name"],
        reporter_phone=data["reporter_phone"],
        external_id=f"{EXTERNAL_PREFIX}{nonce}",
    )
    return services.case_register(actor=None, intake=intake, attachments=photos)


def _refused(request: HttpRequest, form: ReportForm, exc: DomainError) -> HttpResponse:
    field = FIELD_MAP.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
    return _report_page(request, form, status=422 if exc.status == 404 else exc.status)


def _report_page(request: HttpRequest, form: ReportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "challenge": challenge.issue(),
        "max_photos": MAX_PHOTOS,
        "photos_lost": form.is_bound and bool(request.FILES),
        "map_config": {"outlinesUrl": reverse("portal:outlines"), **tile_config()},
    }
    return render(request, "portal/report.html", context, status=status)


def _done_page(request: HttpRequest, case: Case) -> HttpResponse:
    context = {"case": case, "phone": mask_phone(case.reporter_phone)}
    return render(request, "portal/report_done.html", context)


@require_GET
@cache_control(public=True, max_age=3600)
def outlines(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.township_outlines.get())


# --- progress and rating ----------------------------------------------------------------------


def limited_lookup(
    request: HttpRequest,
    form: PhoneTailForm,
    *,
    template: str,
    number_field: str,
    find: Callable[[str, str, str], T | None],
    show: Callable[[T], HttpResponse],
) -> HttpResponse:
    """The lookup both progress pages share (a case, a petition): by its number and the
    phone's last four digits, limited per client address and, after failures, per number;
    a wrong tail and an unknown number get the same answer. `find(number, tail, client)`
    is the audited service; `show` answers with the record found."""
    client = ratelimit.client_key(request)
    try:
        ratelimit.hit("portal.lookup", client)
        if form.is_valid():
            ratelimit.check("portal.lookup_case", form.cleaned_data[number_field])
    except ratelimit.RateLimited as exc:
        return rate_limited_page(request, exc)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    number = form.cleaned_data[number_field]
    found = find(number, form.cleaned_data["phone_tail"], client)
    if found is None:
        # Past the limit, the next attempt is refused by the check before the lookup.
        with contextlib.suppress(ratelimit.RateLimited):
            ratelimit.hit("portal.lookup_case", number)
        return render(request, template, {"form": form, "not_found": True}, status=404)
    return show(found)


def _prefill(request: HttpRequest) -> dict[str, str]:
    case_no = request.GET.get("case_no", "").strip().upper()
    return {"case_no": case_no} if CASE_NO.match(case_no) else {}


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # The printed receipt's QR code opens this page with its case number filled in.
        return render(
            request, "portal/progress.html", {"form": LookupForm(initial=_prefill(request))}
        )
    return limited_lookup(
        request,
        LookupForm(request.POST),
        template="portal/progress.html",
        number_field="case_no",
        find=lambda number, tail, client: services.case_lookup_by_citizen(
            case_no=number, phone_tail=tail, client=client
        ),
        show=lambda case: _result(request, selectors.public_case(case.pk)),
    )


def _result(
    request: HttpRequest,
    case: Case,
    *,
    rate_form: RateForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    token = signing.dumps(case.pk, salt=RATE_SALT)
    context = {
        "form": LookupForm(initial={"case_no": case.case_no}),
        "case": case,
        "steps": selectors.public_timeline(case),
        "show_reply": selectors.shows_reply(case),
        "can_rate": case.state == State.CLOSED,
        "rating_label": Rating(case.rating).label if case.rating else "",
        "citizen_rated": case.state == State.RATED and citizen_rated(case),
        "rate_form": rate_form or RateForm(initial={"token": token}),
        "notice": notice,
    }
    return render(request, "portal/progress.html", context, status=status)


@dataclass(frozen=True)
class RatingPage(Generic[T]):
    """How a progress page takes the citizen's rating after a lookup: the signed token's
    `salt`, the page's `template` and forms, `get(pk)` the record (raises DoesNotExist),
    `rate(record, rating, comment)` the service, `result(request, record, ...)` the page."""

    salt: str
    template: str
    lookup_form: type[forms.Form]
    rate_form: type[forms.Form]
    get: Callable[[int], T]
    rate: Callable[[T, str, str], object]
    result: Callable[..., HttpResponse]


def take_rating(request: HttpRequest, page: RatingPage[T]) -> HttpResponse:
    """Rate limited per client address; a token expired or forged asks for a new lookup;
    a rating given already (409) or refused (422) is said on the page."""
    try:
        ratelimit.hit("portal.rate", ratelimit.client_key(request))
    except ratelimit.RateLimited as exc:
        return rate_limited_page(request, exc)
    form = page.rate_form(request.POST)
    try:
        pk = signing.loads(request.POST.get("token", ""), salt=page.salt, max_age=RATE_TTL)
        record = page.get(int(pk))
    except (signing.BadSignature, ObjectDoesNotExist, TypeError, ValueError):
        context = {"form": page.lookup_form(), "expired": True}
        return render(request, page.template, context, status=400)
    if not form.is_valid():
        return page.result(request, record, rate_form=form, status=400)
    try:
        page.rate(record, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except Conflict as exc:
        return page.result(request, record, notice=exc.message, status=409)
    except InvalidInput as exc:
        form.add_error("rating", exc.message)
        return page.result(request, record, rate_form=form, status=422)
    return page.result(request, record, notice="评价已提交，感谢您的反馈")


CASE_RATING: RatingPage[Case] = RatingPage(
    salt=RATE_SALT,
    template="portal/progress.html",
    lookup_form=LookupForm,
    rate_form=RateForm,
    get=selectors.public_case,
    rate=lambda case, rating, comment: services.case_rate_by_citizen(
        case=case, rating=rating, comment=comment
    ),
    # Read afresh: the page shows the case as the rating left it.
    result=lambda request, case, **page: _result(request, selectors.public_case(case.pk), **page),
)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    return take_rating(request, CASE_RATING)
