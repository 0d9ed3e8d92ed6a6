import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string

from zhili.core import scheduler


class Command(BaseCommand):
    help = "Fire the periodic jobs of config/schedule.py onto the task queue."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="tick once and exit")

    def handle(self, *args, interval, once, verbosity, **options):
        say = self.stdout.write if verbosity else (lambda message: None)
        scheduler_id = get_random_string(16)
        running = True

        def stop(signum, frame):
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        say(f"scheduler {scheduler_id}: {len(scheduler.jobs())} periodic jobs")
        while running:
            close_old_connections()
            for name in scheduler.tick(scheduler_id=scheduler_id):
                say(f"fired {name}")
            if once:
                break
            time.sleep(interval)
