from django.core.management import call_command
from django.core.management.base import BaseCommand

from keguan.accounts.roles import Role


class Command(BaseCommand):
    help = "Migrate, load the demo county (idempotent), print the demo accounts, and serve."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options):
        from keguan.core import demo

        call_command("migrate", interactive=False, verbosity=0)
        accounts = demo.load()
        self.stdout.write("")
        self.stdout.write(
            f"keguan demo county loaded. Demo accounts (password for all: {demo.DEMO_PASSWORD}):"
        )
        for account in accounts:
            roles = ", ".join(str(Role(r).label) for r in account.roles)
            self.stdout.write(f"  {account.username:<24} {account.full_name:<14} {roles}")
        self.stdout.write(
            "The three administrator accounts enrol an authenticator app (TOTP) at first sign-in."
        )
        code = demo.tracking_code()
        if code:
            self.stdout.write(f"A petition's tracking code to try: {code}")
        if options["no_serve"]:
            return
        self.stdout.write(f"Open http://127.0.0.1:{options['port']}/ in your browser.")
        call_command("serve", port=options["port"])
