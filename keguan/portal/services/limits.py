"""The rate limit of the public forms: so many submissions per address per hour."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from keguan.portal.models import PublicSubmission

# Per address and form, per hour.
LIMITS = {"objection": 5, "petition": 5, "lookup": 30}


def allow(form: str, address: str | None) -> bool:
    """Record this attempt and say whether it is within the limit."""
    now = timezone.now()
    limit = getattr(settings, "KEGUAN_PUBLIC_FORM_LIMITS", {}).get(form, LIMITS[form])
    recent = PublicSubmission.objects.filter(
        form=form, address=address, at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= limit:
        return False
    PublicSubmission.objects.create(form=form, address=address, at=now)
    return True


def purge(before=None) -> int:
    before = before or timezone.now() - dt.timedelta(days=1)
    return PublicSubmission.objects.filter(at__lt=before).delete()[0]
