"""Forms for programs and calls: what officers fill in, and the call list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Organization
from keguan.core.forms import VersionedForm
from keguan.projects.models import AttachmentKind, Call, Level, Program
from keguan.projects.services import CALL_FIELDS, PROGRAM_FIELDS, PUBLISHED_CALL_FIELDS

# What <input type="datetime-local"> sends and shows: local time, no seconds, no zone.
LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class ErrorSummary:
    """Lets a page list, on top of the form, each field in error by its label."""

    def fields_in_error(self):
        return [field for field in self.visible_fields() if field.errors]


class ProgramForm(ErrorSummary, forms.ModelForm):
    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class LocalDateTimeField(forms.DateTimeField):
    """A datetime entered in the bureau's time zone (Asia/Shanghai) by the browser's picker."""

    widget = forms.DateTimeInput(format=LOCAL_DATETIME, attrs={"type": "datetime-local"})

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [LOCAL_DATETIME, "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)


class CallForm(VersionedForm, ErrorSummary, forms.ModelForm):
    """A call's fields. Programs are those of the officer's jurisdiction; a published call
    shows every field but lets only the guide and the close time change."""

    opens_at = LocalDateTimeField(
        label=_("Opens at"), help_text=_("Beijing time (Asia/Shanghai), as are all times here.")
    )
    closes_at = LocalDateTimeField(label=_("Closes at"))
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Organization kinds that may apply"),
        choices=Organization.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to admit every kind."),
    )
    required_attachments = forms.MultipleChoiceField(
        label=_("Attachments every application must carry"),
        choices=AttachmentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = {"guide": forms.Textarea(attrs={"rows": 8})}
        labels = {"budget_ceiling": _("Budget ceiling per application (yuan)")}
        help_texts = {
            "budget_ceiling": _("In yuan; pages show it in units of 10,000 yuan."),
            "max_per_organization": _("How many applications one organization may submit."),
        }

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = programs if programs is not None else Program.objects.none()
        if self.instance.pk:
            # Keep the call's own program choosable even if it was since made inactive.
            queryset = queryset.filter(active=True) | queryset.filter(pk=self.instance.program_id)
        else:
            queryset = queryset.filter(active=True)
        self.fields["program"].queryset = queryset.order_by("level", "name")
        if self.instance.pk and self.instance.state != Call.State.DRAFT:
            for name, field in self.fields.items():
                if name not in PUBLISHED_CALL_FIELDS:
                    field.disabled = True


class CallFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    level = forms.ChoiceField(
        label=_("Program level"), required=False, choices=[("", _("All levels"))] + Level.choices
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + Call.State.choices
    )

    def filter(self, calls):
        """CALLS narrowed by whatever the user chose (an invalid choice narrows nothing)."""
        if not self.is_valid():
            return calls
        data = self.cleaned_data
        if data["q"].strip():
            calls = calls.filter(title__icontains=data["q"].strip())
        if data["year"]:
            calls = calls.filter(year=data["year"])
        if data["level"]:
            calls = calls.filter(program__level=data["level"])
        if data["state"]:
            calls = calls.filter(state=data["state"])
        return calls
