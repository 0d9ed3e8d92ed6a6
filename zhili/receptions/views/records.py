"""Reception records on the day page: a reception without an appointment (当日来访), recorded
by the day's leader or the petition staff taking the minutes."""

from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from zhili.core.roles import Action
from zhili.orgs.auth import StaffRequest
from zhili.orgs.views import requires
from zhili.receptions import services
from zhili.receptions.models import Reception, RotaDay
from zhili.receptions.views.appointments import reception_form
from zhili.receptions.views.day import Opened, day_or_404, form_on_day

OPENED: Opened = {
    "open_id": "walk_in",
    "open_action": "walk_in",
    "action_label": "登记当日来访",
}


def _record(request: StaffRequest, day: RotaDay, data: dict[str, Any]) -> Reception:
    fields = services.reception_input(request.user, data)
    return services.reception_record(actor=request.user, rota_day=day, **fields)


@requires(Action.PETITIONS_VIEW)
@require_http_methods(["GET", "POST"])
def walk_in(request: StaffRequest, pk: int) -> HttpResponse:
    """A reception without an appointment (a petitioner who came on the day)."""
    day = day_or_404(request.user, pk)
    return form_on_day(
        request,
        day,
        lambda data: reception_form(day, data, walk_in=True),
        lambda data: _record(request, day, data),
        done="已记录当日来访接待",
        opened=OPENED,
    )
