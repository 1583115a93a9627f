"""`keguan backup` and `keguan restore`, run as commands against real sites of their own.

A site is a data dir (SQLite) or a data dir and a fresh database on the test PostgreSQL
server, never pytest-django's test database. The backup is taken while a writer process
keeps adding organizations (each with its audit event) and attachment files.
"""

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest

from keguan.core import backup, restore

PG_URL = os.environ.get("KEGUAN_DATABASE_URL", "")
KEGUAN = [sys.executable, "-m", "keguan.cli"]
PROJECT = Path(__file__).resolve().parents[2]


class Site:
    """One keguan installation: its own data dir and, on PostgreSQL, its own database."""

    def __init__(self, data_dir: Path, database_url: str = ""):
        self.data_dir = data_dir
        self.database_url = database_url
        self.env = {**os.environ, "KEGUAN_DATA_DIR": str(data_dir), "KEGUAN_HTTPS": "false"}
        self.env.pop("KEGUAN_ATTACHMENT_DIR", None)
        self.env.pop("KEGUAN_DATABASE_URL", None)
        if database_url:
            self.env["KEGUAN_DATABASE_URL"] = database_url

    @property
    def attachments(self) -> Path:
        return self.data_dir / "attachments"

    def keguan(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*KEGUAN, *args], env=self.env, cwd=PROJECT, capture_output=True, text=True, check=False
        )

    @contextlib.contextmanager
    def connect(self):
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as conn:
                yield conn
            return
        with contextlib.closing(sqlite3.connect(self.data_dir / "keguan.sqlite3")) as conn:
            yield conn

    def tables(self) -> list[str]:
        if self.database_url:
            query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        elif not (self.data_dir / "keguan.sqlite3").exists():
            return []
        else:
            query = (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            )
        with self.connect() as conn:
            return sorted(row[0] for row in conn.execute(query).fetchall())

    def row_counts(self) -> dict[str, int]:
        tables = self.tables()
        with self.connect() as conn:
            return {
                table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in tables
            }

    def files(self) -> dict[str, str]:
        """SHA-256 of every file under the attachment dir, by path relative to it."""
        if not self.attachments.exists():
            return {}
        return {
            path.relative_to(self.attachments).as_posix(): hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
            for path in self.attachments.rglob("*")
            if path.is_file()
        }


