"""The database goes away for a while (PostgreSQL stopped, then started): pages answer 503
"try again" in the user's language, never a 500; once it is back the same server recovers
by itself; a submission caught in between is there in full or not at all."""

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from tests.core.servers import Server, Session, free_port, prepare, run_script, server_env
from tests.core.test_faults_kill import application_fields
from tests.factories import PASSWORD, sign_in

UNAVAILABLE = "The database cannot be reached at the moment"


# Without a server ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_view_that_loses_the_database_answers_503_in_the_users_language(client, settings):
    with mock.patch(
        "keguan.portal.views.calls.Bureau.objects.filter",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == 503 and english["Retry-After"]
    assert UNAVAILABLE in english.content.decode()
    assert "Traceback" not in english.content.decode()
    assert chinese.status_code == 503
    assert '<html lang="zh-hans">' in chinese.content.decode()


@pytest.mark.django_db
def test_losing_the_database_before_the_view_answers_503_too(personas):
    """The session is read by the middleware, before any view: handler500's ground."""
    client = Client(raise_request_exception=False)
    sign_in(client, personas.officer)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("connection refused"),
    ):
        answer = client.get("/work/calls/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503
    assert UNAVAILABLE in answer.content.decode()


@pytest.mark.django_db
def test_the_api_says_it_in_json(personas):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("connection refused"),
    ):
        client.cookies["keguan_session"] = "x" * 32
        answer = client.get("/api/v1/calls/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 503
    assert "database is unavailable" in answer.json()["detail"]


@pytest.mark.django_db
def test_other_errors_stay_500(personas):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "keguan.portal.views.calls.Bureau.objects.filter", side_effect=RuntimeError("bug")
    ):
        answer = client.get("/")
    assert answer.status_code == 500


# With a real server and a PostgreSQL of its own ------------------------------------------


def _bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """A throwaway PostgreSQL (as scripts/postgres.sh makes): a non-root owner, a private
    port, fsync off."""

    def __init__(self, bindir: Path, port: int):
        self.bindir, self.port = bindir, port
        self.dir = Path(tempfile.mkdtemp(prefix="keguan-pg-faults."))
        self.dir.chmod(0o755)
        self.runas = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                user = pwd.getpwnam("nobody")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.runas = [
                "setpriv",
                f"--reuid={user.pw_uid}",
                f"--regid={user.pw_gid}",
                "--clear-groups",
                "--",
            ]
        self.url = f"postgresql://keguan@127.0.0.1:{port}/keguan"

    def run(self, *command):
        subprocess.run(  # noqa: S603  (the PostgreSQL tools, fixed arguments)
            [*self.runas, *command], check=True, capture_output=True, timeout=120
        )

    def init(self):
        self.run(
            self.bindir / "initdb",
            "-D",
            self.dir / "data",
            "-A",
            "trust",
            "-U",
            "keguan",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        self.run(
            self.bindir / "createdb", "-h", self.dir, "-p", str(self.port), "-U", "keguan", "keguan"
        )

    def start(self):
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(
            self.bindir / "pg_ctl",
            "-D",
            self.dir / "data",
            "-l",
            self.dir / "log",
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self, mode="fast"):
        self.run(self.bindir / "pg_ctl", "-D", self.dir / "data", "-m", mode, "-w", "stop")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


CONSISTENCY = """
import json
from keguan.audit.models import AuditEvent
from keguan.projects.models import Application
report = []
for a in Application.objects.all():
    events = AuditEvent.objects.filter(
        action="projects.application.submit", object_id=str(a.pk)
    ).count()
    report.append([a.pk, a.state, a.submitted_at is not None, events])
print(json.dumps(report))
"""


@pytest.mark.skipif(
    bool(os.environ.get("KEGUAN_DATABASE_URL")),
    reason="brings its own PostgreSQL cluster: run once, in the SQLite pass",
)
@pytest.mark.skipif(_bindir() is None, reason="PostgreSQL server binaries (initdb) not found")
def test_the_server_answers_503_while_the_database_is_down_and_recovers_by_itself(tmp_path):
    cluster = Cluster(_bindir(), 55450 + os.getpid() % 40)
    server = None
    try:
        cluster.init()
        env = server_env(tmp_path / "data", database_url=cluster.url)
        setup = prepare(env, 2)
        server = Server(env, free_port(), workers=2, log_path=tmp_path / "serve.log").start()
        session = Session(server.base)
        session.sign_in(setup["users"][0], PASSWORD)
        # A draft ready to submit, and a submission racing the database's stop.
        answer = session.post(f"/work/calls/{setup['call']}/apply/", {})
        pk = int(answer.location.rstrip("/").split("/")[-2])
        fields = application_fields(time.localtime().tm_year, setup["id_numbers"][0])
        assert session.post(f"/work/applications/{pk}/edit/", fields).status == 302
        racing = {}

        def submit():
            try:
                racing["answer"] = session.post(
                    f"/work/applications/{pk}/actions/submit/", {"expected_state": "draft"}
                ).status
            except OSError as exc:
                racing["answer"] = exc

        thread = threading.Thread(target=submit)
        thread.start()
        cluster.stop("fast")
        thread.join(timeout=30)

        down = time.monotonic()
        for path in ("/", "/work/calls/", f"/work/applications/{pk}/"):
            answer = session.get(path)
            assert answer.status == 503, (path, answer.status)
            assert UNAVAILABLE in answer.text()
            assert "Traceback" not in answer.text()
        anonymous = Session(server.base, language="zh-hans").get("/")
        assert anonymous.status == 503 and 'lang="zh-hans"' in anonymous.text()
        # Down for about ten seconds in all.
        time.sleep(max(0.0, 10 - (time.monotonic() - down)))
        cluster.start()

        # The same server, not restarted, answers again within seconds.
        deadline = time.monotonic() + 20
        while True:
            answer = session.get(f"/work/applications/{pk}/")
            if answer.status == 200:
                break
            assert answer.status == 503, answer.status
            assert time.monotonic() < deadline, "the server did not recover"
            time.sleep(0.5)
        assert server.process.poll() is None

        report = run_script(env, CONSISTENCY)
        for _pk, state, stamped, events in report:
            if state == "submitted":
                assert stamped and events == 1, report
            else:
                assert not stamped and events == 0, report
        if racing.get("answer") == 302:
            assert [state for p, state, *_ in report if p == pk] == ["submitted"]
        log = (tmp_path / "serve.log").read_text(errors="replace")
        assert "Internal Server Error" not in log, log[-3000:]
    finally:
        if server is not None:
            server.stop()
        cluster.destroy()
