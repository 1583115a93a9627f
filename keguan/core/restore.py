"""Checking a backup archive and restoring it (`keguan restore`): the archive is read whole
and checked before anything is written; see keguan.core.backup for its format."""

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from keguan.core.backup import (
    ATTACHMENTS,
    CHUNK,
    DATABASE_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_MAX_BYTES,
    MANIFEST_SUM,
    BackupError,
    RestoreReport,
    _count_rows,
    _dbname,
    _HashingReader,
    _psycopg_params,
    _run_pg,
    vendor,
)

# Checking an archive -----------------------------------------------------------------------


def check_archive(path: Path) -> dict:
    """Read the whole archive at PATH and return its manifest, or raise BackupError.

    Refuses: an unreadable or truncated file; a member that is not a regular file (links,
    devices), has an absolute name, a `..` or an unexpected name; a duplicate member; a
    manifest whose checksum does not match; a member missing from the archive or absent
    from the manifest; any member whose size or SHA-256 differs from the manifest.
    Writes nothing.
    """
    found: dict[str, dict[str, Any]] = {}
    meta: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                name = _checked_name(member)
                if name in found or name in meta:
                    raise BackupError(_("The archive holds %(name)s twice.") % {"name": name})
                handle = tar.extractfile(member)
                if name in (MANIFEST, MANIFEST_SUM):
                    if member.size > MANIFEST_MAX_BYTES:
                        raise BackupError(_("The archive's manifest is implausibly large."))
                    meta[name] = handle.read()
                else:
                    found[name] = _hash_stream(handle)
    except FileNotFoundError:
        raise BackupError(_("There is no file %(path)s.") % {"path": path}) from None
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(
            _("%(path)s is damaged or not a keguan archive (%(error)s).")
            % {"path": path, "error": exc}
        ) from None
    manifest = _checked_manifest(meta)
    _compare_members(manifest["members"], found)
    return manifest


def _checked_name(member: tarfile.TarInfo) -> str:
    name = member.name
    parts = PurePosixPath(name).parts
    unsafe = (
        not name
        or name.startswith("/")
        or "\\" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
    )
    if unsafe:
        raise BackupError(
            _('The archive holds an unsafe member name "%(name)s"; nothing was restored.')
            % {"name": name}
        )
    if not member.isreg():
        raise BackupError(
            _('The archive member "%(name)s" is a link or special file; nothing was restored.')
            % {"name": name}
        )
    expected = (
        name in (MANIFEST, MANIFEST_SUM)
        or name in DATABASE_MEMBERS.values()
        or (parts[0] == ATTACHMENTS and len(parts) > 1)
    )
    if not expected:
        raise BackupError(_('The archive holds an unexpected member "%(name)s".') % {"name": name})
    return name


