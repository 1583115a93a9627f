import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve keguan with gunicorn (static files included), and run the background "
        "worker and the scheduler beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default=os.environ.get("KEGUAN_LISTEN", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--no-background",
            action="store_true",
            help="do not start the task worker and scheduler here (they run on another host)",
        )

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        children = []
        if not options["no_background"]:
            keguan = [sys.executable, "-m", "keguan.cli"]
            # Fixed argument lists of our own interpreter: nothing comes from user input.
            children.append(subprocess.Popen([*keguan, "db_worker", "--queue-name", "default"]))  # noqa: S603
            children.append(subprocess.Popen([*keguan, "scheduler"]))  # noqa: S603
        try:
            self.run_gunicorn(options)
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    def run_gunicorn(self, options):
        from gunicorn.app.base import BaseApplication

        from keguan.wsgi import application

        bind = f"{options['host']}:{options['port']}"

        class KeguanServer(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", bind)
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 60)
                self.cfg.set("graceful_timeout", 10)
                if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
                    self.cfg.set("forwarded_allow_ips", "*")

            def load(self):
                return application

        self.stdout.write(f"keguan serving at http://{bind}/")
        KeguanServer().run()
