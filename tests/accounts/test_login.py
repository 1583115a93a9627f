"""Signing in: throttling, one message for every failure, session rotation, timeout."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse
from django.utils import timezone

from keguan.accounts import services
from keguan.accounts.models import LoginAttempt
from keguan.audit.models import AuditEvent
from tests.factories import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


LOGIN = "/accounts/login/"


def post_login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_officer_signs_in_and_lands_on_the_workbench(client, personas):
    response = post_login(client, "olivia", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert AuditEvent.objects.filter(
        action="accounts.login", result="ok", actor_username="olivia"
    ).exists()


def test_unknown_user_and_wrong_password_get_the_same_answer(client, personas):
    wrong = post_login(client, "olivia", "not-the-password")
    unknown = post_login(client, "nobody-here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_five_failures_lock_the_account_for_fifteen_minutes(client, personas):
    for n in range(5):
        post_login(client, "olivia", "wrong", address=f"10.0.1.{n}")
    response = post_login(client, "olivia", PASSWORD, address="10.0.2.1")
    assert response.status_code == 200  # the right password does not get through now
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.login.locked").exists()
    LoginAttempt.objects.update(at=timezone.now() - dt.timedelta(minutes=16))
    assert post_login(client, "olivia", PASSWORD, address="10.0.2.1").status_code == 302


def test_five_failures_from_one_address_lock_that_address(client, personas):
    for n in range(5):
        post_login(client, f"someone{n}", "wrong", address="10.9.9.9")
    assert post_login(client, "olivia", PASSWORD, address="10.9.9.9").status_code == 200
    assert post_login(client, "olivia", PASSWORD, address="10.9.9.8").status_code == 302


def test_a_locked_account_answers_like_a_wrong_password(client, personas):
    for _ in range(5):
        post_login(client, "olivia", "wrong", address="10.0.3.1")
    locked = post_login(client, "olivia", PASSWORD, address="10.0.3.2")
    wrong = post_login(client, "bob", "wrong", address="10.0.3.3")
    assert locked.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()


def test_signing_in_gives_a_new_session_id(client, personas):
    client.get(LOGIN)
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    post_login(client, "olivia", PASSWORD)
    assert client.session.session_key != before


def test_signing_out_ends_the_session(client, personas):
    post_login(client, "olivia", PASSWORD)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:home")).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.logout").exists()


def test_logout_needs_a_post(client, personas):
    sign_in(client, personas.officer)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_sessions_expire_after_the_idle_timeout(client, personas):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    post_login(client, "olivia", PASSWORD)
    from django.contrib.sessions.models import Session

    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_account_made_by_someone_else_must_change_its_password_first(client, personas):
    user = services.create_user(
        None,
        username="newbie",
        password=PASSWORD,
        roles=["officer"],
        bureau=personas.bureaus.county,
    )
    post_login(client, "newbie", PASSWORD)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    new = "Another-Passw0rd-Strong"
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": new, "new_password_again": new},
    )
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.password.change").exists()


@pytest.mark.parametrize(
    "password", ["short1A!", "alllowercaseletters", "olivia-Passw0rd-x", "123456789012345"]
)
def test_weak_passwords_are_refused_beside_the_field(client, personas, password):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password": password, "new_password_again": password},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password"]


def test_administrators_reach_nothing_before_their_second_factor(client, personas):
    post_login(client, "sys", PASSWORD)
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response.url == reverse("accounts:otp_setup")


def test_a_used_totp_code_cannot_be_replayed(client, personas):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=personas.sysadmin, name="app", confirmed=True)
    code = f"{totp(device.bin_key):06d}"
    post_login(client, "sys", PASSWORD)
    assert client.post(reverse("accounts:otp_verify"), {"code": code}).status_code == 302
    other = client.__class__()
    post_login(other, "sys", PASSWORD, address="10.0.0.2")
    replay = other.post(reverse("accounts:otp_verify"), {"code": code})
    assert replay.status_code == 200
    assert other.get(reverse("accounts:user_list")).status_code == 302


def test_accounts_unused_for_ninety_days_are_disabled(personas):
    user = personas.expert
    later = timezone.now() + dt.timedelta(days=91)
    assert services.disable_inactive_users(now=later) >= 1
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEvent.objects.filter(
        action="accounts.user.disable", object_id=str(user.pk)
    ).exists()


def test_signing_in_upgrades_an_old_password_hash_without_tripping_the_audit_guard(
    client, personas, settings
):
    """Django re-encodes a stored hash whose hasher is no longer the first choice; that
    write happens during the sign-in and must not be refused as an unaudited change."""
    settings.PASSWORD_HASHERS = [
        "tests.accounts.test_login.QuickPBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    response = post_login(client, "olivia", PASSWORD)
    assert response.status_code == 302
    personas.officer.refresh_from_db()
    assert personas.officer.password.startswith("pbkdf2_sha256$1000$")
