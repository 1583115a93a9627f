"""The keguan command: createuser, token, demo."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keguan.accounts.models import User
from keguan.audit.chain import verify

pytestmark = pytest.mark.django_db


def test_createuser_reads_the_password_from_stdin(monkeypatch, bureaus):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Cli-Passw0rd-Strong\n"))
    call_command(
        "createuser", "cliuser", "--role", "officer", "--bureau", "361127", "--password-stdin"
    )
    user = User.objects.get(username="cliuser")
    assert user.check_password("Cli-Passw0rd-Strong") and user.must_change_password


def test_createuser_explains_a_weak_password(monkeypatch, bureaus):
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="password"):
        call_command(
            "createuser", "weak", "--role", "officer", "--bureau", "361127", "--password-stdin"
        )
    assert not User.objects.filter(username="weak").exists()


def test_token_create_prints_a_working_token(client, personas, capsys):
    call_command("token", "create", "olivia")
    secret = capsys.readouterr().out.strip()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200


def test_createsuperuser_cannot_bypass_the_audit_trail(bureaus):
    from keguan.audit.guard import AuditBypassError

    with pytest.raises(AuditBypassError):
        User.objects.create_superuser("root", "root@example.org", "Root-Passw0rd-Strong")


def test_the_demo_loads_twice_and_its_chain_verifies(capsys):
    call_command("demo", "--no-serve")
    users = User.objects.count()
    call_command("demo", "--no-serve")
    assert User.objects.count() == users
    out = capsys.readouterr().out
    assert "officer" in out and "Keguan-Demo-2026" in out
    assert verify().ok


def test_a_bad_setting_stops_start_up_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "keguan.cli", "check"],
        env={"KEGUAN_DEBUG": "maybe", "KEGUAN_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "KEGUAN_DEBUG must be true or false" in result.stderr
