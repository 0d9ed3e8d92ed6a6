"""The cases API (事件工单): catalog, intake, scoped lists and details, every transition,
attachments and the audited reveal of a reporter's phone.

Endpoints hold no rules: reads go through `selectors` (out of scope is 404), writes through
`services` (which raise `zhili.core.errors` exceptions, turned into JSON by `zhili.api`).

The parts: `router` (the one router, mounted by `zhili.api`), `schemas` (input and output
shapes), `outputs` (rows to those shapes), and one module of endpoints per concern:
`catalog`, `intake`, `lists`, `detail`, `actions`, `attachments`, `personal`.
"""

from importlib import import_module

from zhili.cases.api.router import cases_router

# The endpoints register in import order, which is the order of the URL patterns and of the
# OpenAPI document: /cases/buckets must come before /cases/{case_no}.
ENDPOINT_MODULES = ("catalog", "intake", "lists", "detail", "actions", "attachments", "personal")
for _module in ENDPOINT_MODULES:
    import_module(f"{__name__}.{_module}")

__all__ = ["cases_router"]
