"""What the incidents app shows on a case's page (registered when IncidentsConfig.ready()
imports this module): the incidents opened from the case that the viewer sees, and for a
commander, while the case is still being worked and has a place, the way to open one
(转为指挥事件: the desk's open form, filled with the case's number)."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from zhili.cases.models import Case
from zhili.cases.panels import CASE_PANELS
from zhili.cases.workflow import ACTIVE
from zhili.core.roles import Action
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.incidents.models import Incident
from zhili.incidents.selectors import incident_rows


def _opened_from(user: Actor, case: Case) -> QuerySet[Incident]:
    return incident_rows(user=user).filter(case=case).order_by("-opened_at")


@CASE_PANELS.entry("case_incidents")
def case_incidents(user: Actor, case: Case) -> QuerySet[Incident]:
    return _opened_from(user, case)


@CASE_PANELS.entry("incident_opener")
def incident_opener(user: Actor, case: Case) -> list[str]:
    """The desk's form for this case, when `user` may open an incident and none is open yet."""
    if (
        case.state not in ACTIVE
        or case.lat is None
        or not can(user, Action.FORCES_COMMAND)
        or _opened_from(user, case).exists()
    ):
        return []
    return [reverse("incidents:list") + "?" + urlencode({"case_no": case.case_no})]
