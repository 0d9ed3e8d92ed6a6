"""`zhili handheld_sims`: the demo's simulated handhelds (zhili/forces/sim.py)."""

from django.core.management.base import BaseCommand

from zhili.forces import sim


class Command(BaseCommand):
    help = "运行模拟手持终端：在岗力量每个上报周期移动并上报定位（演示用）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--cycles", type=int, default=None, help="运行几个周期后退出（默认一直运行）"
        )

    def handle(self, *args: str, cycles: int | None, **options: object) -> None:
        verbose = int(str(options.get("verbosity", 1))) > 0
        sim.run(
            report=lambda moved: (
                verbose and self.stdout.write(f"模拟手持终端：{moved} 个力量上报定位")
            ),
            cycles=cycles,
        )
