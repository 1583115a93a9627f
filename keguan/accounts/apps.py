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
