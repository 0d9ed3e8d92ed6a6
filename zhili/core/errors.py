"""Errors that services raise and the API and pages turn into clear 4xx answers."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


class DomainError(Exception):
    """A request that breaks a rule. `field` names the input at fault, when there is one."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(DomainError):
    status = 422


class NotFound(DomainError):
    """Raised both for what does not exist and for what the user may not see."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "未找到该记录", **kwargs):
        super().__init__(message, **kwargs)


class Forbidden(DomainError):
    """The user can see the record but may not take this action on it."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The record changed under the request (e.g. a state transition already taken)."""

    status = 409
    code = "conflict"


def full_clean(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """`instance.full_clean()`, raising `InvalidInput` naming the first field at fault, so a
    model validator's complaint reaches the user as a 422 rather than a 500."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        )
        field, messages = next(iter(errors.items()))
        label = field if field != NON_FIELD_ERRORS else None
        raise InvalidInput("；".join(messages), field=label) from exc


def required_text(value: str | None, *, field: str, label: str, limit: int = 2000) -> str:
    """A service's required free text, stripped: missing or longer than `limit` is a 422
    naming `field` ("请填写{label}", "{label}不能超过{limit}字")."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"请填写{label}", field=field)
    if len(text) > limit:
        raise InvalidInput(f"{label}不能超过{limit}字", field=field)
    return text


class Unavailable(DomainError):
    """A service the request needs is not running (e.g. the media gateway): try again later."""

    status = 503
    code = "unavailable"
