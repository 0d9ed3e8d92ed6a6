"""Every write of the incidents: opening one (its tasks from the plan), the desk's actions
through the kernel (dispatch, message, decide, close) and the handheld's answers.

A dispatch and each answer move the force's status through `zhili.forces.services.
force_status_record` (派遣 → 已派遣, 接收 → 在途, 到场 → 到场, 完成 → 在岗空闲, when the force's team
type has that status) and reach the pages at once: the dispatch the force's own handheld
(`user.<id>`), every step the commanding organization's groups (`incident.update`).

The parts: `opening` (the desk's `incident_open` and an emergency case's
`incident_open_for_case`: the number, the commanding organization, the plan and its tasks),
`actions` (the desk's actions, `incident_act`), `answers` (the handheld's `dispatch_answer`),
`force_status` (a force's own status change on its incidents' timelines,
`status_on_timelines`) and `common` (what they share: the status after each step, the talk
group, the `incident.update` message).
"""

from zhili.incidents.services.actions import ACTIONS, dispatch_message, incident_act
from zhili.incidents.services.answers import ANSWER_ORDER, dispatch_answer
from zhili.incidents.services.common import STATUS_AFTER, talk_group
from zhili.incidents.services.force_status import status_on_timelines
from zhili.incidents.services.opening import (
    IncidentFields,
    commanding_org,
    incident_open,
    incident_open_for_case,
    next_incident_no,
    plan_for,
    team_for,
)

__all__ = [
    "ACTIONS",
    "ANSWER_ORDER",
    "STATUS_AFTER",
    "IncidentFields",
    "commanding_org",
    "dispatch_answer",
    "dispatch_message",
    "incident_act",
    "incident_open",
    "incident_open_for_case",
    "next_incident_no",
    "plan_for",
    "status_on_timelines",
    "talk_group",
    "team_for",
]
