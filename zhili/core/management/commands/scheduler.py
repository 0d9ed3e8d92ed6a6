from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from zhili.core import health, scheduler
from zhili.core.loop import before_exit, run_until_stopped


class Command(BaseCommand):
    help = "Fire the periodic jobs of config/schedule.py onto the task queue."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="tick once and exit")

    def handle(self, *args, interval, once, verbosity, **options):
        say = self.stdout.write if verbosity else (lambda message: None)
        scheduler_id = get_random_string(16)
        say(f"scheduler {scheduler_id}: {len(scheduler.jobs())} periodic jobs")

        def step() -> bool:
            for name in scheduler.tick(scheduler_id=scheduler_id):
                say(f"fired {name}")
            health.beat(health.SCHEDULER)
            return False  # a tick per interval, whatever it fired

        run_until_stopped(step, interval=interval, once=once)
        if not once:
            before_exit()
