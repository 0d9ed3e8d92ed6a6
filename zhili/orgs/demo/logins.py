"""The demo accounts one can log in with, as `zhili demo` lists them (config/demo.py)."""

from zhili.core.demo import DemoLogins
from zhili.core.roles import Role
from zhili.orgs.demo.data import PASSWORD
from zhili.orgs.models import User


def demo_logins() -> DemoLogins:
    """The demo accounts one can log in with (the generated staff have no password)."""
    users = (
        User.objects.filter(is_demo=True, is_active=True)
        .exclude(password__startswith="!")  # noqa: S106 - unusable password marker
        .select_related("organization")
        .prefetch_related("groups")
        .order_by("id")
    )
    labels = dict(Role.choices)
    rows = [
        [
            user.username,
            "、".join(labels.get(g.name, g.name) for g in user.groups.all()),
            user.organization.name if user.organization else "",
            user.full_name,
            PASSWORD,
        ]
        for user in users
    ]
    return DemoLogins(PASSWORD, ["用户名", "角色", "单位", "姓名", "密码"], rows)
