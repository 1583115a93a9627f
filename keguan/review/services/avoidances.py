"""The units and experts an applicant asks to avoid (at most three, with a reason)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keguan.core.records import replace_rows
from keguan.projects.models import Application
from keguan.projects.permissions import is_own_application
from keguan.review.models import Avoidance


def _refusal(user):
    def refusal(application: Application) -> str | None:
        if not is_own_application(user, application):
            return _("You may not do this.")
        if application.state not in Application.EDITABLE_STATES:
            return _("The application can no longer be changed.")
        return None

    return refusal


def replace_avoidances(user, application: Application, items: list[dict]) -> list[Avoidance]:
    """Replace the application's avoidance list; only while the applicant may still edit it."""
    items = [i for i in items if (i.get("name") or "").strip()]
    if len(items) > Avoidance.MAX_PER_APPLICATION:
        raise ValidationError(
            {
                "avoidances": _("At most %(max)d units or experts to avoid.")
                % {"max": Avoidance.MAX_PER_APPLICATION}
            }
        )
    rows, errors = [], {}
    for index, item in enumerate(items, start=1):
        row = Avoidance(
            application=application,
            kind=item.get("kind") or "",
            name=(item.get("name") or "").strip(),
            unit=(item.get("unit") or "").strip(),
            reason=(item.get("reason") or "").strip(),
        )
        try:
            row.full_clean(exclude=["application"])
        except ValidationError as exc:
            errors[f"avoidances.{index}"] = [
                f"{Avoidance._meta.get_field(field).verbose_name}: {' '.join(messages)}"
                for field, messages in exc.message_dict.items()
            ]
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return replace_rows(
        application,
        "avoidances",
        Avoidance,
        rows,
        "review.avoidance.replace",
        "avoidances",
        lambda row: (row.kind, row.name),
        _refusal(user),
    )
