"""`keguan serve` is a real WSGI server that also serves the static files."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("KEGUAN_DATABASE_URL")), reason="exercised once, on SQLite"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_pages_and_static_files(tmp_path):
    env = {
        **os.environ,
        "KEGUAN_DATA_DIR": str(tmp_path),
        "KEGUAN_HTTPS": "false",
        "KEGUAN_TESTING": "false",
        "KEGUAN_EMAIL_BACKEND": "file",
    }
    env.pop("KEGUAN_DATABASE_URL", None)
    keguan = [sys.executable, "-m", "keguan.cli"]
    subprocess.run([*keguan, "migrate", "--verbosity", "0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*keguan, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(base + "/accounts/login/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("keguan serve did not answer")
        assert page.status == 200
        assert "Content-Security-Policy" in page.headers
        html = page.read().decode()
        css = html.split('href="/static/keguan/')[1].split('"')[0]
        asset = urllib.request.urlopen(f"{base}/static/keguan/{css}", timeout=5)  # noqa: S310
        assert asset.status == 200 and b"--kg-blue" in asset.read()
    finally:
        server.terminate()
        server.wait(timeout=20)
