"""Forms for the research-integrity record (科研诚信失信记录)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Organization
from keguan.projects.forms.calls import ErrorSummary

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IntegrityPenaltyForm(ErrorSummary, forms.Form):
    """A penalty on an organization, a person (by ID number), or both."""

    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("(none: a person only)"),
    )
    person_name = forms.CharField(label=_("Person"), max_length=50, required=False)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        help_text=_("The person's 18-character resident ID number; shown masked afterwards."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"].queryset = organizations.order_by("name")


class IntegrityFilterForm(forms.Form):
    q = forms.CharField(label=_("Organization or person"), required=False, max_length=100)
    in_force = forms.BooleanField(label=_("Only penalties in force"), required=False)
