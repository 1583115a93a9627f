"""Backup and restore: one archive holding a database snapshot, the attachments and a manifest.

An archive is a gzipped tar with these members:

- `database.sqlite3` (SQLite's online backup of the whole file) or `database.pgdump`
  (`pg_dump --format=custom`);
- `attachments/…`, every file under KEGUAN_ATTACHMENT_DIR;
- `manifest.json`: format and keguan version, creation time, database vendor, the SHA-256
  and size of every member above, and the row count of every table *in the snapshot*;
- `manifest.sha256`: the manifest's own checksum (`sha256sum -c` reads it), so a damaged
  manifest is noticed too.

The snapshot is taken while keguan keeps writing. The database goes first, then the
attachments: files are only ever added, never changed, so every attachment the snapshot
refers to is already on disk; files added later are carried along unreferenced.

`restore` checks the whole archive before it writes anything, restores only into an empty
database and an empty attachment directory, then verifies what it wrote.
"""

import dataclasses
import datetime as dt
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

FORMAT = "keguan-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
ATTACHMENTS = "attachments"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024
# A manifest lists one line per attachment; this is far above any real one.
MANIFEST_MAX_BYTES = 256 * 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot go on; `message` tells the operator why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclasses.dataclass(frozen=True)
class BackupSummary:
    path: Path
    size: int
    tables: int
    rows: int
    files: int
    file_bytes: int


@dataclasses.dataclass
class RestoreReport:
    manifest: dict
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    chain_ok: bool = False
    chain_events: int = 0
    chain_problem: str = ""
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain_ok and not self.problems


def keguan_version() -> str:
    try:
        return metadata.version("keguan")
    except metadata.PackageNotFoundError:
        return "unknown"


def vendor() -> str:
    """ "sqlite" or "postgresql": the database keguan is configured for."""
    return connections["default"].vendor


# Backup ------------------------------------------------------------------------------------


def create_backup(destination: Path) -> BackupSummary:
    """Write one archive to DESTINATION (a new file, or a directory to put it in).

    Side effects: writes DESTINATION.partial (mode 0600) and renames it into place only
    once complete and flushed to disk, so a crash never leaves a half archive under the
    final name; a scratch copy of the database snapshot lives beside it meanwhile.
    Never writes to the database.
    """
    path = _archive_path(Path(destination))
    partial = path.with_name(path.name + ".partial")
    database_member = DATABASE_MEMBERS[vendor()]
    root = Path(settings.KEGUAN_ATTACHMENT_DIR)
    with tempfile.TemporaryDirectory(prefix=".keguan-backup-", dir=path.parent) as work:
        snapshot = Path(work) / database_member
        if vendor() == "sqlite":
            counts = _snapshot_sqlite(snapshot)
        else:
            counts = _snapshot_postgresql(snapshot)
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(
                _("%(path)s exists: another backup is running or one was interrupted.")
                % {"path": partial}
            ) from None
        try:
            with os.fdopen(descriptor, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                    members = {database_member: _add_file(tar, database_member, snapshot)}
                    for relative, file_path in _attachment_files(root):
                        name = f"{ATTACHMENTS}/{relative}"
                        members[name] = _add_file(tar, name, file_path)
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "keguan_version": keguan_version(),
                        "created_at": dt.datetime.now(dt.UTC).isoformat(),
                        "database": {"vendor": vendor(), "member": database_member},
                        "tables": counts,
                        "members": members,
                    }
                    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                    _add_bytes(tar, MANIFEST, data)
                    digest = hashlib.sha256(data).hexdigest()
                    _add_bytes(tar, MANIFEST_SUM, f"{digest}  {MANIFEST}\n".encode())
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    attachments = [m for n, m in members.items() if n != database_member]
    return BackupSummary(
        path=path,
        size=path.stat().st_size,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(attachments),
        file_bytes=sum(m["size"] for m in attachments),
    )


