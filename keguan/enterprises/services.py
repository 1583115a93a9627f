"""Recording industry–university–research cooperation agreements."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keguan.core.records import save_new, update_fields
from keguan.enterprises.models import Cooperation

COOPERATION_FIELDS = ("organization", "partner_name", "partner", "title", "signed_on", "ends_on")


def _dates(cooperation: Cooperation, before=None) -> None:
    if (
        cooperation.ends_on
        and cooperation.signed_on
        and cooperation.ends_on < cooperation.signed_on
    ):
        raise ValidationError({"ends_on": _("The agreement must end after it was signed.")})


def create_cooperation(user, data: dict) -> Cooperation:
    """An agreement recorded by the user's bureau (the partner named, linked when known)."""
    cooperation = Cooperation(bureau=user.bureau, created_by=user)
    for name in COOPERATION_FIELDS:
        if name in data:
            setattr(cooperation, name, data[name])
    if cooperation.partner_id and not cooperation.partner_name:
        cooperation.partner_name = cooperation.partner.name
    _dates(cooperation)
    save_new(cooperation, "enterprises.cooperation.create", COOPERATION_FIELDS)
    return cooperation


def update_cooperation(user, cooperation: Cooperation, data: dict) -> Cooperation:
    return update_fields(
        cooperation, "enterprises.cooperation.update", COOPERATION_FIELDS, data, check=_dates
    )
