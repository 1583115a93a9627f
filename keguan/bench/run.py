"""One benchmark run against the database keguan is configured with (`keguan bench`).

Prepares what the load needs (accounts to sign in with, the round to rank, a call open for
the deadline-day rush with an API token per applicant), starts `keguan serve` as its own
process group, sends the load from another process (keguan.bench.load), reads the memory
of every server process, checks the rush afterwards (each acknowledged submission in the
database exactly once, the audit chain intact) and returns one result dict.
"""

import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from keguan.accounts import services as accounts
from keguan.accounts.models import Bureau, Organization, User
from keguan.audit import chain
from keguan.audit.context import acting_as
from keguan.bench.data import BENCH_PASSWORD
from keguan.bench.rows import id_number
from keguan.projects import services as projects
from keguan.projects.models import Application, Call, Program
from keguan.projects.workflow import CALL_WORKFLOW
from keguan.review.models import Assignment, Round

RUSH_KIND = "feasibility_report"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def plan(base: str, *, rush_seconds: int, applicants: int) -> dict:
    """The pages to time and the rush to run, for the data `bench-data` generated."""
    this_year = timezone.localdate().year
    top = Bureau.objects.filter(parent__isnull=True).order_by("region_code").first()
    county = Bureau.objects.filter(level=Bureau.Level.COUNTY).order_by("region_code").first()
    ranked = (
        Round.objects.annotate(size=Count("entries"))
        .filter(bureau=county)
        .order_by("-size")
        .first()
    )
    sheet = Assignment.objects.filter(round=ranked).order_by("pk").first()
    expert = sheet.expert.user

    def page(name, username, path, requests=100):
        return {
            "name": name,
            "username": username,
            "password": BENCH_PASSWORD,
            "path": path,
            "requests": requests,
            "warmup": 5,
        }

    top_officer, county_officer = f"officer-{top.region_code}", f"officer-{county.region_code}"
    pages = [
        page(
            "applications: province, by state and year",
            top_officer,
            f"/work/applications/?state=submitted&year={this_year}",
        ),
        page("applications: province, all years", top_officer, "/work/applications/"),
        page(
            "applications: county, by state and year",
            county_officer,
            f"/work/applications/?state=rejected&year={this_year - 1}",
        ),
        page("projects: province", top_officer, f"/work/projects/?year={this_year - 2}"),
        page("audit trail: province", f"inspector-{top.region_code}", "/audit/"),
        page("expert's review page", expert.username, f"/review/assignments/{sheet.pk}/"),
        page(
            f"ranked list: round of {ranked.size} applications",
            county_officer,
            f"/review/rounds/{ranked.pk}/ranking/",
            50,
        ),
        page("statistics: province by level and year", top_officer, "/work/statistics/", 50),
        # The same page counted afresh every time: what it costs without the cache.
        page(
            "statistics, counted afresh (no cache)",
            top_officer,
            "/work/statistics/?fresh=1",
            20,
        ),
    ]
    rush = _rush(county, applicants, rush_seconds) if rush_seconds else None
    return {"base": base, "pages": pages, "rush": rush}


def _rush(county: Bureau, applicants: int, seconds: int) -> dict:
    """A county call open now, and a token for each of the first APPLICANTS organizations."""
    officer = User.objects.get(username=f"officer-{county.region_code}")
    program = Program.objects.filter(bureau=county).first()
    now = timezone.now()
    with acting_as(officer):
        call = projects.create_call(
            officer,
            {
                "program": program,
                "year": now.year,
                "title": f"截止日基准 {now:%Y%m%d%H%M%S}",
                "opens_at": now - dt.timedelta(hours=1),
                "closes_at": now + dt.timedelta(days=1),
                "budget_ceiling": 500000,
                "max_per_organization": 10000,
                "required_attachments": [RUSH_KIND],
            },
        )
        CALL_WORKFLOW.apply(officer, call, "publish")
    tokens, leaders = [], []
    rng = random.Random(applicants)
    orgs = Organization.objects.filter(bureau=county).order_by("pk")[:applicants]
    for org in orgs:
        user = User.objects.get(organization=org, username=f"a{org.pk}")
        tokens.append(accounts.create_token(user, "bench")[1])
        # Each applicant's project leader is a different person.
        leaders.append(id_number(rng, "110105"))
    return {
        "call": call.pk,
        "tokens": tokens,
        "seconds": seconds,
        "attachment_mb": 2,
        "attachment_kind": RUSH_KIND,
        "start_on": dt.date(now.year + 1, 1, 1).isoformat(),
        "end_on": dt.date(now.year + 2, 12, 31).isoformat(),
        "id_numbers": leaders,
    }


def rss_mb(root_pid: int) -> list[float]:
    """Resident memory (MB) of ROOT_PID and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                found.append(round(int(line.split()[1]) / 1024, 1))
        todo.extend(children.get(pid, []))
    return found


def check_rush(rush_plan: dict, result: dict) -> dict:
    """Each acknowledged submission in the database exactly once; the chain intact."""
    acked = result["acked"]
    submitted = Application.objects.filter(call_id=rush_plan["call"], state="submitted")
    found = set(submitted.filter(pk__in=acked).values_list("pk", flat=True))
    duplicated = (
        submitted.values("title").annotate(n=Count("pk")).aggregate(worst=Max("n"))["worst"] or 0
    )
    verified = chain.verify()
    return {
        "acknowledged": len(acked),
        "lost": len(set(acked) - found),
        "duplicated_titles": max(0, duplicated - 1),
        "in_database": submitted.count(),
        "chain_ok": verified.ok,
        "chain_events": verified.count,
    }


def run(*, label: str, workers: int, threads: int, rush_seconds: int, applicants: int, write):
    """Serve, load, measure; returns the results of this database."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    load_plan = plan(base, rush_seconds=rush_seconds, applicants=applicants)
    connection.close()
    env = {**os.environ, "KEGUAN_BENCH": "true", "KEGUAN_HTTPS": "false"}
    server = subprocess.Popen(  # noqa: S603  (our own interpreter and fixed arguments)
        [
            sys.executable,
            "-m",
            "keguan.cli",
            "serve",
            "--no-background",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_until_up(base)
        idle = rss_mb(server.pid)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(load_plan, handle)
        write(
            f"{label}: load from another process against {base} "
            f"({workers} workers × {threads} threads)"
        )
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "keguan.bench.load", handle.name],
            capture_output=True,
            text=True,
        )
        if output.returncode:
            raise RuntimeError(f"the load process failed:\n{output.stderr[-3000:]}")
        results = json.loads(output.stdout)
        results["rss_idle_mb"] = idle
        results["rss_after_mb"] = rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    if load_plan["rush"]:
        results["rush_check"] = check_rush(load_plan["rush"], results["rush"])
        del results["rush"]["acked"]
    results["label"] = label
    results["database"] = connection.vendor
    results["rows"] = {
        "applications": Application.objects.count(),
        "organizations": Organization.objects.count(),
        "calls": Call.objects.count(),
    }
    results["data_dir"] = str(settings.DATA_DIR)
    return results


def _wait_until_up(base: str) -> None:
    for _attempt in range(120):
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"keguan serve did not answer at {base}")
