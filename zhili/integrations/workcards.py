"""The administrator's card on the home page (zhili.core.workcards): the integrations' running."""

from django.urls import reverse

from zhili.core.roles import Action, Role
from zhili.core.scope import can
from zhili.core.types import Actor
from zhili.core.workcards import Figure, WorkCard, register_card
from zhili.integrations import selectors
from zhili.integrations.models import CallbackState


def integrations(user: Actor) -> WorkCard | None:
    if not can(user, Action.INTEGRATIONS_MANAGE):
        return None
    unmapped = selectors.mapping_list(user=user).filter(category__isnull=True).count()
    failed = selectors.callback_list(user=user).filter(state=CallbackState.FAILED).count()
    return WorkCard(
        "integrations",
        "对接运行",
        reverse("integrations:push"),
        [
            Figure(
                "未映射分类",
                unmapped,
                reverse("integrations:mappings"),
                "warn",
                "推送来的分类文字尚未对应到派单目录",
            ),
            Figure("回复回调失败", failed, reverse("integrations:push"), "alarm"),
        ],
    )


register_card(10, {Role.ADMIN}, integrations)
