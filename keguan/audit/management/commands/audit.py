from django.core.management.base import BaseCommand, CommandError

from keguan.audit import chain


class Command(BaseCommand):
    help = "Work with the audit trail. `keguan audit verify` recomputes the hash chain."

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        result = chain.verify()
        if result.ok:
            self.stdout.write(f"ok: {result.count} events")
            return
        raise CommandError(f"broken at event {result.broken_seq}: {result.problem}")
