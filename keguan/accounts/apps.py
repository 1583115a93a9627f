from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keguan.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        # last_login is written by our login service inside its audited block instead.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

        from keguan.accounts import workflow  # noqa: F401  (registers its transitions' labels)
        from keguan.audit import labels

        labels.register(
            {
                "access.denied": _("Access refused"),
                "accounts.bureau.create": _("Bureau created"),
                "accounts.login": _("Signed in"),
                "accounts.login.locked": _("Sign-in locked out"),
                "accounts.login.unlock": _("Sign-in lockout lifted"),
                "accounts.logout": _("Signed out"),
                "accounts.organization.create": _("Organization registered"),
                "accounts.organization.update": _("Organization profile changed"),
                "accounts.otp.enrol": _("Authenticator enrolled"),
                "accounts.otp.verify": _("Second factor checked"),
                "accounts.password.change": _("Password changed"),
                "accounts.password.reset": _("Password reset"),
                "accounts.role.grant": _("Role granted"),
                "accounts.role.revoke": _("Role revoked"),
                "accounts.token.create": _("API token created"),
                "accounts.token.revoke": _("API token revoked"),
                "accounts.user.create": _("User created"),
                "accounts.user.disable": _("User disabled"),
                "accounts.user.enable": _("User enabled"),
                "audit.export": _("Audit trail exported"),
                "audit.verify": _("Audit chain verified"),
            }
        )
