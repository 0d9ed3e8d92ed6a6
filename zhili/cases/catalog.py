"""Reads of the dispatch catalog (派单目录): the active categories, one of them by code, and
whether cases may take a category (zhili.cases.selectors re-exports them)."""

from django.db.models import QuerySet

from zhili.cases.models import CATEGORY_STAMP, Category
from zhili.core.errors import InvalidInput
from zhili.core.stamps import StampedCache


def category_list() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).select_related("parent").order_by("path")


def category_get(code: str, *, field: str = "category") -> Category:
    try:
        return Category.objects.get(code=code, is_active=True)
    except Category.DoesNotExist as exc:
        raise InvalidInput(f"事项分类 {code} 不存在", field=field) from exc


def _load_groups() -> frozenset[int]:
    return frozenset(
        Category.objects.filter(is_active=True, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )


# The categories that have an active child; asked at every intake, so kept in the process.
_groups: StampedCache[frozenset[int]] = StampedCache(CATEGORY_STAMP, _load_groups)


def category_is_leaf(category: Category) -> bool:
    """Whether cases may take `category`: it has no active child (a group such as 环境保护
    is chosen through one of its leaves)."""
    return category.pk not in _groups.get()
