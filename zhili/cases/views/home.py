"""The home page's card for the cases."""

from typing import Any

from django.urls import reverse

from zhili.cases import selectors, workflow
from zhili.core.roles import Action
from zhili.core.scope import can


def home_card(user: Any) -> dict[str, Any] | None:
    """The 一口受理 card of the home page: real counts for what this user works on."""
    if not can(user, Action.CASES_VIEW):
        return None
    figures = []
    url = reverse("cases:list")
    if can(user, Action.CASES_DISPATCH):
        qs = selectors.workbench_cases(user=user)
        for key in ("to_dispatch", "red", "to_close"):
            label, f = selectors.WORKBENCH_BUCKETS[key]
            figures.append({"label": label, "value": selectors.filter_cases(qs, f).count()})
        url = reverse("cases:workbench")
    elif can(user, Action.CASES_HANDLE) and getattr(user, "organization", None):
        counts = selectors.inbox_counts(user=user)
        for key, (label, _f) in selectors.INBOX_BUCKETS.items():
            figures.append({"label": label, "value": counts[key]})
        url = reverse("cases:inbox")
    else:
        open_cases = selectors.case_list(user=user).filter(state__in=workflow.ACTIVE).count()
        figures.append({"label": "办理中事件", "value": open_cases})
    return {
        "title": "一口受理 · 事件工单",
        "description": "12345热线、网格上报等渠道统一受理、分拨派单",
        "url": url,
        "figures": figures,
    }
