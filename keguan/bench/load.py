"""The benchmark's load generator: a separate process that talks HTTP to `keguan serve` on
loopback, with the standard library only (no Django in this process).

    python -m keguan.bench.load PLAN.json  →  results as JSON on stdout

PLAN: {"base": "http://127.0.0.1:PORT", "pages": [{"name", "username", "password", "path",
"requests", "warmup"}], "rush": {"call", "tokens": [...], "seconds", "attachment_mb"}}.
Pages are fetched one request at a time by one signed-in client (the latency a user
sees); the rush runs one thread per applicant token, each saving a draft, uploading an
attachment and submitting, again and again until the time is up.
"""

import http.client
import json
import re
import statistics
import sys
import threading
import time
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 30


class Client:
    """One keep-alive connection with a cookie jar."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response, data

    def sign_in(self, username: str, password: str) -> None:
        _response, page = self.request("GET", "/accounts/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        token = found.group(1).decode() if found else ""
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        response, _data = self.request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.referer()},
        )
        if response.status != 302:
            raise SystemExit(f"sign-in of {username} failed: HTTP {response.status}")

    def referer(self) -> str:
        return f"http://{self.host}:{self.port}/"


def percentile(values, share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure_page(base: str, page: dict) -> dict:
    client = Client(base)
    client.sign_in(page["username"], page["password"])
    latencies, queries, statuses, size = [], set(), {}, 0
    for n in range(page.get("warmup", 5) + page.get("requests", 100)):
        started = time.perf_counter()
        response, data = client.request("GET", page["path"])
        elapsed = (time.perf_counter() - started) * 1000
        if n < page.get("warmup", 5):
            continue
        latencies.append(elapsed)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        queries.add(response.headers.get("X-Keguan-Queries", "?"))
        size = len(data)
    return {
        "name": page["name"],
        "path": page["path"],
        "requests": len(latencies),
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "queries": sorted(queries),
        "statuses": statuses,
        "bytes": size,
    }


def _pdf(megabytes: float) -> bytes:
    """A valid PDF of about MEGABYTES (a page and a long comment)."""
    head = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    head += b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    head += b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    filler = b"%" + b"k" * 78 + b"\n"
    body = filler * int(megabytes * 1024 * 1024 / len(filler))
    tail = b"trailer<</Root 1 0 R>>\n%%EOF\n"
    return head + body + tail


def _multipart(fields: dict, file_field: str, filename: str, content: bytes):
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def rush(base: str, plan: dict) -> dict:
    """Every applicant thread: draft, upload, submit, over and over until time is up."""
    deadline = time.monotonic() + plan["seconds"]
    pdf = _pdf(plan.get("attachment_mb", 2))
    lock = threading.Lock()
    acked: list[int] = []
    latencies: dict[str, list[float]] = {"draft": [], "upload": [], "submit": [], "total": []}
    errors: dict[str, int] = {}

    def fail(step, detail):
        with lock:
            key = f"{step}: {detail}"
            errors[key] = errors.get(key, 0) + 1

    def applicant(token: str, n: int):
        client = Client(base)
        auth = {"Authorization": f"Bearer {token}"}
        json_headers = {**auth, "Content-Type": "application/json"}
        while time.monotonic() < deadline:
            started = time.perf_counter()
            draft = {
                "call": plan["call"],
                "title": f"截止日基准申报{n}-{uuid.uuid4().hex[:8]}",
                "summary": "截止日当天的并发申报",
                "discipline_code": "210",
                "start_on": plan["start_on"],
                "end_on": plan["end_on"],
            }
            try:
                t0 = time.perf_counter()
                response, data = client.request(
                    "POST", "/api/v1/applications", json.dumps(draft), json_headers
                )
                if response.status != 201:
                    fail("draft", f"HTTP {response.status}")
                    continue
                app_id = json.loads(data)["id"]
                patch = {
                    "team": [
                        {
                            "name": "张三",
                            "unit": "基准单位",
                            "role": "leader",
                            "id_number": plan["id_numbers"][n],
                        }
                    ],
                    "budget": [
                        {"category": "equipment", "requested": "50000", "self_raised": "20000"}
                    ],
                }
                response, data = client.request(
                    "PATCH", f"/api/v1/applications/{app_id}", json.dumps(patch), json_headers
                )
                t1 = time.perf_counter()
                if response.status != 200:
                    fail("draft", f"HTTP {response.status} {data[:120]!r}")
                    continue
                body, content_type = _multipart(
                    {"kind": plan["attachment_kind"]}, "file", "feasibility.pdf", pdf
                )
                response, data = client.request(
                    "POST",
                    f"/api/v1/applications/{app_id}/attachments",
                    body,
                    {**auth, "Content-Type": content_type},
                )
                t2 = time.perf_counter()
                if response.status != 201:
                    fail("upload", f"HTTP {response.status} {data[:120]!r}")
                    continue
                response, data = client.request(
                    "POST", f"/api/v1/applications/{app_id}/actions/submit", "{}", json_headers
                )
                t3 = time.perf_counter()
                if response.status != 200 or json.loads(data).get("state") != "submitted":
                    fail("submit", f"HTTP {response.status} {data[:120]!r}")
                    continue
            except (OSError, http.client.HTTPException) as exc:
                fail("connection", type(exc).__name__)
                client = Client(base)
                continue
            with lock:
                acked.append(app_id)
                latencies["draft"].append((t1 - t0) * 1000)
                latencies["upload"].append((t2 - t1) * 1000)
                latencies["submit"].append((t3 - t2) * 1000)
                latencies["total"].append((t3 - started) * 1000)

    started = time.monotonic()
    threads = [
        threading.Thread(target=applicant, args=(token, n))
        for n, token in enumerate(plan["tokens"])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    result = {
        "applicants": len(plan["tokens"]),
        "seconds": round(seconds, 1),
        "submissions": len(acked),
        "per_second": round(len(acked) / seconds, 1),
        "errors": errors,
        "acked": acked,
    }
    for step, values in latencies.items():
        result[f"{step}_p50_ms"] = round(percentile(values, 0.5), 1)
        result[f"{step}_p99_ms"] = round(percentile(values, 0.99), 1)
    # Every request of a submission is its own request: p99 over all of them.
    every = latencies["draft"] + latencies["upload"] + latencies["submit"]
    result["request_p50_ms"] = round(percentile(every, 0.5), 1)
    result["request_p99_ms"] = round(percentile(every, 0.99), 1)
    return result


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        plan = json.load(handle)
    results = {"pages": [measure_page(plan["base"], page) for page in plan.get("pages", [])]}
    if plan.get("rush"):
        results["rush"] = rush(plan["base"], plan["rush"])
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
