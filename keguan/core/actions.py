"""The web side of a workflow action and of an upload, the same for every object."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from keguan.core.access import deny
from keguan.core.workflow import TransitionError, Workflow


def apply_from_form(request, workflow: Workflow, obj, action: str, form, extra=None) -> bool:
    """Apply ACTION to OBJ with the note and expected state of a bound transition FORM.

    A move the user may not make, or one that does not exist, is an audited 404 (the same
    answer as for an object they cannot see); any other refusal becomes an error message
    on the page, as do the form's own errors (a note too long). Returns whether the action
    was taken.
    """
    if not form.is_valid():
        _tell_errors(request, form)
        return False
    payload = {"note": form.cleaned_data.get("note", "")}
    payload.update(extra or {})
    try:
        workflow.apply(
            request.user,
            obj,
            action,
            payload,
            expected_state=form.cleaned_data.get("expected_state") or None,
        )
    except TransitionError as exc:
        if exc.code in {"forbidden", "unknown_action"}:
            raise deny(request, obj._meta.label_lower, obj.pk) from None
        messages.error(request, exc.message)
        return False
    messages.success(request, _("Done."))
    return True


def store_from_form(request, form, store, **owner) -> bool:
    """Hand a valid upload FORM's file to STORE (the attachment service) for OWNER; tell the
    user what happened. Returns whether the file was kept."""
    if not form.is_valid():
        _tell_errors(request, form)
        return False
    try:
        store(request.user, form.cleaned_data["file"], kind=form.cleaned_data["kind"], **owner)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, _("The document has been attached."))
    return True


def _tell_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            messages.error(
                request,
                _("%(field)s: %(error)s") % {"field": label, "error": message}
                if label
                else message,
            )