def _archive_path(destination: Path) -> Path:
    if destination.is_dir():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        destination = destination / f"keguan-{stamp}.tar.gz"
    if destination.exists():
        raise BackupError(_("%(path)s already exists; choose a new name.") % {"path": destination})
    if destination.resolve().is_relative_to(Path(settings.KEGUAN_ATTACHMENT_DIR).resolve()):
        raise BackupError(_("Write the archive outside the attachment directory."))
    if not destination.parent.is_dir():
        raise BackupError(
            _("The directory %(path)s does not exist.") % {"path": destination.parent}
        )
    return destination


def _snapshot_sqlite(out: Path) -> dict[str, int]:
    """Copy the live database to OUT and count its rows there.

    `backup` copies every page in one step inside one read transaction; in WAL mode
    writers carry on meanwhile and the copy is the database as of that transaction's start.
    """
    source_path = Path(settings.DATABASES["default"]["NAME"])
    if not source_path.is_file():
        raise BackupError(
            _("There is no database at %(path)s (run `keguan migrate` first).")
            % {"path": source_path}
        )
    source = sqlite3.connect(source_path, timeout=20)
    snapshot = sqlite3.connect(out)
    try:
        source.backup(snapshot)
        # The copy says "WAL" like its source; make it one self-contained file.
        snapshot.execute("PRAGMA journal_mode=DELETE")
        return _count_rows(snapshot, "sqlite")
    finally:
        snapshot.close()
        source.close()


def _snapshot_postgresql(out: Path) -> dict[str, int]:
    """Dump the database to OUT and count its rows in the very snapshot pg_dump reads.

    One REPEATABLE READ transaction exports its snapshot, counts the rows, and stays open
    while `pg_dump --snapshot` reads the same snapshot; so the counts describe the dump
    exactly however much keguan writes meanwhile.
    """
    import psycopg

    with psycopg.connect(**_psycopg_params()) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():
            snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = _count_rows(conn, "postgresql")
            _run_pg(
                "pg_dump",
                ["--format=custom", f"--snapshot={snapshot_id}", f"--file={out}", _dbname()],
            )
    return counts


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    """Add the file at PATH as NAME; its checksum is taken from the very bytes archived."""
    with path.open("rb") as handle:
        # The size as of now: a file still being written is archived as far as it got,
        # and the manifest describes exactly that.
        status = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o640
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o640
    tar.addfile(info, io.BytesIO(data))


class _HashingReader:
    """A file wrapper that hashes and counts what is read through it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _attachment_files(root: Path):
    """(posix path relative to ROOT, path) of every regular file under ROOT, sorted."""
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


# Database helpers --------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_rows(conn, kind: str) -> dict[str, int]:
    """Rows per table, over a DB-API connection: every table keguan's schema holds."""
    if kind == "sqlite":
        query = (
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    else:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    cursor = conn.cursor()
    tables = [row[0] for row in cursor.execute(query).fetchall()]
    counts = {}
    for table in tables:
        # Table names come from the catalogue, quoted as identifiers.
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def _psycopg_params() -> dict[str, str]:
    db = settings.DATABASES["default"]
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER", ""),
        "password": db.get("PASSWORD", ""),
        "host": db.get("HOST", ""),
        "port": str(db.get("PORT", "")),
    }
    return {key: value for key, value in params.items() if value}


def _dbname() -> str:
    """A conninfo naming only the database: the rest comes from PG* variables (_pg_env)."""
    name = settings.DATABASES["default"]["NAME"]
    return "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _pg_env() -> dict[str, str]:
    """The environment for pg_dump/pg_restore. The password travels here, never in argv."""
    env = dict(os.environ)
    names = {"user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    for key, value in _psycopg_params().items():
        if key in names:
            env[names[key]] = value
    return env


def pg_program(name: str) -> str:
    """The newest installed PostgreSQL client program NAME (pg_dump, pg_restore)."""
    found = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    found.sort(key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")])
    program = found[-1] if found else shutil.which(name)
    if not program:
        raise BackupError(
            _("%(name)s is not installed (PostgreSQL client tools).") % {"name": name}
        )
    return program


def _run_pg(name: str, arguments: list[str]) -> None:
    # A fixed program with arguments keguan builds itself; nothing comes from a user.
    result = subprocess.run(  # noqa: S603
        [pg_program(name), *arguments],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(name)s failed: %(error)s") % {"name": name, "error": result.stderr.strip()[-2000:]}
        )