def said(msgid: str, **values) -> str:
    """What the commands print for MSGID. They speak the site's language (Simplified Chinese
    by default); without VALUES, the text up to the first placeholder."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(msgid)
    return text % values if values else text.split("%(")[0]


def _admin():
    import psycopg

    return psycopg.connect(PG_URL, autocommit=True)


@pytest.fixture(scope="module")
def new_site(tmp_path_factory):
    """Make a site; on PostgreSQL each gets a new database, dropped at the end."""
    databases = []

    def make(name: str) -> Site:
        data_dir = tmp_path_factory.mktemp(name)
        if not PG_URL:
            return Site(data_dir)
        database = f"kgbk_{name}_{uuid.uuid4().hex[:8]}"
        with _admin() as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        databases.append(database)
        return Site(data_dir, urlunsplit(urlsplit(PG_URL)._replace(path="/" + database)))

    yield make
    if not databases:
        return
    with _admin() as conn:
        for database in databases:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


class Writer:
    """The writer process and the rounds it has reported so far."""

    def __init__(self, site: Site):
        self.rounds = 0
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.core.backup_writer"],
            env=site.env,
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self) -> None:
        for line in self.process.stdout:
            self.rounds = int(line)

    def wait_for(self, rounds: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.rounds < rounds:
            assert self.process.poll() is None, "the writer stopped"
            assert time.monotonic() < deadline, "the writer did not get going"
            time.sleep(0.02)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def backed_up(new_site, tmp_path_factory):
    """A migrated source site and an archive of it made while the writer kept writing."""
    source = new_site("source")
    migrated = source.keguan("migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr
    writer = Writer(source)
    try:
        writer.wait_for(3)
        archive = tmp_path_factory.mktemp("archives") / "keguan.tar.gz"
        started = writer.rounds
        result = source.keguan("backup", str(archive))
        during = writer.rounds - started
        writer.wait_for(writer.rounds + 2)
    finally:
        writer.stop()
    assert result.returncode == 0, result.stderr
    return SimpleNamespace(
        source=source, archive=archive, manifest=restore.check_archive(archive), during=during
    )


def test_a_backup_taken_while_keguan_writes_restores_into_a_fresh_site_that_verifies(
    backed_up, new_site
):
    manifest, source = backed_up.manifest, backed_up.source
    target = new_site("target")
    started = time.monotonic()
    result = target.keguan("restore", str(backed_up.archive))
    assert result.returncode == 0, result.stderr + result.stdout
    assert time.monotonic() - started < 20
    assert backed_up.during > 0, "the writer was writing while the backup ran"

    counts = target.row_counts()
    assert counts == manifest["tables"]
    organizations = counts["accounts_organization"]
    assert 3 <= organizations < source.row_counts()["accounts_organization"]
    # One event per organization and one for the bureau: the snapshot caught no half write.
    assert counts["audit_auditevent"] == organizations + counts["accounts_bureau"]

    archived = {
        name.removeprefix("attachments/"): member["sha256"]
        for name, member in manifest["members"].items()
        if name.startswith("attachments/")
    }
    assert target.files() == archived
    assert len(archived) >= organizations

    # The restore ran keguan.audit.chain.verify, as `keguan audit verify` does.
    assert said("audit chain: ok, %(count)d events", count=counts["audit_auditevent"]) in (
        result.stdout
    )


def test_the_manifest_describes_the_archive(backed_up):
    manifest = backed_up.manifest
    vendor = "postgresql" if PG_URL else "sqlite"
    assert manifest["database"] == {"vendor": vendor, "member": backup.DATABASE_MEMBERS[vendor]}
    assert manifest["format_version"] == backup.FORMAT_VERSION and manifest["keguan_version"]
    assert manifest["created_at"].startswith("20")
    assert all(len(m["sha256"]) == 64 and m["size"] >= 0 for m in manifest["members"].values())


def test_a_damaged_archive_is_refused_before_anything_is_written(backed_up, new_site, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    data = bytearray(backed_up.archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(data)
    target = new_site("damaged")
    result = target.keguan("restore", str(damaged))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip()
    assert target.tables() == [] and not target.attachments.exists()


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}


def _write_tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _flip(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


def _first_attachment(members: dict[str, bytes]) -> str:
    return next(name for name in members if name.startswith("attachments/"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("database", "does not match its checksum"),
        ("attachment", "does not match its checksum"),
        ("manifest", "manifest does not match its checksum"),
        ("missing attachment", "lacks"),
        ("missing manifest checksum", "has no manifest.sha256"),
        ("extra member", "does not list"),
        ("truncated", "damaged"),
    ],
)
def test_a_damaged_archive_is_named_as_such(backed_up, tmp_path, change, message, english):
    members = _members(backed_up.archive)
    database = backed_up.manifest["database"]["member"]
    if change == "database":
        members[database] = _flip(members[database])
    elif change == "attachment":
        name = _first_attachment(members)
        members[name] = _flip(members[name])
    elif change == "manifest":
        members[backup.MANIFEST] = members[backup.MANIFEST].replace(b'"size": 1', b'"size": 2', 1)
    elif change == "missing attachment":
        del members[_first_attachment(members)]
    elif change == "missing manifest checksum":
        del members[backup.MANIFEST_SUM]
    elif change == "extra member":
        members["attachments/zz/extra"] = b"not in the manifest"
    archive = _write_tar(tmp_path / "changed.tar", members)
    if change == "truncated":
        archive.write_bytes(backed_up.archive.read_bytes()[:-4000])
    with pytest.raises(backup.BackupError, match=message):
        restore.check_archive(archive)


@pytest.mark.skipif(bool(PG_URL), reason="edits the SQLite snapshot inside the archive")
def test_a_restore_whose_audit_chain_is_broken_fails_naming_the_event(
    backed_up, new_site, tmp_path
):
    members = _members(backed_up.archive)
    database = tmp_path / "forged.sqlite3"
    database.write_bytes(members["database.sqlite3"])
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_auditevent SET action = 'forged' WHERE seq = 2")
        conn.commit()
    # A forger who also rewrites the manifest: the checksums hold, the chain does not.
    data = database.read_bytes()
    manifest = json.loads(members[backup.MANIFEST])
    manifest["members"]["database.sqlite3"] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    members["database.sqlite3"] = data
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    digest = hashlib.sha256(members[backup.MANIFEST]).hexdigest()
    members[backup.MANIFEST_SUM] = f"{digest}  manifest.json\n".encode()
    target = new_site("forged")
    result = target.keguan("restore", str(_write_tar(tmp_path / "forged.tar", members)))
    assert result.returncode == 1
    assert said("broken at event %(seq)s: %(problem)s", seq=2, problem="") in result.stdout
    assert said("The restored data does not match the archive.") in result.stderr


def test_a_member_climbing_out_of_the_target_is_refused_and_nothing_is_written(new_site, tmp_path):
    archive = _write_tar(
        tmp_path / "evil.tar",
        {"attachments/../../evil": b"x", "../evil": b"x", "manifest.json": b""},
    )
    target = new_site("evil")
    result = target.keguan("restore", str(archive))
    unsafe = said('The archive holds an unsafe member name "%(name)s"; nothing was restored.')
    assert result.returncode != 0 and unsafe in result.stderr
    assert target.tables() == [] and not target.attachments.exists()
    assert not (target.data_dir.parent / "evil").exists() and not (tmp_path / "evil").exists()


@pytest.mark.parametrize(
    ("kind", "name"),
    [("file", "/etc/evil"), ("file", "attachments/a/../../evil"), ("symlink", "attachments/x")],
)
def test_absolute_names_and_links_are_refused(tmp_path, kind, name, english):
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo(name)
        if kind == "symlink":
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(backup.BackupError, match="unsafe member name|link or special file"):
        restore.check_archive(archive)


def test_restore_refuses_a_database_that_is_not_empty(backed_up):
    source = backed_up.source
    counts, files = source.row_counts(), source.files()
    result = source.keguan("restore", str(backed_up.archive))
    refusal = said(
        "The database is not empty (it has %(count)d tables); restore only into an empty one."
    )
    assert result.returncode != 0 and refusal in result.stderr
    assert source.row_counts() == counts and source.files() == files


def test_restore_refuses_an_attachment_directory_that_is_not_empty(backed_up, new_site):
    target = new_site("stray")
    target.attachments.mkdir(parents=True)
    (target.attachments / "stray.pdf").write_bytes(b"%PDF-1.7")
    result = target.keguan("restore", str(backed_up.archive))
    refusal = said(
        "The attachment directory %(path)s is not empty; restore only into an empty one."
    )
    assert result.returncode != 0 and refusal in result.stderr
    assert target.tables() == [] and list(target.files()) == ["stray.pdf"]


def test_backup_never_overwrites_an_archive(backed_up, english):
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.create_backup(backed_up.archive)
