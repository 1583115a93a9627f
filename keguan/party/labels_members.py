"""Audit-event labels of the party branch's members area, registered when the app is ready.

Import the area's workflow module here too, so its transitions register their labels.
"""

from django.utils.translation import gettext_lazy as _

from keguan.audit import labels
from keguan.party import workflow_members  # noqa: F401  (registers the transitions' labels)

labels.register(
    {
        "party.branch.create": _("Party branch created"),
        "party.branch.update": _("Party branch changed"),
        "party.member.create": _("Party member added"),
        "party.member.update": _("Party member's record changed"),
        "party.member.view": _("Party member's record viewed"),
        "party.member.id_revealed": _("Party member's ID number revealed"),
        "party.member.export": _("Party members exported"),
        "party.committee.seat": _("Committee seat given"),
        "party.committee.leave": _("Committee seat vacated"),
        "party.group.create": _("Party group created"),
        "party.group.rename": _("Party group renamed"),
        "party.group.delete": _("Party group removed"),
        "party.dues.declare": _("Income declared for party dues"),
        "party.dues.paid": _("Party dues paid"),
        "party.dues.unpaid": _("Party dues payment withdrawn"),
        "party.dues.export": _("Party dues exported"),
    }
)
