"""What the apps' selectors share: one row of a scoped queryset, or "not found".

A selector's ``<thing>_list(user=...)`` is the queryset of the rows in the user's sight; its
``<thing>_get`` is one of them. A row out of sight is answered as one that does not exist
(404), with the app's own message. A list's filters come from its form or its API query
by `filters_from`.
"""

import dataclasses
from collections.abc import Mapping
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from zhili.core.errors import NotFound

M = TypeVar("M", bound=models.Model)


def one_or_not_found(rows: models.QuerySet[M], missing: str, **lookup: object) -> M:
    """The row of `rows` matching `lookup`; NotFound(`missing`) if there is none."""
    try:
        return rows.get(**lookup)
    except ObjectDoesNotExist as exc:  # rows.model.DoesNotExist
        raise NotFound(missing) from exc


def filter_given(rows: models.QuerySet[M], **lookups: object) -> models.QuerySet[M]:
    """`rows` narrowed by each of `lookups` whose value is given (not None, "" or False), in
    order: the filters a list's query leaves blank do not narrow it."""
    for lookup, value in lookups.items():
        if value:
            rows = rows.filter(**{lookup: value})
    return rows


F = TypeVar("F")


def filters_from(cls: type[F], values: Mapping[str, object], **given: object) -> F:
    """A selector's filters (`cls`, a dataclass) from the same-named `values` of a list's
    form (its cleaned data) or API query, an empty one ("" or None) keeping the filter's
    default; `given` sets the filters the input names otherwise."""
    names = {f.name for f in dataclasses.fields(cls)} - given.keys()  # type: ignore[arg-type]
    taken = {k: v for k, v in values.items() if k in names and v not in ("", None)}
    return cls(**taken, **given)
