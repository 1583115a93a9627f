"""Who may do what with notices, objections and petitions.

The public reads published notices and files objections and petitions without signing in.
Officers prepare and publish notices and handle the objections to them; inspectors read
everything and handle petitions. An objector's identity is shown only to the inspector and
to the officer handling that objection; a petition about a named officer is hidden from them.
"""

from django.db.models import Q, QuerySet

from keguan.accounts.permissions import has_role, in_jurisdiction
from keguan.accounts.roles import BUREAU_WIDE_ROLES, Role
from keguan.portal.models import Notice, NoticeKind, Objection, Petition


def _officer(user) -> bool:
    return has_role(user, Role.OFFICER) and user.bureau_id is not None


def _inspector(user) -> bool:
    return has_role(user, Role.INSPECTOR) and user.bureau_id is not None


def _bureau_wide(user) -> bool:
    return has_role(user, *BUREAU_WIDE_ROLES) and user.bureau_id is not None


# Notices.
def can_list_notices(user) -> bool:
    return _bureau_wide(user)


def visible_notices(user) -> QuerySet[Notice]:
    """Bureau staff: every notice of the jurisdiction, drafts included."""
    if _bureau_wide(user):
        return Notice.objects.filter(bureau__path__startswith=user.bureau.path)
    return Notice.objects.none()


def can_create_notice(user) -> bool:
    return _officer(user)


def can_manage_notice(user, notice: Notice) -> bool:
    """Officers of the jurisdiction; the bureau's Party secretary for its party-affairs
    notices (the branch publishes its approved disclosures through the portal)."""
    return (_officer(user) and in_jurisdiction(user, notice.bureau)) or (
        notice.kind == NoticeKind.PARTY_AFFAIRS
        and has_role(user, Role.PARTY_SECRETARY)
        and user.bureau_id is not None
        and user.bureau_id == notice.bureau_id
    )


# Objections.
def visible_objections(user) -> QuerySet[Objection]:
    if _bureau_wide(user):
        return Objection.objects.filter(notice__bureau__path__startswith=user.bureau.path)
    return Objection.objects.none()


def can_handle_objection(user, objection: Objection) -> bool:
    """An officer or an inspector of the notice's jurisdiction takes it on; once one holds
    it, only they go on."""
    if not (
        (_officer(user) or _inspector(user)) and in_jurisdiction(user, objection.notice.bureau)
    ):
        return False
    return objection.handled_by_id in (None, user.pk)


def can_see_objector(user, objection: Objection) -> bool:
    return (_inspector(user) and in_jurisdiction(user, objection.notice.bureau)) or (
        objection.handled_by_id is not None and objection.handled_by_id == user.pk
    )


# Petitions.
def can_list_petitions(user) -> bool:
    return _inspector(user)


def visible_petitions(user) -> QuerySet[Petition]:
    """Inspectors of the jurisdiction, except petitions that name them."""
    if not _inspector(user):
        return Petition.objects.none()
    hidden = Q(concerns=user)
    if user.full_name:
        # Named in the text but not linked (a namesake, another spelling of the bureau):
        # hidden from whoever carries that name too.
        hidden |= Q(concerns_name=user.full_name)
    return Petition.objects.filter(bureau__path__startswith=user.bureau.path).exclude(hidden)


def can_handle_petition(user, petition: Petition) -> bool:
    return (
        _inspector(user)
        and in_jurisdiction(user, petition.bureau)
        and petition.concerns_id != user.pk
        and not (user.full_name and petition.concerns_name == user.full_name)
    )
