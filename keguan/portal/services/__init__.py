"""The portal's service functions (notices, objections, petitions, the public forms' limit);
views, the API, the CLI and the tests call these and the workflows in `portal.workflow`."""

from keguan.portal.services.limits import allow
from keguan.portal.services.notices import (
    NOTICE_FIELDS,
    awaiting_notice,
    backdate_notice_for_import,
    create_notice,
    end_due_notices,
    notice_for_applications,
    replace_items,
    update_notice,
)
from keguan.portal.services.objections import objection_refusal, reveal_objector, submit_objection
from keguan.portal.services.petitions import (
    assign_petition,
    extend_petition,
    file_petition,
    lookup,
)

__all__ = [
    "NOTICE_FIELDS",
    "allow",
    "assign_petition",
    "awaiting_notice",
    "backdate_notice_for_import",
    "create_notice",
    "end_due_notices",
    "extend_petition",
    "file_petition",
    "lookup",
    "notice_for_applications",
    "objection_refusal",
    "replace_items",
    "reveal_objector",
    "submit_objection",
    "update_notice",
]
