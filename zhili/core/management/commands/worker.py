from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from zhili.core import health, outbox
from zhili.core.loop import before_exit, run_until_stopped


class Command(BaseCommand):
    help = "Deliver domain events from the outbox and run queued background tasks."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="idle sleep in seconds")
        parser.add_argument("--once", action="store_true", help="drain what is ready and exit")

    def handle(self, *args, interval, once, verbosity, **options):
        say = self.stdout.write if verbosity else (lambda message: None)
        worker_id = get_random_string(32)
        tasks = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        say(f"worker {worker_id[:8]} started")

        def step() -> bool:
            health.beat(health.WORKER)
            delivered = outbox.deliver_pending(worker_id=worker_id)
            tasks.run()  # batch mode: runs every ready task, then returns
            if delivered:
                say(f"delivered {delivered} events")
            return bool(delivered)

        run_until_stopped(step, interval=interval, once=once)
        if not once:
            before_exit()
