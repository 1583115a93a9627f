"""Audit-event labels of the party branch's study area, registered when the app is ready.

Importing the workflow module registers the leave requests' transitions.
"""

from django.utils.translation import gettext_lazy as _

from keguan.audit import labels
from keguan.party import workflow_study  # noqa: F401

labels.register(
    {
        "party.study.plan.create": _("Study plan made"),
        "party.study.plan.update": _("Study plan changed"),
        "party.study.plan.topics": _("Study plan topics set"),
        "party.study.session.create": _("Study session scheduled"),
        "party.study.session.update": _("Study session changed"),
        "party.study.material.upload": _("Study material uploaded"),
        "party.study.attendance.qr": _("Signed in by QR code"),
        "party.study.attendance.secretary": _("Signed in by the secretary"),
        "party.study.attendance.make_up": _("Make-up study recorded"),
        "party.study.note.submit": _("Study notes handed in"),
        "party.study.leave.ask": _("Leave asked"),
        "party.study.quarter.close": _("Study quarter closed and assessed"),
        "party.study.hours.export": _("Study hours exported"),
        "party.study.sign_in.refused": _("Sign-in refused"),
    }
)
