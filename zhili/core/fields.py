"""Field kinds the models of every app repeat."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import models

_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)


class Ref(models.ForeignKey[_ST, _GT]):
    """A reference to another record with the project's defaults: ``on_delete=PROTECT``
    unless told, no reverse accessor (``related_name="+"``) unless one is named, and, when
    ``null=True``, optional in forms too (``blank`` follows ``null`` unless given).

    A field class rather than a function returning a ForeignKey, so that the type checker's
    Django plugin still sees a related field with its target model and nullability. It
    deconstructs as a plain ForeignKey: migrations do not know it.
    """

    def __init__(
        self,
        to: type[models.Model] | str,
        verbose_name: str | None = None,
        *,
        null: bool = False,
        blank: bool | None = None,
        related_name: str = "+",
        on_delete: Callable[..., None] = models.PROTECT,
    ) -> None:
        super().__init__(
            to,
            on_delete,
            related_name=related_name,
            verbose_name=verbose_name,
            null=null,
            blank=null if blank is None else blank,
        )

    def deconstruct(self) -> tuple[str, str, Sequence[object], dict[str, object]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs


def path_index(field: str, name: str) -> models.Index:
    """An index on a materialized path column for the scope filter's prefix scan.

    LIKE 'prefix%' on PostgreSQL needs pattern ops unless the collation is C.
    """
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


def set_index(field: str, name: str) -> models.Index:
    """A partial index of the rows whose `field` is set: what a sweep of open deadlines reads."""
    return models.Index(
        fields=[field], name=name, condition=models.Q(**{f"{field}__isnull": False})
    )


def newest_first_indexes(prefix: str, moment: str) -> list[models.Index]:
    """The indexes of a dossier list: newest `moment` first, overall and within a state
    (`<prefix>_recent`, `<prefix>_state_recent`)."""
    return [
        models.Index(fields=[f"-{moment}", "-id"], name=f"{prefix}_recent"),
        models.Index(fields=["state", f"-{moment}", "-id"], name=f"{prefix}_state_recent"),
    ]
