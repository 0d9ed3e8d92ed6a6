"""`zhili demo`: load the Donghai demo data, idempotently, and list the demo logins.

The loaders and the list of logins are the apps' (config/demo.py)."""

import time
from argparse import ArgumentParser

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from config.demo import DEMO_LOADERS, DEMO_LOGINS
from zhili.core.demo import DemoLogins, format_table

__all__ = ["DEMO_LOADERS", "Command"]


class Command(BaseCommand):
    help = "载入东海县演示数据（可重复执行，已有的数据不会重复创建）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--only",
            nargs="+",
            default=[],
            help="run only the loaders whose dotted path contains one of these words "
            "(e.g. zhili.orgs); the loaders they rely on must have run before",
        )

    def handle(self, *args: str, only: list[str], **options: object) -> None:
        started = time.monotonic()
        loaders = [d for d in DEMO_LOADERS if not only or any(word in d for word in only)]
        for number, dotted in enumerate(loaders, start=1):
            self.stdout.write(f"== ({number}/{len(loaders)}) {dotted}")
            import_string(dotted)(stdout=self.stdout)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪，用时 {elapsed:.1f}s"))
        logins: DemoLogins = import_string(DEMO_LOGINS)()
        self.stdout.write(f"\n演示账号 {len(logins.rows)} 个（密码均为 {logins.password}）：")
        self.stdout.write(format_table(logins.header, logins.rows))
