"""The shared shape of every workflow resource in the API.

Each resource exposes `state` and `allowed_actions` (for the caller) in its schema, and
`POST /<resource>/{id}/actions/{action}` applies one transition through the workflow's
own `apply`, with the same permission predicates as the web UI.
"""

from ninja import Router, Schema

from keguan.api.errors import ApiError
from keguan.core.access import get_visible
from keguan.core.workflow import TransitionError, Workflow, action_labels


class ActionIn(Schema):
    note: str = ""
    expected_state: str | None = None
    # What some transitions need besides a note (score, amount, fund, due_on); merged into
    # the payload. The engine drops any `actor` or `audit` key a caller slips in.
    data: dict = {}


class AllowedAction(Schema):
    action: str
    label: str
    requires_note: bool


def allowed_actions(workflow: Workflow, user, obj) -> list[dict]:
    """What an `allowed_actions` field of a workflow resource holds for this caller."""
    return action_labels(workflow.allowed_actions(user, obj))


def action_payload(body: ActionIn) -> dict:
    """The payload `Workflow.apply` receives for BODY."""
    return {**body.data, "note": body.note}


def action_error(exc: TransitionError) -> ApiError:
    """The API's answer to a refused transition."""
    status = {"forbidden": 403, "unknown_action": 404, "stale_state": 409}.get(exc.code, 409)
    return ApiError(status, exc.code, str(exc.message))


def add_action_endpoint(
    router: Router, resource: str, workflow: Workflow, scope, out_schema
) -> None:
    """Add POST /{resource}/{id}/actions/{action} to ROUTER.

    SCOPE(user) is the queryset the caller may see (anything outside it is a 404);
    OUT_SCHEMA renders the object after the transition.
    """

    @router.post(
        f"/{resource}/{{obj_id}}/actions/{{action}}",
        response=out_schema,
        summary=f"Apply a workflow action to one of {resource}",
        operation_id=f"{resource}_apply_action",
    )
    def apply_action(request, obj_id: int, action: str, body: ActionIn):
        obj = get_visible(request, scope(request.auth), obj_id)
        try:
            obj = workflow.apply(
                request.auth,
                obj,
                action,
                action_payload(body),
                expected_state=body.expected_state,
            )
        except TransitionError as exc:
            raise action_error(exc) from None
        return obj
