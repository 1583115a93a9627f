from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "keguan.enterprises"
    verbose_name = _("Enterprises and parks")

    def ready(self) -> None:
        from keguan.audit import labels

        labels.register(
            {
                "enterprises.cooperation.create": _("Cooperation agreement recorded"),
                "enterprises.cooperation.update": _("Cooperation agreement changed"),
            }
        )
