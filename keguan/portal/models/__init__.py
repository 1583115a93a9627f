from keguan.portal.models.notices import (
    KINDS_NAMING_PEOPLE,
    Notice,
    NoticeItem,
    NoticeKind,
    Objection,
)
from keguan.portal.models.petitions import Petition, PublicSubmission

__all__ = [
    "KINDS_NAMING_PEOPLE",
    "Notice",
    "NoticeItem",
    "NoticeKind",
    "Objection",
    "Petition",
    "PublicSubmission",
]
