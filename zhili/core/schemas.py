"""The base of every input schema of the JSON API (django-ninja): strict about numbers and
clean of invisible characters.

- A JSON `true` or `false` is refused (422 naming the field) where the field takes no
  boolean: pydantic's lax mode would read `"lat": true` as 1.0. Strings for numbers are
  still accepted (query parameters are strings).
- Every string is cleaned of bidi controls and invisible format characters
  (zhili.core.text): titles and names (`title`, `name`, `*_name`) of all of them.
"""

import types
import typing
from typing import Any

from ninja import Schema
from pydantic import ValidationInfo, field_validator

from zhili.core.text import clean_line, clean_text, is_line_field


def takes_bool(annotation: object) -> bool:
    """Whether a field annotated `annotation` may hold a boolean (bool, Any, or a union or
    annotation holding one)."""
    if annotation is bool or annotation is Any or annotation is object:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return any(takes_bool(arg) for arg in typing.get_args(annotation))
    if origin is typing.Literal:
        return any(isinstance(arg, bool) for arg in typing.get_args(annotation))
    return False


# Taken as typed: a secret is compared byte for byte.
VERBATIM = ("password", "secret", "token", "signature")


class Input(Schema):
    """Subclass this, not ninja's Schema, for what a client sends."""

    @field_validator("*", mode="before")
    @classmethod
    def _strict_and_clean(cls, value: object, info: ValidationInfo) -> object:
        name = info.field_name or ""
        if isinstance(value, bool):
            field = cls.model_fields.get(name)
            if field is not None and not takes_bool(field.annotation):
                raise ValueError("应为数字或文字，不能是 true/false")
        elif isinstance(value, str) and not name.startswith(VERBATIM):
            return clean_line(value) if is_line_field(name) else clean_text(value)
        return value


class ErrorOut(Schema):
    """Every 4xx answer of the API: what is wrong, a stable code, and the input at fault."""

    detail: str
    code: str
    field: str | None = None


# The errors any endpoint behind sign-in may answer with.
ERRORS: dict[int, type[ErrorOut]] = {code: ErrorOut for code in (401, 403, 404, 409, 422)}
