"""Audit-event labels of the party branch's study area, registered when the app is ready.

Import the area's workflow module here too, so its transitions register their labels.
"""

from django.utils.translation import gettext_lazy as _  # noqa: F401

from keguan.audit import labels

labels.register({})
