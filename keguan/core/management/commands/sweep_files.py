import datetime as dt

from django.core.management.base import BaseCommand

from keguan.core.files import GRACE, orphaned_files, sweep_orphaned_files


class Command(BaseCommand):
    help = (
        "Remove files under the attachment folder that no record names (left by uploads "
        "that never committed). Runs daily by itself under `keguan serve`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(GRACE.total_seconds() // 60),
            metavar="MINUTES",
            help="leave files younger than this alone: an upload may still be committing "
            "(default: %(default)s)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list the files, remove nothing")

    def handle(self, *args, **options):
        if options["older_than"] < 0:
            self.stderr.write("--older-than must not be negative")
            raise SystemExit(2)
        older_than = dt.timedelta(minutes=options["older_than"])
        if options["dry_run"]:
            for path in orphaned_files(older_than):
                self.stdout.write(str(path))
            return
        removed = sweep_orphaned_files(older_than)
        self.stdout.write(f"removed {removed} orphaned file(s)")
