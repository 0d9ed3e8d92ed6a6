"""信访事项查询 on the citizen page: a petitioner checks progress with the petition number and
the last four digits of their phone, and rates the handling once after the reply
(信访工作条例 第二十一条第二款, zhili.petitions.law "rating": the petitioner can follow and
rate the handling).

Like the case lookup (zhili.portal.views.progress): rate limited per client address and per
petition number after failures, one answer ("未找到") for a wrong tail and an unknown number,
every lookup audited (zhili.petitions.services.citizen); after a lookup, a signed token lets
the same petitioner rate for an hour without asking again. The page shows the steps, the
dates and the reply, never staff names or other petitioners' data.
"""

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from zhili.core.personal import mask_personal_text
from zhili.orgs.models import Organization
from zhili.petitions import services
from zhili.petitions.models import Petition, Rating, State
from zhili.petitions.workflow import ANSWERED, TRANSITIONS
from zhili.portal.forms import PetitionLookupForm, PetitionRateForm
from zhili.portal.selectors import PublicStep
from zhili.portal.views import RatingPage, limited_lookup, take_rating

RATE_SALT = "zhili.portal.petition_rate"
PUBLIC_STEPS = {
    "register": "登记",
    **{name: t.label for name, t in TRANSITIONS.items()},
    "approve_extension": "延长办理期限",
    "deliver": "书面答复送达",
}
# What the petitioner is told at each step (no staff names, no notes); the units' exchanges
# about who handles the matter stay internal (a new transfer shows as one, an extension
# once approved).
HIDDEN_STEPS = {
    "card",
    "hand_back",
    "approve_hand_back",
    "refuse_hand_back",
    "extend",
    "refuse_extension",
}


def public_steps(petition: Petition) -> list[PublicStep]:
    """Each transfer names the unit it went to (a petition handed back went to two)."""
    steps = []
    events = list(petition.events.order_by("created_at", "id"))
    codes = [e.data.get("unit", "") for e in events if e.action == "assign"]
    names = dict(Organization.objects.filter(code__in=codes).values_list("code", "name"))
    for event in events:
        if event.action in HIDDEN_STEPS:
            continue
        unit = ""
        if event.action == "assign":
            current = petition.handling_unit.name if petition.handling_unit else ""
            unit = names.get(event.data.get("unit", ""), current)
        steps.append(PublicStep(event.created_at, PUBLIC_STEPS.get(event.action, ""), unit))
    return [s for s in steps if s.label]


def _result(
    request: HttpRequest,
    petition: Petition,
    *,
    rate_form: PetitionRateForm | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    petition = Petition.objects.select_related("handling_unit", "review_unit").get(pk=petition.pk)
    token = signing.dumps(petition.pk, salt=RATE_SALT)
    can_rate = petition.state in ANSWERED and bool(petition.replied_at) and not petition.rating
    context = {
        "form": PetitionLookupForm(initial={"number": petition.number}),
        "petition": petition,
        "steps": public_steps(petition),
        "reply": mask_personal_text(petition.reply),
        "facts": mask_personal_text(petition.reply_facts),
        "basis": mask_personal_text(petition.reply_basis),
        "can_rate": can_rate,
        "rating_label": Rating(petition.rating).label if petition.rating else "",
        "rate_form": rate_form or PetitionRateForm(initial={"token": token}),
        "notice": notice,
        "not_accepted": petition.state == State.NOT_ACCEPTED,
    }
    return render(request, "portal/petition.html", context, status=status)


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "portal/petition.html", {"form": PetitionLookupForm()})
    return limited_lookup(
        request,
        PetitionLookupForm(request.POST),
        template="portal/petition.html",
        number_field="number",
        find=lambda number, tail, client: services.petition_lookup_by_petitioner(
            number=number, phone_tail=tail, client=client
        ),
        show=lambda petition: _result(request, petition),
    )


PETITION_RATING: RatingPage[Petition] = RatingPage(
    salt=RATE_SALT,
    template="portal/petition.html",
    lookup_form=PetitionLookupForm,
    rate_form=PetitionRateForm,
    get=lambda pk: Petition.objects.get(pk=pk),
    rate=lambda petition, rating, comment: services.petition_rate_by_petitioner(
        petition=petition, rating=rating, comment=comment
    ),
    result=_result,
)


@require_POST
def rate(request: HttpRequest) -> HttpResponse:
    return take_rating(request, PETITION_RATING)
