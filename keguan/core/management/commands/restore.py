from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keguan.core import backup, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `keguan backup` into an empty database and an empty "
        "attachment directory, then verify row counts, file checksums and the audit chain."
    )

    # Nothing here depends on the project checks; skipping them keeps a restore quick.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            report = restore.restore_backup(Path(options["path"]))
        except backup.BackupError as exc:
            raise CommandError(exc.message) from None
        manifest = report.manifest
        self.stdout.write(
            _("restored %(path)s, written %(created)s by keguan %(version)s")
            % {
                "path": options["path"],
                "created": manifest["created_at"],
                "version": manifest["keguan_version"],
            }
        )
        self.stdout.write(
            _("tables: %(tables)d, rows: %(rows)d") % {"tables": report.tables, "rows": report.rows}
        )
        self.stdout.write(
            _("files: %(files)d, bytes: %(bytes)d")
            % {"files": report.files, "bytes": report.file_bytes}
        )
        if report.chain_ok:
            self.stdout.write(
                _("audit chain: ok, %(count)d events") % {"count": report.chain_events}
            )
        else:
            self.stdout.write(_("audit chain: %(problem)s") % {"problem": report.chain_problem})
        for problem in report.problems:
            self.stdout.write(problem)
        if manifest["keguan_version"] != backup.keguan_version():
            self.stdout.write(
                _("The archive was written by keguan %(old)s; run `keguan migrate` now.")
                % {"old": manifest["keguan_version"]}
            )
        if not report.ok:
            raise CommandError(_("The restored data does not match the archive."))
