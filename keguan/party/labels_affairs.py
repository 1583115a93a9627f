"""Audit-event labels of the party branch's affairs area, registered when the app is ready.

Importing the workflow module registers the disclosure transitions' labels.
"""

from django.utils.translation import gettext_lazy as _

from keguan.audit import labels
from keguan.party import workflow_affairs  # noqa: F401  (registers its transitions' labels)

labels.register(
    {
        "party.disclosure.create": _("Disclosure item proposed"),
        "party.disclosure.update": _("Disclosure item changed"),
        "party.honour.create": _("Honour recorded"),
        "party.honour.update": _("Honour changed"),
        "party.honour.delete": _("Honour removed"),
        "party.letter.create": _("Responsibility letter recorded"),
        "party.letter.update": _("Responsibility letter changed"),
        "party.letter.items": _("Responsibility letter items set"),
        "party.letter.checkpoint": _("Responsibility letter checkpoint recorded"),
        "party.education.create": _("Education activity recorded"),
        "party.education.update": _("Education activity changed"),
        "party.education.attendance": _("Education activity attendance recorded"),
        "party.declaration.create": _("Declaration of interest made"),
        "party.declaration.update": _("Declaration of interest changed"),
        "party.village.create": _("Paired village recorded"),
        "party.village.update": _("Paired village changed"),
        "party.village.plan_item": _("Village plan item added"),
        "party.village.progress": _("Village plan progress recorded"),
        "party.village.visit": _("Village visit recorded"),
        "party.village.aid": _("Aid to the village recorded"),
        "party.relief.create": _("Disaster relief contribution recorded"),
    }
)
