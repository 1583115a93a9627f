"""Forms of the project pages: the list's filters, the task book, the mid-term check,
progress reports, workflow actions, tranches paid and documents uploaded."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, Organization
from keguan.core.forms import keep_chosen, offer_at_most
from keguan.projects.models import AttachmentKind, Project

_DATE = {"type": "date"}

# The list's sort keys: what the user may ask for -> the ordering used.
SORTS = {
    "number": ("number", "pk"),
    "-number": ("-number", "-pk"),
    "year": ("year", "number", "pk"),
    "-year": ("-year", "number", "pk"),
    "title": ("title", "pk"),
    "organization": ("organization__name", "number", "pk"),
    "-approved": ("-approved_amount", "number", "pk"),
    "-disbursed": ("-disbursed", "number", "pk"),
    "acceptance_due": ("acceptance_due", "number", "pk"),
}
SORT_LABELS = [
    ("-year", _("Newest year first")),
    ("year", _("Oldest year first")),
    ("number", _("Project number")),
    ("title", _("Title")),
    ("organization", _("Organization")),
    ("-approved", _("Largest approved funding")),
    ("-disbursed", _("Most disbursed")),
    ("acceptance_due", _("Acceptance due soonest")),
]


class ProjectFilterForm(forms.Form):
    """The project list's filters. Organization and township choices come from the units
    the user may see, so nobody learns of another jurisdiction's units from the form."""

    q = forms.CharField(label=_("Number, title or organization"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels"))] + Bureau.Level.choices
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + Project.State.choices
    )
    township = forms.ChoiceField(label=_("Township"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All organizations"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_LABELS)

    def __init__(self, *args, years=(), organizations=None, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]
        self.fields["township"].choices = [("", _("All townships"))] + [(t, t) for t in townships]
        if organizations is None:
            # An applicant sees only its own unit: no organization or township filter.
            del self.fields["organization"]
            del self.fields["township"]
        else:
            offer_at_most(self.fields["organization"], organizations, hide_when_more=True)
            keep_chosen(self, "organization")


class TaskBookForm(forms.Form):
    targets = forms.CharField(
        label=_("Targets"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the project must deliver: areas, yields, products, patents, jobs."),
    )
    start_on = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs=_DATE))
    end_on = forms.DateField(label=_("End"), widget=forms.DateInput(attrs=_DATE))
    acceptance_due = forms.DateField(
        label=_("Acceptance due"),
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text=_("Leave empty to take the end date when the task book is signed."),
    )


class MidtermForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", "—")] + Project.MidtermResult.choices
    )
    note = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ProgressReportForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=50, help_text=_("For example: 2025 first half.")
    )
    progress = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 6}))
    spent = forms.DecimalField(
        label=_("Spent so far (yuan)"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        initial=Decimal("0"),
    )
    problems = forms.CharField(
        label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProjectActionForm(forms.Form):
    """A workflow action's payload: a note (a reason where required), the state the user
    saw, and for postponing the new acceptance date."""

    note = forms.CharField(required=False, max_length=1000)
    expected_state = forms.CharField(required=False)
    due_on = forms.CharField(required=False, max_length=10)


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs=_DATE))
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=50)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


# Documents a project carries (an application's own kinds stay with the application).
PROJECT_ATTACHMENT_KINDS = (
    AttachmentKind.TASK_BOOK,
    AttachmentKind.PROGRESS_REPORT,
    AttachmentKind.ACCEPTANCE_REPORT,
    AttachmentKind.VOUCHER,
    AttachmentKind.FINANCIAL_STATEMENT,
    AttachmentKind.PHOTO,
    AttachmentKind.OTHER,
)
