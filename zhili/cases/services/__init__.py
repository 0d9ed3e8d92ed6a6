"""Every write to cases: intake (受理) and each transition of the workflow.

A transition is checked three ways: the role (workflow.TRANSITIONS), the side (the actor's
unit covers the case's dispatch center or its lead unit) and the state, which the update
repeats as a condition (`state` and `updated_at` unchanged) so that of two people acting at
once one wins and the other gets a Conflict. Each writes a timeline row, an audit row and a
domain event in the same transaction; live pushes go out after commit.

The parts: `intake` (受理: `Intake` with its `Reported` part, `case_register`, `next_case_no`,
`title_from`),
`transitions` (the checks, `actions_for`, one handler per action and `case_act`),
`assists` (assisting units' tasks, 协办: opened with a dispatch, acted on through `case_act`),
`handing` (the rules of 交办 down a unit's subtree and of 退回来源 for a case outside the county),
`duplicates` (a dispatcher's merge or dismissal of a likely duplicate), `attachments`
(`case_attach`), `bulk` (historical orders by the batch),
`citizen` (a citizen's lookup and rating, without an account) and `common` (what they
share: the timeline row and the side check).
"""

from zhili.cases.services.attachments import case_attach, check_may_attach
from zhili.cases.services.citizen import case_lookup_by_citizen, case_rate_by_citizen
from zhili.cases.services.duplicates import duplicate_dismiss, duplicate_merge
from zhili.cases.services.intake import (
    Intake,
    Reported,
    case_register,
    next_case_no,
    title_from,
)
from zhili.cases.services.transitions import actions_for, case_act, check_transition

__all__ = [
    "Intake",
    "Reported",
    "actions_for",
    "case_act",
    "case_attach",
    "case_lookup_by_citizen",
    "case_rate_by_citizen",
    "case_register",
    "check_may_attach",
    "check_transition",
    "duplicate_dismiss",
    "duplicate_merge",
    "next_case_no",
    "title_from",
]
