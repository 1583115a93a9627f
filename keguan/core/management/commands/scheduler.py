import time

from django.core.management.base import BaseCommand

from keguan.core.scheduler import enqueue_due


class Command(BaseCommand):
    help = "Enqueue scheduled jobs when they fall due (run for you by `keguan serve`)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between checks")

    def handle(self, *args, **options):
        while True:
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
