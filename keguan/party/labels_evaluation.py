"""Audit-event labels of the party branch's evaluation area, registered when the app is ready.

Import the area's workflow module here too, so its transitions register their labels.
"""

from django.utils.translation import gettext_lazy as _

from keguan.audit import labels
from keguan.party import workflow_evaluation  # noqa: F401  (registers the transitions' labels)

labels.register(
    {
        "party.evaluation.create": _("Democratic evaluation round prepared"),
        "party.evaluation.update": _("Democratic evaluation round changed"),
        "party.evaluation.self_evaluation": _("Self-evaluation written"),
        "party.evaluation.peer_comment": _("Comment on a member written"),
        # Names the voter only; nothing of the ballot (see services.evaluation.cast_ballot).
        "party.evaluation.vote": _("A member voted"),
        "party.evaluation.final_grades": _("Final grades given"),
        "party.evaluation.export": _("Evaluation results exported"),
        "party.evaluation.result_view": _("A member's evaluation result viewed"),
    }
)
