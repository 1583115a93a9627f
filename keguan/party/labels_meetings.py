"""Audit-event labels of the party branch's meetings area, registered when the app is ready.

Import the area's workflow module here too, so its transitions register their labels.
"""

from django.utils.translation import gettext_lazy as _

from keguan.audit import labels
from keguan.party import workflow_meetings  # noqa: F401  (registers its labels)

labels.register(
    {
        "party.meeting.create": _("Branch meeting recorded"),
        "party.meeting.update": _("Branch meeting changed"),
        "party.meeting.attendance": _("Attendance recorded"),
        "party.meeting.export": _("Branch meetings exported"),
        "party.decision.create": _("Meeting decision recorded"),
        "party.decision.remove": _("Meeting decision removed"),
        "party.major_matter.create": _("Major matter proposed"),
        "party.major_matter.update": _("Major matter changed"),
    }
)
