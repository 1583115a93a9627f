from keguan.review.models.experts import Avoidance, Expert, ExpertField, Relation
from keguan.review.models.meetings import Attendance, Decision, Meeting
from keguan.review.models.rounds import (
    ApproachReport,
    Assignment,
    Criterion,
    Draw,
    Round,
    RoundEntry,
    Rubric,
    Score,
)

__all__ = [
    "ApproachReport",
    "Assignment",
    "Attendance",
    "Avoidance",
    "Criterion",
    "Decision",
    "Draw",
    "Expert",
    "ExpertField",
    "Meeting",
    "Relation",
    "Round",
    "RoundEntry",
    "Rubric",
    "Score",
]
