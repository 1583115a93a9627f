from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "keguan.projects"
    verbose_name = _("S&T projects")

    def ready(self) -> None:
        from keguan.audit import labels
        from keguan.projects import workflow  # noqa: F401  (registers its transitions' labels)

        labels.register(
            {
                "projects.program.create": _("Program created"),
                "projects.program.update": _("Program changed"),
                "projects.call.create": _("Call drafted"),
                "projects.call.update": _("Call changed"),
                "projects.call.import_history": _("Past call window recorded"),
                "projects.candidate.create": _("Added to the reserve pool"),
                "projects.candidate.update": _("Candidate changed"),
                "projects.candidate.follow_up": _("Follow-up recorded"),
                "projects.application.create": _("Application started"),
                "projects.application.update": _("Application changed"),
                "projects.application.team": _("Team changed"),
                "projects.application.budget": _("Budget changed"),
                "projects.application.export": _("Applications exported"),
                "projects.statistics.export": _("Statistics exported"),
                "projects.project.export": _("Projects exported"),
                "projects.attachment.upload": _("Document uploaded"),
                "projects.integrity.create": _("Integrity penalty recorded"),
                "projects.project.create": _("Project approved"),
                "projects.project.task_book": _("Task book changed"),
                "projects.project.midterm": _("Mid-term check recorded"),
                "projects.project.progress_report": _("Progress reported"),
            }
        )
