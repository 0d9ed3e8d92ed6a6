"""Rebuild the screen's daily figures of the last N days from the cases (once after the
screen is installed or after an import of old cases; the scheduler keeps today and
yesterday current)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from zhili.screen.services import refresh_day


class Command(BaseCommand):
    help = "重建大屏日统计（最近 N 天）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=400, help="天数（默认 400）")

    def handle(self, *args: str, days: int = 400, **options: object) -> None:
        today = timezone.localdate()
        days = max(1, days)
        rows = 0
        for n in range(days - 1, -1, -1):
            rows += refresh_day(today - timedelta(days=n))
            if n % 30 == 0:
                self.stdout.write(f"  {days - n}/{days} 天，{rows} 行")
        self.stdout.write(f"大屏日统计已重建：{days} 天，{rows} 行")
