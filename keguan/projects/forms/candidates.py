"""Forms for the reserve pool (项目储备库): candidates, their follow-up notes, the filters."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Organization, User
from keguan.accounts.roles import Role
from keguan.core.forms import keep_chosen, offer_at_most
from keguan.projects.forms.calls import ErrorSummary
from keguan.projects.models import Candidate, FollowUp, Level
from keguan.projects.services import CANDIDATE_FIELDS


def officers_of(bureau, below: bool = False):
    """The active officers of BUREAU (and of the bureaus below it if BELOW): who may be
    paired with its candidates as guiding officers (结对子)."""
    if bureau is None:
        return User.objects.none()
    where = {"bureau__path__startswith": bureau.path} if below else {"bureau": bureau}
    return (
        User.objects.filter(is_active=True, role_grants__role=Role.OFFICER, **where)
        .select_related("bureau")
        .distinct()
        .order_by("full_name", "username")
    )


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class CandidateForm(ErrorSummary, forms.ModelForm):
    """A candidate's fields. ORGANIZATIONS, when given, lets an officer choose the unit;
    OFFICERS, when given, lets an officer pair a guiding officer (applicants do neither)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none()
    )
    guiding_officer = OfficerChoiceField(
        label=_("Guiding officer"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Candidate
        fields = ["organization", *CANDIDATE_FIELDS]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}
        labels = {"expected_funding": _("Expected funding (yuan)")}

    def __init__(self, *args, organizations=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations.order_by("name")
        if officers is None:
            del self.fields["guiding_officer"]
        else:
            self.fields["guiding_officer"].queryset = officers

    def clean_guiding_officer(self):
        officer = self.cleaned_data.get("guiding_officer")
        organization = self.cleaned_data.get("organization") or getattr(
            self.instance, "organization", None
        )
        # The pairing is with an officer of the unit's own bureau or of one above it.
        if (
            officer
            and organization
            and not organization.bureau.path.startswith(officer.bureau.path)
        ):
            raise forms.ValidationError(_("Choose an officer of the organization's bureau."))
        return officer


class FollowUpForm(ErrorSummary, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["on", "kind", "text"]
        widgets = {
            "on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"on": _("Date"), "kind": _("Kind of help"), "text": _("Note")}


class CandidateFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or organization"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + Candidate.State.choices
    )
    target_level = forms.ChoiceField(
        label=_("Target level"), required=False, choices=[("", _("All levels"))] + Level.choices
    )
    guiding_officer = OfficerChoiceField(
        label=_("Guiding officer"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Any officer"),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Any organization"),
    )

    def __init__(self, *args, officers=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is None:
            del self.fields["guiding_officer"]
        else:
            self.fields["guiding_officer"].queryset = officers
        if organizations is None:
            del self.fields["organization"]
        else:
            offer_at_most(
                self.fields["organization"], organizations.order_by("name"), hide_when_more=True
            )
            keep_chosen(self, "organization")

    def filter(self, candidates):
        """CANDIDATES narrowed by what the user chose (an invalid choice narrows nothing)."""
        if not self.is_valid():
            return candidates
        data = self.cleaned_data
        q = data["q"].strip()
        if q:
            candidates = candidates.filter(
                Q(title__icontains=q) | Q(organization__name__icontains=q)
            )
        for name in ("state", "target_level", "guiding_officer", "organization"):
            if data.get(name):
                candidates = candidates.filter(**{name: data[name]})
        return candidates
