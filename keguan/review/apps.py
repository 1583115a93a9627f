from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "keguan.review"
    verbose_name = _("Expert review")

    def ready(self) -> None:
        from keguan.audit import labels
        from keguan.review import notify, workflow  # noqa: F401  (registers its labels)

        notify.register()

        labels.register(
            {
                "review.expert.create": _("Expert added to the pool"),
                "review.expert.update": _("Expert changed"),
                "review.expert.fields": _("Expert's fields changed"),
                "review.expert.relations": _("Expert's relations changed"),
                "review.avoidance.replace": _("Experts to avoid changed"),
                "review.rubric.replace": _("Rubric changed"),
                "review.round.create": _("Review round prepared"),
                "review.round.update": _("Review round changed"),
                "review.round.entries": _("Applications of the round changed"),
                "review.draw.create": _("Experts drawn"),
                "review.draw.too_few": _("Draw refused: too few eligible experts"),
                "review.assignment.replace": _("Reserve expert took the place"),
                "review.assignment.scores": _("Scores saved"),
                "review.assignment.remind": _("Expert reminded"),
                "review.approach.report": _("Attempt to influence reported"),
                "review.ranking.export": _("Ranked list exported"),
                "review.meeting.create": _("Decision meeting recorded"),
                "review.meeting.update": _("Decision meeting changed"),
                "review.decision.stage": _("Decision staged"),
                "review.decision.withdraw": _("Staged decision removed"),
            }
        )
