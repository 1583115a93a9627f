"""The organization verification workflow: a new or changed unit is checked by an officer."""

from django.utils.translation import gettext_lazy as _

from keguan.accounts import permissions
from keguan.accounts.models import Organization
from keguan.core.workflow import Transition, Workflow

State = Organization.State


ORGANIZATION_WORKFLOW = Workflow(
    name="accounts.organization",
    model=Organization,
    transitions=[
        Transition(
            (State.PENDING,),
            "verify",
            State.VERIFIED,
            _("Verify"),
            permissions.can_verify_organization,
        ),
        Transition(
            (State.PENDING,),
            "return",
            State.RETURNED,
            _("Return for correction"),
            permissions.can_verify_organization,
            requires_note=True,
        ),
        Transition(
            (State.RETURNED,),
            "resubmit",
            State.PENDING,
            _("Resubmit"),
            permissions.can_resubmit_organization,
        ),
        Transition(
            (State.VERIFIED,),
            "identity_changed",
            State.PENDING,
            _("Name or code changed: check again"),
            permissions.can_edit_organization,
            automatic=True,
        ),
        Transition(
            (State.VERIFIED,),
            "reopen",
            State.PENDING,
            _("Reopen for checking"),
            permissions.can_verify_organization,
            requires_note=True,
        ),
    ],
)
