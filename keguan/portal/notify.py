"""Who is told when the public writes in (after the change commits)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import User
from keguan.accounts.roles import Role
from keguan.notifications.services import notify


def _holders(bureau, role):
    return User.objects.filter(
        bureau__path__in=bureau.paths_up(), is_active=True, role_grants__role=role
    ).distinct()


def objection_received(objection) -> None:
    """The notice's officers and the inspectors learn of it (not who objected)."""
    notice = objection.notice
    people = set(_holders(notice.bureau, Role.OFFICER)) | set(
        _holders(notice.bureau, Role.INSPECTOR)
    )
    notify(
        people,
        _("An objection to the notice “%(title)s”") % {"title": notice.title[:80]},
        "",
        reverse("portal:objection_detail", args=[objection.pk]),
    )


def petition_received(petition) -> None:
    """The bureau's inspectors, except one the petition names."""
    inspectors = _holders(petition.bureau, Role.INSPECTOR).exclude(
        Q(pk=petition.concerns_id) | Q(full_name=petition.concerns_name, full_name__gt="")
    )
    notify(
        inspectors,
        _("A new petition: %(kind)s") % {"kind": petition.get_kind_display()},
        "",
        reverse("portal:petition_detail", args=[petition.pk]),
    )
