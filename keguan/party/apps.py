from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

AREAS = ("members", "study", "meetings", "evaluation", "affairs", "summary")


class PartyConfig(AppConfig):
    name = "keguan.party"
    verbose_name = _("Party branch")

    def ready(self) -> None:
        from importlib import import_module

        # Each area registers its workflows and its audit-event labels when imported.
        for area in AREAS:
            import_module(f"keguan.party.labels_{area}")
