"""`zhili demo`: load the Donghai demo data, idempotently, and list the demo logins."""

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from zhili.core.roles import Role
from zhili.orgs.demo import PASSWORD
from zhili.orgs.models import User

# Each loader is `load(*, stdout)`; later modules append theirs. Order matters: a loader may
# rely on what the ones before it wrote.
DEMO_LOADERS = [
    "zhili.orgs.demo.load",
    "zhili.cases.demo.load",
    "zhili.supervision.demo.load",
    "zhili.open311.demo.load",
    "zhili.integrations.demo.load",
    "zhili.mediation.demo.load",
    "zhili.mediation.reports.demo.load",
    "zhili.petitions.demo.load",
    "zhili.receptions.demo.load",
]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def demo_logins() -> list[list[str]]:
    """The demo accounts one can log in with (the generated staff have no password)."""
    users = (
        User.objects.filter(is_demo=True, is_active=True)
        .exclude(password__startswith="!")  # noqa: S106 - unusable password marker
        .select_related("organization")
        .prefetch_related("groups")
        .order_by("id")
    )
    labels = dict(Role.choices)
    return [
        [
            user.username,
            "、".join(labels.get(g.name, g.name) for g in user.groups.all()),
            user.organization.name if user.organization else "",
            user.full_name,
            PASSWORD,
        ]
        for user in users
    ]


class Command(BaseCommand):
    help = "载入东海县演示数据（可重复执行，已有的数据不会重复创建）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--only",
            nargs="+",
            default=[],
            help="run only the loaders whose dotted path contains one of these words "
            "(e.g. zhili.orgs); the loaders they rely on must have run before",
        )

    def handle(self, *args: Any, only: list[str], **options: Any) -> None:
        started = time.monotonic()
        loaders = [d for d in DEMO_LOADERS if not only or any(word in d for word in only)]
        for number, dotted in enumerate(loaders, start=1):
            self.stdout.write(f"== ({number}/{len(loaders)}) {dotted}")
            import_string(dotted)(stdout=self.stdout)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪，用时 {elapsed:.1f}s"))
        logins = demo_logins()
        self.stdout.write(f"\n演示账号 {len(logins)} 个（密码均为 {PASSWORD}）：")
        header = ["用户名", "角色", "单位", "姓名", "密码"]
        self.stdout.write(format_table(header, logins))
