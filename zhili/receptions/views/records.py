"""Reception records on the day page: a reception without an appointment (当日来访), recorded
by the day's leader or the petition staff taking the minutes."""

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from zhili.core.errors import DomainError
from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.receptions import services
from zhili.receptions.views.appointments import reception_form
from zhili.receptions.views.common import refused
from zhili.receptions.views.day import Opened, day_or_404, day_response

OPENED: Opened = {
    "open_id": "walk_in",
    "open_action": "walk_in",
    "action_label": "登记当日来访",
}


@requires(Action.PETITIONS_VIEW)
@require_http_methods(["GET", "POST"])
def walk_in(request: StaffRequest, pk: int) -> HttpResponse:
    """A reception without an appointment (a petitioner who came on the day)."""
    day = day_or_404(request.user, pk)
    if request.method == "GET":
        if request.GET.get("cancel"):
            return day_response(request, day)
        return day_response(request, day, form=reception_form(day, walk_in=True), **OPENED)
    form = reception_form(day, request.POST, walk_in=True)
    if not form.is_valid():
        return day_response(request, day, form=form, status=422, **OPENED)
    try:
        fields = services.reception_input(request.user, form.cleaned_data)
        services.reception_record(actor=request.user, rota_day=day, **fields)
    except DomainError as exc:
        return day_response(request, day, form=form, status=refused(form, exc), **OPENED)
    return day_response(request, day, done="已记录当日来访接待")
