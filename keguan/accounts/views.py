"""Sign-in steps and the user's own account: thin views over keguan.accounts.services."""

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from keguan.accounts import services
from keguan.accounts.forms import LoginForm, OtpForm, PasswordChangeForm, TokenForm
from keguan.accounts.models import ApiToken
from keguan.audit import services as audit
from keguan.audit.models import Result
from keguan.core.access import get_visible, require, signed_in
from keguan.core.forms import apply_errors


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect("core:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.login_user(
            request, form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if user is not None:
            target = request.POST.get("next") or request.GET.get("next") or ""
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                target = "core:home"
            return redirect(target)
        # One message for unknown user, wrong password, disabled and locked-out accounts.
        form.add_error(
            None,
            _(
                "Sign-in failed. Check the user name and password; after five "
                "failures the account and this computer are paused for 15 "
                "minutes."
            ),
        )
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_POST
def logout_view(request):
    services.logout_user(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@require(signed_in)
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


@require(signed_in)
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: show a QR code of a new secret, confirm with one code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit.record("accounts.otp.enrol", obj=request.user)
            messages.success(request, _("Two-factor sign-in is now on for your account."))
            return redirect("core:home")
        audit.record("accounts.otp.verify", obj=request.user, result=Result.FAILED)
        form.add_error("code", _("This code is not valid. Check the time on your phone."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": secret,
        },
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_setup")
    if request.user.is_verified():
        return redirect("core:home")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # verify_token refuses a code at or before the last one used: no replay.
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            audit.record("accounts.otp.verify", obj=request.user)
            return redirect("core:home")
        audit.record("accounts.otp.verify", obj=request.user, result=Result.FAILED)
        form.add_error("code", _("This code is not valid or was already used."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@require(signed_in)
@require_http_methods(["GET", "POST"])
def profile(request):
    """The user's own account: roles, two-factor status, API tokens."""
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = services.create_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "new_secret": new_secret,
            "has_otp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "masked_phone": services.mask_phone(request.user.phone),
        },
    )


@require(signed_in)
@require_POST
def token_revoke(request, pk: int):
    token = get_visible(
        request, ApiToken.objects.filter(user=request.user, revoked_at__isnull=True), pk
    )
    services.revoke_token(request.user, token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:profile")
