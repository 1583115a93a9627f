"""Forms for applications: the list's filters, the edit page (fields, team, budget), the
attachment upload and the workflow actions' extra inputs."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Organization
from keguan.audit.services import mask_id_number
from keguan.core.forms import VersionedForm, keep_chosen, offer_at_most
from keguan.projects.attachments import ACCEPT
from keguan.projects.models import (
    Application,
    AttachmentKind,
    BudgetCategory,
    Call,
    Level,
    TeamMember,
)
from keguan.projects.services import APPLICATION_FIELDS

# Sort keys offered on the list -> the ORDER BY they stand for (pk last: a stable order).
SORTS = {
    "-submitted": ("-submitted_at", "-pk"),
    "submitted": ("submitted_at", "pk"),
    "title": ("title", "pk"),
    "organization": ("organization__name", "pk"),
    "-requested": ("-requested_sum", "-pk"),
    "requested": ("requested_sum", "pk"),
}


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or organization"), required=False, max_length=100)
    call = forms.ModelChoiceField(
        label=_("Call"), required=False, queryset=Call.objects.none(), empty_label=_("All calls")
    )
    level = forms.ChoiceField(
        label=_("Program level"), required=False, choices=[("", _("All levels"))] + Level.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states"))] + Application.State.choices,
    )
    township = forms.ChoiceField(label=_("Township"), required=False)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.none(),
        empty_label=_("All organizations"),
    )
    field = forms.CharField(label=_("Field"), required=False, max_length=50)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("-submitted", _("Submitted, newest first")),
            ("submitted", _("Submitted, oldest first")),
            ("title", _("Title")),
            ("organization", _("Organization")),
            ("-requested", _("Requested amount, largest first")),
            ("requested", _("Requested amount, smallest first")),
        ],
    )

    def __init__(self, *args, calls, organizations=None, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_at_most(self.fields["call"], calls)
        keep_chosen(self, "call")
        if organizations is None:
            # An applicant sees only their own organization: nothing to choose.
            del self.fields["organization"]
            del self.fields["township"]
        else:
            offer_at_most(self.fields["organization"], organizations, hide_when_more=True)
            keep_chosen(self, "organization")
            self.fields["township"].choices = [("", _("All townships"))] + [
                (t, t) for t in townships
            ]

    def filter(self, applications):
        """APPLICATIONS narrowed by what the user chose (an invalid form narrows nothing)."""
        if not self.is_valid():
            return applications
        data = self.cleaned_data
        q = data["q"].strip()
        if q:
            applications = applications.filter(
                Q(title__icontains=q) | Q(organization__name__icontains=q)
            )
        if data["call"]:
            applications = applications.filter(call=data["call"])
        if data["level"]:
            applications = applications.filter(call__program__level=data["level"])
        if data["year"]:
            applications = applications.filter(call__year=data["year"])
        if data["state"]:
            applications = applications.filter(state=data["state"])
        if data.get("township"):
            applications = applications.filter(organization__township=data["township"])
        if data.get("organization"):
            applications = applications.filter(organization=data["organization"])
        if data["field"].strip():
            applications = applications.filter(field__icontains=data["field"].strip())
        return applications

    def ordering(self) -> tuple[str, ...]:
        sort = self.cleaned_data.get("sort") if self.is_valid() else ""
        return SORTS.get(sort or "-submitted")


class ApplicationForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Application
        fields = list(APPLICATION_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "start_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "end_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        }
        help_texts = {
            "discipline_code": _("GB/T 13745: 3, 5 or 7 digits, e.g. 21040."),
            "expected_revenue": _("In yuan."),
        }


class TeamMemberForm(forms.Form):
    """One row of the team. ID numbers come back masked; a masked number left as it was
    keeps the member's stored number (`member` says whose), so the full number never
    travels back to the browser."""

    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=50)
    unit = forms.CharField(label=_("Unit"), max_length=200)
    role = forms.ChoiceField(
        label=_("Role"), choices=TeamMember.Role.choices, initial=TeamMember.Role.MEMBER
    )
    title = forms.CharField(label=_("Professional title"), max_length=50, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=18)

    def member_data(self, stored: dict[int, TeamMember]) -> dict:
        data = dict(self.cleaned_data)
        existing = stored.get(data.pop("member") or 0)
        if existing is not None and data["id_number"] == mask_id_number(existing.id_number):
            data["id_number"] = existing.id_number
        data.pop("DELETE", None)
        return data


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—")] + BudgetCategory.choices)
    requested = forms.DecimalField(
        label=_("Requested (yuan)"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "data-budget": "requested"}),
    )
    self_raised = forms.DecimalField(
        label=_("Self-raised (yuan)"),
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "data-budget": "self_raised"}),
    )

    def line_data(self) -> dict:
        return {
            "category": self.cleaned_data["category"],
            "requested": self.cleaned_data["requested"] or Decimal("0"),
            "self_raised": self.cleaned_data["self_raised"] or Decimal("0"),
        }


TeamFormSet = forms.formset_factory(
    TeamMemberForm, extra=1, can_delete=True, max_num=30, validate_max=True
)
BudgetFormSet = forms.formset_factory(
    BudgetLineForm,
    extra=1,
    can_delete=True,
    max_num=len(BudgetCategory.choices),
    validate_max=True,
)


def team_initial(application: Application) -> list[dict]:
    return [
        {
            "member": m.pk,
            "name": m.name,
            "unit": m.unit,
            "role": m.role,
            "title": m.title,
            "id_number": mask_id_number(m.id_number),
        }
        for m in application.team.all()
    ]


def budget_initial(application: Application) -> list[dict]:
    return [
        {"category": b.category, "requested": b.requested, "self_raised": b.self_raised}
        for b in application.budget_lines.all()
    ]


def kept_forms(formset) -> list[forms.Form]:
    """The rows of a valid formset bound without initial data that the user filled in and
    did not tick for removal, in page order (blank extra rows are left out)."""
    return [
        form for form in formset.forms if form.has_changed() and not form.cleaned_data.get("DELETE")
    ]


class AttachmentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx) or Excel (.xlsx); PNG or JPEG for photographs."),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ACCEPT}),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_mb = settings.KEGUAN_UPLOAD_MAX_MB
        if kinds is not None:
            labels = dict(AttachmentKind.choices)
            self.fields["kind"].choices = [(k, labels[k]) for k in kinds]


class ApplicationActionForm(forms.Form):
    """What a workflow action may carry; the workflow's guards judge the values."""

    expected_state = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=5000)
    score = forms.CharField(required=False, max_length=20)
    amount = forms.CharField(required=False, max_length=30)
    fund = forms.IntegerField(required=False)

    def payload(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        payload = {"note": data.get("note", "")}
        for key in ("score", "amount", "fund"):
            if data.get(key) not in (None, ""):
                payload[key] = data[key]
        return payload
