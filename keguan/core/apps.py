from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "keguan.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from keguan.audit import labels

        labels.register({"core.files.sweep": _("Orphaned upload files removed")})
        post_migrate.connect(_analyze_after_migrating, sender=self)


def _analyze_after_migrating(sender, using="default", **kwargs) -> None:
    """A migration may add an index; SQLite's planner ignores what it has no statistics for
    (`PRAGMA optimize` alone does not gather them) and may walk the wrong index until it
    does. A full ANALYZE after each migrate costs a second or two on a province."""
    from keguan.core.database import optimize

    optimize(full=True, using=using)
