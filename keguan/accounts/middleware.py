from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from keguan.accounts.roles import TWO_FACTOR_ROLES

# Paths a half-signed-in user may still reach: the steps themselves, logout, language.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/api/")


class AccountGateMiddleware:
    """Hold a signed-in user at the login steps still owed: second factor, then a new password.

    A user who has given only the password reaches nothing else. Disabled accounts are
    signed out at their next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            if not user.is_active:
                logout(request)
                return redirect("accounts:login")
            step = self.pending_step(request)
            # Kept for the menu (keguan.core.context_processors), so it is worked out once.
            request.sign_in_step = step
            allowed = {
                reverse("accounts:logout"),
                reverse("accounts:otp_verify"),
                reverse("accounts:otp_setup"),
                reverse("accounts:password_change"),
            }
            if step and request.path not in allowed:
                return redirect(step)
        return self.get_response(request)

    @staticmethod
    def pending_step(request) -> str | None:
        user = request.user
        if not request.user.is_verified():
            from django_otp.plugins.otp_totp.models import TOTPDevice

            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            if has_device:
                return reverse("accounts:otp_verify")
            if user.has_role(*TWO_FACTOR_ROLES):
                return reverse("accounts:otp_setup")
        if user.must_change_password:
            return reverse("accounts:password_change")
        return None
