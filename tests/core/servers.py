"""For the fault tests: a real `keguan serve` in its own process group, scripts run against
its data, and a small browser-like HTTP session (cookies, CSRF, no redirect following)."""

import http.cookiejar
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEGUAN = [sys.executable, "-m", "keguan.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(data_dir, database_url: str | None = None) -> dict:
    env = {
        **os.environ,
        "KEGUAN_DATA_DIR": str(data_dir),
        "KEGUAN_HTTPS": "false",
        "KEGUAN_TESTING": "false",
        "KEGUAN_EMAIL_BACKEND": "file",
        "KEGUAN_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "keguan.settings",
    }
    env.pop("KEGUAN_DATABASE_URL", None)
    env.pop("KEGUAN_ATTACHMENT_DIR", None)
    if database_url:
        env["KEGUAN_DATABASE_URL"] = database_url
    return env


def run_script(env, script: str):
    """Run SCRIPT with Django set up against ENV's data; return what it printed as JSON."""
    code = "import django; django.setup()\n" + script
    done = subprocess.run(  # noqa: S603  (our interpreter, our script)
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# Accounts and an open call for the applicants' threads. Prints their names as JSON.
SETUP = """
import json
from decimal import Decimal
from keguan.accounts.roles import Role
from tests.factories import make_bureau, make_organization, make_user
from tests.projects.factories import make_call, make_id_number
county = make_bureau("361127", "县科技局")
officer = make_user("olivia", [Role.OFFICER], county)
call = make_call(
    officer,
    max_per_organization=1000,
    required_attachments=["feasibility_report"],
    budget_ceiling=Decimal("1000000"),
)
users = []
for n in range(COUNT):
    org = make_organization(county, f"企业{n}")
    users.append(make_user(f"applicant{n}", [Role.APPLICANT], county, org).username)
ids = [make_id_number() for _ in range(400)]
print(json.dumps({"call": call.pk, "users": users, "id_numbers": ids}))
"""


def prepare(env, applicants: int) -> dict:
    """Migrate ENV's database and make APPLICANTS applicants and an open call."""
    subprocess.run([*KEGUAN, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    return run_script(env, SETUP.replace("COUNT", str(applicants)))


class Server:
    """`keguan serve` in a process group of its own, so one signal reaches every worker."""

    def __init__(self, env, port: int, workers: int = 2, log_path=None):
        self.env, self.port, self.workers = env, port, workers
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.process = None

    def start(self, timeout: float = 60) -> "Server":
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [
                *KEGUAN,
                "serve",
                "--no-background",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"keguan serve exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/accounts/login/", timeout=2):  # noqa: S310
                    return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise AssertionError("keguan serve did not answer")

    def kill(self) -> None:
        """SIGKILL the whole group: no request finishes, no handler runs."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Session:
    """One browser: its cookies, the CSRF token it was given, redirects not followed."""

    def __init__(self, base: str, language: str = "en"):
        self.base, self.language = base, language
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def _csrf(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "keguan_csrftoken":
                return cookie.value
        return ""

    def request(self, path, data: bytes | None = None, content_type=None, timeout=30):
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310
        request.add_header("Accept-Language", self.language)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def get(self, path, **kwargs) -> Response:
        return self.request(path, **kwargs)

    def post(self, path, fields: dict | list, **kwargs) -> Response:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        pairs.append(("csrfmiddlewaretoken", self._csrf()))
        body = urllib.parse.urlencode(pairs).encode()
        return self.request(path, body, "application/x-www-form-urlencoded", **kwargs)

    def upload(self, path, fields: dict, name: str, filename: str, content: bytes, **kwargs):
        boundary = secrets.token_hex(16)
        parts = []
        for key, value in {**fields, "csrfmiddlewaretoken": self._csrf()}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            path, b"".join(parts), f"multipart/form-data; boundary={boundary}", **kwargs
        )

    def sign_in(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password})
        assert answer.status == 302, f"sign-in of {username} failed: {answer.status}"
