"""Who reads a branch's yearly summary: its secretary, and the inspectors over its bureau.

The summary is made of members' personal records (hours, grades, dues) added up, so it is
for those who already read those records one by one; a member has their own pages.
"""

from django.db.models import QuerySet

from keguan.party.models import Branch
from keguan.party.permissions import study


def summary_branches(user) -> QuerySet[Branch]:
    """The secretary's own branch and an inspector's branches (the study area's overseers)."""
    return study.overseen_branches(user)


def can_read_summary(user) -> bool:
    return summary_branches(user).exists()
