"""Every scoped read of leader reception, one module per area: the rota (`rota`),
appointments (`appointments`), reception records (`records`), leader ownership
(`ownerships`), what a client names (`lookups`) and the township supervision
(`townships`).

A user sees the rota days, appointments and reception records of the organizations in their
subtree (the rota's `org_path`), and the 包案 of the leaders of those organizations. County-
wide users see all. Out of scope reads exactly like not found.
"""

from zhili.receptions.selectors.appointments import (
    appointment_find,
    appointment_get,
    appointment_list,
    appointments_of_days,
    appointments_today,
)
from zhili.receptions.selectors.common import MAX_ID, day_start, path_scope
from zhili.receptions.selectors.lookups import (
    joint_units,
    petition_by_number,
    units_by_code,
    user_by_username,
    user_get,
)
from zhili.receptions.selectors.ownerships import (
    OVERDUE,
    assignable_leaders,
    is_overdue,
    late_days,
    owner_level,
    owner_organization,
    ownership_counts,
    ownership_filtered,
    ownership_get,
    ownership_leaders,
    ownership_list,
    ownership_work,
    sees_ownerships,
)
from zhili.receptions.selectors.records import reception_get, reception_list, walk_ins
from zhili.receptions.selectors.rota import (
    CalendarDay,
    default_organization,
    has_rota,
    held,
    leader_days,
    leader_get,
    leaders_for,
    month_bounds,
    next_free_slot,
    rota_calendar,
    rota_get,
    rota_list,
    rota_month,
    rota_organization_get,
    rota_organizations,
    rota_window,
    staff_for,
)
from zhili.receptions.selectors.townships import (
    SORT_KEYS,
    TownshipRow,
    period,
    sort_key,
    totals,
    township_summary,
)

__all__ = [
    "MAX_ID",
    "OVERDUE",
    "SORT_KEYS",
    "CalendarDay",
    "TownshipRow",
    "appointment_find",
    "appointment_get",
    "appointment_list",
    "appointments_of_days",
    "appointments_today",
    "assignable_leaders",
    "day_start",
    "default_organization",
    "has_rota",
    "held",
    "is_overdue",
    "joint_units",
    "late_days",
    "leader_days",
    "leader_get",
    "leaders_for",
    "month_bounds",
    "next_free_slot",
    "owner_level",
    "owner_organization",
    "ownership_counts",
    "ownership_filtered",
    "ownership_get",
    "ownership_leaders",
    "ownership_list",
    "ownership_work",
    "path_scope",
    "period",
    "petition_by_number",
    "reception_get",
    "reception_list",
    "rota_calendar",
    "rota_get",
    "rota_list",
    "rota_month",
    "rota_organization_get",
    "rota_organizations",
    "rota_window",
    "sees_ownerships",
    "sort_key",
    "staff_for",
    "totals",
    "township_summary",
    "units_by_code",
    "user_by_username",
    "user_get",
    "walk_ins",
]
