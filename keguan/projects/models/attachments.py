"""Documents attached to applications and projects, stored under random names."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keguan.audit.guard import AuditedModel
from keguan.projects.models.applications import Application
from keguan.projects.models.calls import AttachmentKind
from keguan.projects.models.projects import Project


class Attachment(AuditedModel):
    """One version of one document. Re-uploading the same kind supersedes the old version,
    which is kept (with who replaced it and when) as history."""

    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=AttachmentKind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    # Path inside the attachment storage: random, never derived from what the user sent.
    stored_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                # Exactly one owner: an application's document or a project's, never both.
                condition=models.Q(application__isnull=False, project__isnull=True)
                | models.Q(application__isnull=True, project__isnull=False),
                name="attachment_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def current(self) -> bool:
        return self.superseded_at is None
