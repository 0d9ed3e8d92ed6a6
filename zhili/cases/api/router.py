"""The one router of the cases API and the errors every endpoint may answer with."""

from collections.abc import Callable
from typing import Any

from ninja import Router

from zhili.orgs.api import ErrorOut


class CasesRouter(Router):
    """Names each operation `zhili_cases_api_<function>`, as when the endpoints lived in one
    module, whichever part of the package defines it: clients generated from the OpenAPI
    document keep their method names."""

    def add_api_operation(
        self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any
    ) -> None:
        kwargs["operation_id"] = (
            kwargs.get("operation_id") or f"zhili_cases_api_{view_func.__name__}"
        )
        super().add_api_operation(path, methods, view_func, **kwargs)


cases_router = CasesRouter(tags=["事件工单"])

ERRORS: dict[int, type[ErrorOut]] = {code: ErrorOut for code in (401, 403, 404, 409, 422)}
