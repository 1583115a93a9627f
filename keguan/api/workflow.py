"""The shared shape of every workflow resource in the API.

Each resource exposes `state` and `allowed_actions` (for the caller) in its schema, and
`POST /<resource>/{id}/actions/{action}` applies one transition through the workflow's
own `apply`, with the same permission predicates as the web UI.
"""

from ninja import Router, Schema

from keguan.api.errors import ApiError
from keguan.core.workflow import TransitionError, Workflow


class ActionIn(Schema):
    note: str = ""
    expected_state: str | None = None


class AllowedAction(Schema):
    action: str
    label: str
    requires_note: bool


def allowed_actions(workflow: Workflow, user, obj) -> list[dict]:
    return [
        {"action": t.action, "label": str(t.label), "requires_note": t.requires_note}
        for t in workflow.allowed_actions(user, obj)
    ]


def add_action_endpoint(
    router: Router, resource: str, workflow: Workflow, scope, out_schema, serialize
) -> None:
    """Add POST /{resource}/{id}/actions/{action} to ROUTER.

    SCOPE(user) is the queryset the caller may see (anything outside it is a 404);
    SERIALIZE(user, obj) builds the response body.
    """

    @router.post(
        f"/{resource}/{{obj_id}}/actions/{{action}}",
        response=out_schema,
        summary=f"Apply a workflow action to one of {resource}",
        operation_id=f"{resource}_apply_action",
    )
    def apply_action(request, obj_id: int, action: str, body: ActionIn):
        obj = scope(request.auth).filter(pk=obj_id).first()
        if obj is None:
            raise ApiError(404, "not_found", "Not found.")
        try:
            obj = workflow.apply(
                request.auth, obj, action, {"note": body.note}, expected_state=body.expected_state
            )
        except TransitionError as exc:
            status = {"forbidden": 403, "unknown_action": 404, "stale_state": 409}.get(
                exc.code, 409
            )
            raise ApiError(status, exc.code, str(exc.message)) from None
        return serialize(request.auth, obj)
