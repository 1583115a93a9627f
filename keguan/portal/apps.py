from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "keguan.portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from keguan.audit import labels
        from keguan.portal import workflow  # noqa: F401  (registers its transitions' labels)

        labels.register(
            {
                "portal.notice.create": _("Notice drafted"),
                "portal.notice.update": _("Notice changed"),
                "portal.notice.items": _("Notice items changed"),
                "portal.notice.import_history": _("Notice period imported from the record"),
                "portal.objection.submit": _("Objection received"),
                "portal.objection.identity_viewed": _("Objector's identity viewed"),
                "portal.petition.submit": _("Petition received"),
                "portal.petition.assign": _("Petition assigned"),
                "portal.petition.extend": _("Petition time limit extended"),
            }
        )
