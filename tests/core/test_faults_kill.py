"""The server is killed (SIGKILL, every process at once) while applicants submit and upload:
after a restart, every submission the server acknowledged is there exactly once, every
attachment row has its file, and the files of uploads that never committed are swept."""

import datetime as dt
import os
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.core.servers import (
    KEGUAN,
    ROOT,
    Server,
    Session,
    free_port,
    prepare,
    run_script,
    server_env,
)
from tests.factories import PASSWORD
from tests.projects.factories import PDF_BYTES

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("KEGUAN_DATABASE_URL")),
    reason="starts its own server on its own SQLite database: run once, in the SQLite pass",
)

APPLICANTS = 6
# About 200 KB: long enough in flight that a kill finds uploads half done.
ATTACHMENT = PDF_BYTES + b"%" + b"0" * (200 * 1024) + b"\n"


def application_fields(call_year: int, id_number: str) -> dict:
    return {
        "title": "特种水稻高产栽培技术示范",
        "summary": "在四股桥乡推广特种水稻高产栽培技术。",
        "discipline_code": "21040",
        "field": "农业",
        "start_on": f"{call_year}-07-01",
        "end_on": f"{call_year + 1}-12-31",
        "expected_patents": "0",
        "expected_products": "0",
        "expected_revenue": "0",
        "expected_jobs": "0",
        "team-TOTAL_FORMS": "1",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "30",
        "team-0-name": "杨玉梁",
        "team-0-unit": "企业",
        "team-0-role": "leader",
        "team-0-title": "高级农艺师",
        "team-0-id_number": id_number,
        "budget-TOTAL_FORMS": "1",
        "budget-INITIAL_FORMS": "0",
        "budget-MIN_NUM_FORMS": "0",
        "budget-MAX_NUM_FORMS": "10",
        "budget-0-category": "equipment",
        "budget-0-requested": "60000",
        "budget-0-self_raised": "0",
    }


class Applicant(threading.Thread):
    """Starts, fills in, documents and submits applications until the server dies."""

    def __init__(self, base, username, call, id_numbers, stop):
        super().__init__(daemon=True)
        self.session = Session(base)
        self.username, self.call, self.id_numbers, self.stop = username, call, id_numbers, stop
        self.acknowledged, self.unexpected = [], []

    def expect(self, answer, step) -> None:
        if answer.status != 302:
            self.unexpected.append((step, answer.status, answer.text()[:300]))
            raise ConnectionAbortedError(step)

    def run(self):
        try:
            self.session.sign_in(self.username, PASSWORD)
            while not self.stop.is_set():
                answer = self.session.post(f"/work/calls/{self.call}/apply/", {})
                self.expect(answer, "start")
                pk = int(re.search(r"/applications/(\d+)/edit/", answer.location).group(1))
                fields = application_fields(dt.date.today().year, self.id_numbers.pop())
                self.expect(self.session.post(f"/work/applications/{pk}/edit/", fields), "edit")
                answer = self.session.upload(
                    f"/work/applications/{pk}/attachments/",
                    {"kind": "feasibility_report"},
                    "file",
                    "可行性报告.pdf",
                    ATTACHMENT,
                )
                self.expect(answer, "upload")
                answer = self.session.post(
                    f"/work/applications/{pk}/actions/submit/", {"expected_state": "draft"}
                )
                self.expect(answer, "submit")
                # The success redirect: the server has answered, so it has committed.
                self.acknowledged.append(pk)
        except (OSError, ConnectionAbortedError):
            return  # the server died under us (or refused: recorded in unexpected)


CHECK = """
import json
from pathlib import Path
from django.conf import settings
from keguan.audit.models import AuditEvent
from keguan.core.files import orphaned_files
from keguan.projects.models import Application, Attachment
import datetime as dt
acknowledged = ACKNOWLEDGED
rows = {a.pk: a.state for a in Application.objects.filter(pk__in=acknowledged)}
events = {
    pk: AuditEvent.objects.filter(
        action="projects.application.submit", object_id=str(pk)
    ).count()
    for pk in acknowledged
}
root = Path(settings.KEGUAN_ATTACHMENT_DIR)
missing = [a.stored_name for a in Attachment.objects.all() if not (root / a.stored_name).is_file()]
print(json.dumps({
    "states": {str(k): v for k, v in rows.items()},
    "events": {str(k): v for k, v in events.items()},
    "attachments": Attachment.objects.count(),
    "missing": missing,
    "files": sum(1 for p in root.rglob("*") if p.is_file()),
    "orphans": len(orphaned_files(dt.timedelta(0))),
}))
"""


def check(env, acknowledged) -> dict:
    return run_script(env, CHECK.replace("ACKNOWLEDGED", repr(sorted(acknowledged))))


def test_a_killed_server_loses_no_acknowledged_submission_and_leaves_no_orphan(tmp_path):
    env = server_env(tmp_path / "data")
    setup = prepare(env, APPLICANTS)
    server = Server(env, free_port(), workers=2, log_path=tmp_path / "serve.log").start()
    try:
        stop = threading.Event()
        ids = setup["id_numbers"]
        applicants = [
            Applicant(server.base, name, setup["call"], ids[n::APPLICANTS], stop)
            for n, name in enumerate(setup["users"])
        ]
        for applicant in applicants:
            applicant.start()
        # Kill once a few submissions went through, with the others in every stage.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if sum(len(a.acknowledged) for a in applicants) >= 2 * APPLICANTS:
                break
            time.sleep(0.05)
        server.kill()
        stop.set()
        for applicant in applicants:
            applicant.join(timeout=60)
        acknowledged = [pk for a in applicants for pk in a.acknowledged]
        unexpected = [u for a in applicants for u in a.unexpected]
        assert not unexpected, unexpected
        assert acknowledged, "nothing was submitted before the kill"

        server.start()
        after = check(env, acknowledged)
        assert set(after["states"]) == {str(pk) for pk in acknowledged}
        assert set(after["states"].values()) == {"submitted"}
        assert set(after["events"].values()) == {1}, "each submission recorded exactly once"
        assert after["missing"] == [], "an attachment row points to a missing file"

        # The restarted server answers: an applicant sees an acknowledged submission.
        first = applicants[0]
        if first.acknowledged:
            session = Session(server.base)
            session.sign_in(first.username, PASSWORD)
            page = session.get(f"/work/applications/{first.acknowledged[0]}/")
            assert page.status == 200

        swept = subprocess.run(  # noqa: S603
            [*KEGUAN, "sweep-files", "--older-than", "0"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        assert f"removed {after['orphans']} orphaned file(s)" in swept.stdout
        final = check(env, acknowledged)
        assert final["orphans"] == 0
        assert final["files"] == final["attachments"], "every file left is named by a row"
        assert final["missing"] == []
        print(
            f"acknowledged {len(acknowledged)}, attachments {after['attachments']}, "
            f"orphans swept {after['orphans']}"
        )
    finally:
        server.stop()
        log = Path(tmp_path / "serve.log")
        if log.exists() and "Traceback" in log.read_text(errors="replace"):
            print(log.read_text(errors="replace")[-5000:])
