from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from keguan.core.records import version_of

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


class VersionedForm:
    """For a ModelForm that edits a saved record: a hidden `version` carries the record's
    `version_of` as the page showed it, so the service can refuse to save over a change
    made since (see keguan.core.records.update_fields). Put it first among the bases."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=version_of(self.instance)
            )

    @property
    def expected_version(self) -> str | None:
        """The token the page was shown with; None when the form has none (a new record,
        or a client that sent none), which skips the check."""
        return self.cleaned_data.get("version") or None


# A <select> longer than this helps nobody, and rendering thousands of options (every
# organization of a province) costs a list page most of its time.
MAX_OPTIONS = 100


def offer_at_most(field, queryset, *, limit: int = MAX_OPTIONS, hide_when_more: bool = False):
    """Let model choice FIELD accept anything in QUERYSET but list at most LIMIT of it.

    The first LIMIT rows in the queryset's order are offered, plus the one chosen (so a
    link to an older call still shows what it filters by). With HIDE_WHEN_MORE, a longer
    list is not offered at all: the field becomes hidden (links that set it keep working)
    and the page's text search does the choosing.
    """
    field.queryset = queryset
    # Counting up to LIMIT + 1 in no order stops early; sorting a province's 20,000 names
    # to show none of them would not.
    if hide_when_more and queryset.order_by()[: limit + 1].count() > limit:
        field.widget = forms.HiddenInput()
        return
    shown = list(queryset[:limit])
    choices = [("", field.empty_label)] if field.empty_label is not None else []
    choices += [(item.pk, field.label_from_instance(item)) for item in shown]
    field.widget.choices = choices


def keep_chosen(form, name: str) -> None:
    """Add the bound choice of NAME to its offered options when the limit left it out."""
    field = form.fields[name]
    if isinstance(field.widget, forms.HiddenInput) or not form.is_bound:
        return
    value = form.data.get(name)
    if value and str(value).isdigit() and all(str(pk) != value for pk, _ in field.widget.choices):
        chosen = field.queryset.filter(pk=value).first()
        if chosen is not None:
            field.widget.choices = [
                *field.widget.choices,
                (chosen.pk, field.label_from_instance(chosen)),
            ]
