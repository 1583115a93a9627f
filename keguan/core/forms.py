from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

# Django's label for the empty choice of a select (BLANK_CHOICE_LABEL). Its Chinese
# catalogues lack it, so ours carries the translation; naming it here keeps it there.
gettext_noop("- Select an option -")


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names (or on top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
