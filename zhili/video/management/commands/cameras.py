"""`zhili cameras import FILE.xlsx`: load a camera inventory into the register (all or
nothing, with progress); the work is `zhili.video.inventory.cameras_import`."""

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from zhili.video.inventory import InventoryRejected, cameras_import


class Command(BaseCommand):
    help = "监控点位台账：import 导入 XLSX 台账（全部校验通过才写入）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        load = commands.add_parser("import", help="导入监控点位台账（.xlsx）")
        load.add_argument("file")

    def handle(self, *args: str, command: str, file: str, **options: object) -> None:
        try:
            result = cameras_import(actor=None, file=file, progress=self._progress)
        except InventoryRejected as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"台账有 {len(exc.errors)} 处问题，未导入任何点位") from exc
        self.stdout.write(
            self.style.SUCCESS(f"新建 {result.created} 个点位，更新 {result.updated} 个")
        )

    def _progress(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
