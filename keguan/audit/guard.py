"""Audited models: a save, delete or bulk update outside `audit.writing()` is refused.

This closes the paths that would change data without an event: a stray `.update()`, a
management command like `createsuperuser` or `loaddata`, a shell session.
"""

from django.db import models

from keguan.audit.services import AuditBypassError, writing_allowed


def _check(model=None, fields=None) -> None:
    exempt = getattr(model, "audit_exempt_fields", frozenset())
    if fields and exempt and set(fields) <= exempt:
        return
    if not writing_allowed():
        raise AuditBypassError(
            "audited models change only through their service functions (audit.writing)"
        )


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _check(self.model, kwargs)
        return super().update(**kwargs)

    def delete(self):
        _check()
        return super().delete()

    def bulk_create(self, *args, **kwargs):
        _check()
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        _check()
        return super().bulk_update(*args, **kwargs)


class AuditedModel(models.Model):
    """Base for models whose every change must leave an audit event."""

    objects = AuditedQuerySet.as_manager()
    # Bookkeeping fields (e.g. a token's last use) that may change without an event.
    audit_exempt_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        _check(type(self), kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _check()
        return super().delete(*args, **kwargs)
