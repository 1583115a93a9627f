from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keguan.core import backup


class Command(BaseCommand):
    help = (
        "Write one archive of the database (a consistent snapshot, taken while keguan runs), "
        "the attachments and a checksummed manifest. PATH is a new file or a directory."
    )

    # Nothing here depends on the project checks; skipping them keeps a restore quick.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            summary = backup.create_backup(Path(options["path"]))
        except backup.BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            _(
                "wrote %(path)s (%(size)d bytes): %(tables)d tables, %(rows)d rows, "
                "%(files)d files (%(bytes)d bytes)"
            )
            % {
                "path": summary.path,
                "size": summary.size,
                "tables": summary.tables,
                "rows": summary.rows,
                "files": summary.files,
                "bytes": summary.file_bytes,
            }
        )
