"""Workflows as explicit transition tables, applied by one function.

A workflow is a table of (state, action) -> (next state, who may, guard). `Workflow.apply`
is the only way a workflow's object changes state: it locks the row, re-reads the state,
checks the role predicate and the guard, changes the state, records the audit event and
queues notifications, all in one transaction. Views, the API, the CLI and tests call it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from keguan.audit import labels
from keguan.audit import services as audit
from keguan.audit.context import acting_as

Predicate = Callable[[Any, models.Model], bool]
Guard = Callable[[models.Model, dict], str | None]


class TransitionError(Exception):
    """The action cannot be applied; `message` is for the user, `code` for the API."""

    def __init__(self, message: str, code: str = "invalid_transition"):
        super().__init__(message)
        self.message = message
        self.code = code


class StaleStateError(TransitionError):
    """Someone else moved the object on between the user's page load and their click."""

    def __init__(self):
        super().__init__(_("Someone else already acted on this; reload to see it."), "stale_state")


@dataclass(frozen=True)
class Transition:
    source: tuple[str, ...]
    action: str
    target: str
    label: Any
    may: Predicate
    guard: Guard | None = None
    # Called inside the transaction after the state changed: fills fields from the payload.
    effect: Callable[[models.Model, dict], None] | None = None
    requires_note: bool = False
    # Taken by keguan itself as a consequence of another change (apply(..., automatic=True)),
    # never offered to users as a button or an API action.
    automatic: bool = False


@dataclass
class Workflow:
    name: str
    model: type[models.Model]
    transitions: list[Transition]
    state_field: str = "state"
    # Called after commit with (obj, transition, actor user): notifications, mail.
    on_commit: list[Callable] = field(default_factory=list)

    def __post_init__(self) -> None:
        labels.register({f"{self.name}.{t.action}": t.label for t in self.transitions})

    def actions(self) -> list[str]:
        return sorted({t.action for t in self.transitions})

    def find(self, state: str, action: str) -> Transition | None:
        for transition in self.transitions:
            if transition.action == action and state in transition.source:
                return transition
        return None

    def allowed_actions(self, user, obj: models.Model) -> list[Transition]:
        """The transitions this user may take from the object's current state now."""
        state = getattr(obj, self.state_field)
        return [
            t
            for t in self.transitions
            if state in t.source and not t.automatic and t.may(user, obj)
        ]

    def apply(
        self,
        user,
        obj: models.Model,
        action: str,
        payload: dict | None = None,
        expected_state: str | None = None,
        automatic: bool = False,
    ) -> models.Model:
        """Apply ACTION to OBJ as USER and return the fresh object.

        Side effects, in one transaction: the row is locked; the state and any fields the
        transition's effect sets are saved; one audit event `<workflow>.<action>` records
        the state before and after, the payload's note and whatever the effect put in
        `payload["audit"]` (amounts, dates). After commit the workflow's
        on_commit hooks run (notifications). Raises TransitionError (nothing changed) when
        the action is unknown here, not allowed for the user, refused by the guard, or
        when EXPECTED_STATE is given and the object has moved on (StaleStateError).
        Automatic transitions are applied only when AUTOMATIC is true (by services).
        """
        with acting_as(user):
            return self._apply(user, obj, action, payload, expected_state, automatic)

    def _apply(self, user, obj, action, payload, expected_state, automatic):
        payload = dict(payload or {})
        # Guards and effects that record who acted (a decision's author) read it here.
        payload["actor"] = user
        payload.pop("audit", None)  # only effects write what the audit event adds
        if action not in self.actions():
            raise TransitionError(_("Unknown action."), "unknown_action")
        with audit.writing():
            locked = type(obj).objects.select_for_update().get(pk=obj.pk)
            state = getattr(locked, self.state_field)
            if expected_state is not None and state != expected_state:
                raise StaleStateError()
            transition = self.find(state, action)
            if transition is not None and transition.automatic != automatic:
                raise TransitionError(_("Unknown action."), "unknown_action")
            if transition is None:
                raise TransitionError(
                    _("This action is not possible in the current state."), "invalid_state"
                )
            if not transition.may(user, locked):
                raise TransitionError(_("You may not do this."), "forbidden")
            note = (payload.get("note") or "").strip()
            if transition.requires_note and not note:
                raise TransitionError(_("Please give a reason."), "note_required")
            if transition.guard is not None:
                refusal = transition.guard(locked, payload)
                if refusal:
                    raise TransitionError(refusal, "guard_refused")
            setattr(locked, self.state_field, transition.target)
            if hasattr(locked, "state_note"):
                # The note on the last decision is this move's note, or none: an older
                # note must not read as the reason for the new state.
                limit = locked._meta.get_field("state_note").max_length
                locked.state_note = note[:limit]
            if transition.effect is not None:
                transition.effect(locked, payload)
            locked.save()
            after = {"state": transition.target}
            if note:
                after["note"] = note
            after.update(payload.get("audit") or {})
            audit.record(f"{self.name}.{action}", obj=locked, before={"state": state}, after=after)
            for hook in self.on_commit:
                # robust: the change is committed; a failing notification is logged,
                # not turned into an error page for a move that succeeded.
                transaction.on_commit(lambda hook=hook: hook(locked, transition, user), robust=True)
        return locked


def action_labels(transitions: Iterable[Transition]) -> list[dict]:
    return [
        {"action": t.action, "label": str(t.label), "requires_note": t.requires_note}
        for t in transitions
    ]
