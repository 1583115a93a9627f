from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "keguan.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from keguan.audit import labels

        labels.register({"core.files.sweep": _("Orphaned upload files removed")})
