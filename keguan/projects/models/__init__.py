from keguan.projects.models.applications import (
    Application,
    BudgetCategory,
    BudgetLine,
    IntegrityPenalty,
    TeamMember,
)
from keguan.projects.models.attachments import Attachment
from keguan.projects.models.calls import AttachmentKind, Call, Level, Program
from keguan.projects.models.candidates import Candidate, FollowUp, Maturity
from keguan.projects.models.projects import Milestone, ProgressReport, Project

__all__ = [
    "Application",
    "Attachment",
    "AttachmentKind",
    "BudgetCategory",
    "BudgetLine",
    "Call",
    "Candidate",
    "FollowUp",
    "IntegrityPenalty",
    "Level",
    "Maturity",
    "Milestone",
    "Program",
    "ProgressReport",
    "Project",
    "TeamMember",
]