def _hash_stream(handle) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _checked_manifest(meta: dict[str, bytes]) -> dict:
    for name in (MANIFEST, MANIFEST_SUM):
        if name not in meta:
            raise BackupError(_("The archive has no %(name)s.") % {"name": name})
    recorded = meta[MANIFEST_SUM].decode("ascii", "replace").split(" ", 1)[0].strip()
    if hashlib.sha256(meta[MANIFEST]).hexdigest() != recorded:
        raise BackupError(_("The manifest does not match its checksum: the archive is damaged."))
    try:
        manifest = json.loads(meta[MANIFEST])
    except ValueError:
        raise BackupError(_("The manifest is not valid JSON.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This is not a keguan archive."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("The archive has format version %(found)s; this keguan reads version %(version)s.")
            % {"found": manifest.get("format_version"), "version": FORMAT_VERSION}
        )
    database = manifest.get("database") or {}
    if DATABASE_MEMBERS.get(database.get("vendor")) != database.get("member"):
        raise BackupError(_("The manifest names no database snapshot."))
    return manifest


def _compare_members(listed: dict[str, dict], found: dict[str, dict]) -> None:
    for name in sorted(listed):
        if name not in found:
            raise BackupError(
                _("The archive lacks %(name)s: it is incomplete or damaged.") % {"name": name}
            )
        if found[name] != {key: listed[name][key] for key in ("sha256", "size")}:
            raise BackupError(
                _("%(name)s does not match its checksum: the archive is damaged.") % {"name": name}
            )
    extra = sorted(set(found) - set(listed))
    if extra:
        raise BackupError(
            _("The archive holds %(name)s, which its manifest does not list.") % {"name": extra[0]}
        )


# Restore -----------------------------------------------------------------------------------


def restore_backup(path: Path) -> RestoreReport:
    """Restore the archive at PATH into this keguan's empty database and attachment dir.

    Before writing anything: checks the whole archive (check_archive), that it holds the
    vendor keguan is configured for, that the database has no tables and that the
    attachment directory is absent or empty. Then restores the database (SQLite: the
    backup API copies the snapshot into the database file; PostgreSQL: `pg_restore` in one
    transaction), writes the attachments, and verifies (verify_restore).
    """
    path = Path(path)
    manifest = check_archive(path)
    archived_vendor = manifest["database"]["vendor"]
    if archived_vendor != vendor():
        raise BackupError(
            _("The archive holds a %(archived)s database, but keguan is set up for %(current)s.")
            % {"archived": archived_vendor, "current": vendor()}
        )
    connections.close_all()
    tables = _existing_tables()
    if tables:
        raise BackupError(
            _(
                "The database is not empty (it has %(count)d tables); "
                "restore only into an empty one."
            )
            % {"count": tables}
        )
    root = Path(settings.KEGUAN_ATTACHMENT_DIR)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise BackupError(
            _("The attachment directory %(path)s is not empty; restore only into an empty one.")
            % {"path": root}
        )
    database_member = manifest["database"]["member"]
    root.parent.mkdir(parents=True, exist_ok=True)
    # Attachments are staged beside their directory and moved in once the database is
    # restored, so a failed restore leaves the directory as empty as it found it.
    with tempfile.TemporaryDirectory(prefix=".keguan-restore-", dir=root.parent) as work:
        snapshot = Path(work) / database_member
        staging = Path(work) / ATTACHMENTS
        staging.mkdir(mode=0o750)
        with tarfile.open(path, "r:*") as tar:
            for member in tar:
                name = _checked_name(member)
                if name == database_member:
                    target = snapshot
                elif name.startswith(ATTACHMENTS + "/"):
                    target = _inside(staging, name.split("/", 1)[1])
                else:
                    continue
                if _extract(tar, member, target) != _listed(manifest, name):
                    raise BackupError(
                        _("%(name)s changed since the archive was checked; nothing was restored.")
                        % {"name": name}
                    )
        if vendor() == "sqlite":
            _restore_sqlite(snapshot)
        else:
            _run_pg(
                "pg_restore",
                [
                    "--single-transaction",
                    "--exit-on-error",
                    "--no-owner",
                    "--no-privileges",
                    f"--dbname={_dbname()}",
                    str(snapshot),
                ],
            )
        if root.exists():
            root.rmdir()
        staging.rename(root)
    return verify_restore(manifest)


def _existing_tables() -> int:
    if vendor() == "sqlite":
        db_path = Path(settings.DATABASES["default"]["NAME"])
        if not db_path.exists():
            return 0
        conn = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
        try:
            query = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            return conn.execute(query).fetchone()[0]
        finally:
            conn.close()
    import psycopg

    try:
        with psycopg.connect(**_psycopg_params()) as conn:
            query = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            return conn.execute(query).fetchone()[0]
    except psycopg.OperationalError as exc:
        raise BackupError(
            _("Cannot reach the database to restore into: %(error)s") % {"error": exc}
        ) from None


def _inside(root: Path, relative: str) -> Path:
    """ROOT/RELATIVE, refusing anything that would land outside ROOT."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(_('The archive member "%(name)s" points outside.') % {"name": relative})
    return target


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> dict[str, Any]:
    """Write MEMBER to a new file at TARGET; return the checksum of what was written."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    reader = _HashingReader(tar.extractfile(member))
    with os.fdopen(descriptor, "wb") as out:
        shutil.copyfileobj(reader, out, CHUNK)
        out.flush()
        os.fsync(out.fileno())
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


def _listed(manifest: dict, name: str) -> dict[str, Any]:
    member = manifest["members"][name]
    return {"sha256": member["sha256"], "size": member["size"]}


def _restore_sqlite(snapshot: Path) -> None:
    """Copy the snapshot into the (empty) database file through SQLite's backup API, so
    SQLite itself handles the file, its WAL and its locks."""
    db_path = Path(settings.DATABASES["default"]["NAME"])
    db_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(snapshot)
    target = sqlite3.connect(db_path, timeout=20)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def verify_restore(manifest: dict) -> RestoreReport:
    """Compare what is now in the database and attachment dir with MANIFEST.

    Checks: every table and its row count; every attachment's size and SHA-256, read
    back from disk; the audit chain (keguan.audit.chain.verify). Writes nothing.
    """
    from keguan.audit import chain

    report = RestoreReport(manifest=manifest)
    connections.close_all()
    if vendor() == "sqlite":
        conn = sqlite3.connect(Path(settings.DATABASES["default"]["NAME"]))
    else:
        import psycopg

        conn = psycopg.connect(**_psycopg_params())
    try:
        counts = _count_rows(conn, vendor())
    finally:
        conn.close()
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(counts)):
        if counts.get(table) != expected.get(table):
            report.problems.append(
                _("table %(table)s: %(found)s rows, the manifest says %(expected)s")
                % {"table": table, "found": counts.get(table), "expected": expected.get(table)}
            )
    report.tables, report.rows = len(counts), sum(counts.values())
    root = Path(settings.KEGUAN_ATTACHMENT_DIR)
    for name in sorted(manifest["members"]):
        if not name.startswith(ATTACHMENTS + "/"):
            continue
        file_path = root / name.split("/", 1)[1]
        try:
            with file_path.open("rb") as handle:
                found = _hash_stream(handle)
        except OSError:
            report.problems.append(_("%(name)s is missing") % {"name": name})
            continue
        if found != _listed(manifest, name):
            report.problems.append(_("%(name)s does not match its checksum") % {"name": name})
            continue
        report.files += 1
        report.file_bytes += found["size"]
    result = chain.verify()
    report.chain_ok, report.chain_events = result.ok, result.count
    if not result.ok:
        report.chain_problem = _("broken at event %(seq)s: %(problem)s") % {
            "seq": result.broken_seq,
            "problem": result.problem,
        }
    return report
