"""Audit-event labels of the branch's yearly summary, registered when the app is ready."""

from django.utils.translation import gettext_lazy as _

from keguan.audit import labels

labels.register({"party.summary.export": _("Party branch's yearly summary exported")})
