"""The sender's category texts mapped to our dispatch catalog (the 分类映射 page)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhili.cases.models import Category
from zhili.cases.selectors import category_is_leaf
from zhili.core.audit import audit
from zhili.core.errors import InvalidInput
from zhili.core.roles import Action
from zhili.core.scope import require
from zhili.core.types import Actor
from zhili.integrations.models import CategoryMapping

TEXT_LENGTH = 200


def normalize(text: str) -> str:
    """One spelling per text: inner runs of blanks become one space."""
    return " ".join(text.split())[:TEXT_LENGTH]


def mapping_resolve(*, channel: str, text: str) -> CategoryMapping:
    """The mapping of `text` on `channel` (created, unmapped, on first sight). Runs inside the
    push's transaction; count the hit with `mapping_hit` at its end."""
    now = timezone.now()
    mapping, created = CategoryMapping.objects.select_related("category").get_or_create(
        channel=channel, text=normalize(text), defaults={"first_seen_at": now, "last_seen_at": now}
    )
    if created:
        audit(None, "integrations.mapping.discover", mapping, channel=channel, text=mapping.text)
    return mapping


def mapping_hit(mapping: CategoryMapping) -> None:
    """Count an order that used `mapping`. Its row stays locked until the push commits, so
    this comes last: pushes of one category text wait on each other only that long."""
    CategoryMapping.objects.filter(pk=mapping.pk).update(
        hit_count=F("hit_count") + 1, last_seen_at=timezone.now()
    )


@transaction.atomic
def mapping_set(
    *, actor: Actor, mapping: CategoryMapping, category: Category | None
) -> CategoryMapping:
    """Map (or unmap, with None) a sender's text. Applies to the orders pushed from now on."""
    require(actor, Action.INTEGRATIONS_MANAGE)
    if category is not None and not category.is_active:
        raise InvalidInput("该事项分类已停用", field="category")
    if category is not None and not category_is_leaf(category):
        raise InvalidInput(f"“{category.name}”是大类，请选择其下的具体分类", field="category")
    before = mapping.category.code if mapping.category else ""
    CategoryMapping.objects.filter(pk=mapping.pk).update(
        category=category, updated_by=actor, updated_at=timezone.now()
    )
    mapping.refresh_from_db()
    after = category.code if category else ""
    audit(actor, "integrations.mapping.set", mapping, before=before, after=after)
    return mapping
