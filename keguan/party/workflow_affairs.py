"""The lifecycle of a party-affairs disclosure item (党务公开).

proposed → reviewed (the reviewer confirms no state secret and no personal data; keguan
refuses ID and mobile numbers itself) → approved (by someone other than the proposer) →
published: inside the branch, or to the public as a portal notice of kind "Party affairs"
made and published by the portal's own services. The committee may return an item to its
proposer with a reason; the proposer changes it and proposes it again. Every move is one
audit event `party.disclosure.<action>`.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keguan.core.workflow import Transition, Workflow
from keguan.party.models import DisclosureItem
from keguan.party.permissions import affairs as can

D = DisclosureItem.State


def personal_data_refusal(item: DisclosureItem) -> str | None:
    """The portal's own check: no resident ID or mobile number in the title or the text."""
    from keguan.portal.services.notices import personal_data_errors

    errors = personal_data_errors({"title": item.title, "body": item.body})
    if errors:
        return _("The item carries an ID or mobile number; return it to be changed.")
    return None


def _review_refusal(item: DisclosureItem, payload: dict) -> str | None:
    if not payload.get("confidential"):
        return _("Confirm that the item contains no state secret and no personal data.")
    return personal_data_refusal(item)


def _reviewed(item: DisclosureItem, payload: dict) -> None:
    item.reviewed_by = payload["actor"]
    item.confidentiality_confirmed = True
    payload["audit"] = {"confidentiality_confirmed": True}


def _approve_refusal(item: DisclosureItem, payload: dict) -> str | None:
    if payload["actor"].pk == item.proposed_by_id:
        return _("The approval must come from someone other than the proposer.")
    return None


def _approved(item: DisclosureItem, payload: dict) -> None:
    item.approved_by = payload["actor"]


def _portal_notice(item: DisclosureItem):
    """An unsaved notice as the portal would make it, to ask who may publish it."""
    from keguan.portal.models import Notice, NoticeKind

    return Notice(bureau_id=item.branch.bureau_id, kind=NoticeKind.PARTY_AFFAIRS)


def _publish_refusal(item: DisclosureItem, payload: dict) -> str | None:
    if item.scope != DisclosureItem.Scope.PUBLIC:
        return None
    from keguan.portal.permissions import can_manage_notice

    if not can_manage_notice(payload["actor"], _portal_notice(item)):
        return _("Only someone who may publish the bureau's public notices can publish this.")
    return personal_data_refusal(item)


def _published(item: DisclosureItem, payload: dict) -> None:
    """Side effects: the publisher and time are kept; a public item becomes a portal notice
    (created, given the item as its one line, published: the portal's own audit events)."""
    actor = payload["actor"]
    item.published_by = actor
    item.published_at = timezone.now()
    if item.scope == DisclosureItem.Scope.PUBLIC:
        from keguan.portal.models import NoticeKind
        from keguan.portal.services import create_notice, replace_items
        from keguan.portal.workflow import NOTICE_WORKFLOW

        notice = create_notice(
            actor, {"kind": NoticeKind.PARTY_AFFAIRS, "title": item.title, "body": item.body}
        )
        replace_items(actor, notice, [{"title": item.title, "unit": item.branch.name}])
        item.notice = NOTICE_WORKFLOW.apply(actor, notice, "publish")
        payload["audit"] = {"notice": item.notice.pk}


def _returned(item: DisclosureItem, payload: dict) -> None:
    item.reviewed_by = item.approved_by = None
    item.confidentiality_confirmed = False


def _is_proposer(user, item: DisclosureItem) -> bool:
    return item.proposed_by_id == user.pk


DISCLOSURE_WORKFLOW = Workflow(
    name="party.disclosure",
    model=DisclosureItem,
    transitions=[
        Transition(
            (D.PROPOSED,),
            "review",
            D.REVIEWED,
            gettext_lazy("Reviewed: no secret, no personal data"),
            can.can_review_disclosure,
            guard=_review_refusal,
            effect=_reviewed,
        ),
        Transition(
            (D.REVIEWED,),
            "approve",
            D.APPROVED,
            gettext_lazy("Approve"),
            can.can_approve_disclosure,
            guard=_approve_refusal,
            effect=_approved,
        ),
        Transition(
            (D.APPROVED,),
            "publish",
            D.PUBLISHED,
            gettext_lazy("Publish"),
            can.can_publish_disclosure,
            guard=_publish_refusal,
            effect=_published,
        ),
        Transition(
            (D.PROPOSED, D.REVIEWED, D.APPROVED),
            "return",
            D.RETURNED,
            gettext_lazy("Return to the proposer"),
            can.can_review_disclosure,
            effect=_returned,
            requires_note=True,
        ),
        Transition(
            (D.RETURNED,),
            "resubmit",
            D.PROPOSED,
            gettext_lazy("Propose again"),
            _is_proposer,
        ),
    ],
)
