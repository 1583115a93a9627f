"""Forms of the affairs area: disclosure, clean government, honours, the paired village."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.party.models import (
    Aid,
    Checkpoint,
    DisclosureItem,
    EducationActivity,
    Honour,
    InterestDeclaration,
    PairedVillage,
    PlanItem,
    PlanProgress,
    ReliefContribution,
    ResponsibilityLetter,
    Visit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.full_name or user.username


class PeopleField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return getattr(obj, "full_name", "") or getattr(obj, "name", "") or str(obj)


class DisclosureForm(forms.ModelForm):
    class Meta:
        model = DisclosureItem
        fields = ["title", "body", "scope"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "scope": _("Public items are published as a notice on the public portal."),
        }


class DisclosureActionForm(forms.Form):
    note = forms.CharField(required=False, max_length=500)
    expected_state = forms.CharField(required=False)
    confidential = forms.BooleanField(required=False)


class HonourForm(forms.ModelForm):
    class Meta:
        model = Honour
        fields = ["year", "title", "granted_by", "recipient", "member", "person_name", "note"]
        help_texts = {"person_name": _("When the person is not a member of the branch.")}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class LetterForm(forms.ModelForm):
    holder = PersonChoiceField(label=_("Signed by"), queryset=None)
    items = forms.CharField(
        label=_("Duties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One duty a line."),
    )

    class Meta:
        model = ResponsibilityLetter
        fields = ["year", "holder", "post", "signed_on", "note"]
        widgets = {"signed_on": DATE}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = people

    def item_texts(self) -> list[str]:
        return self.cleaned_data["items"].splitlines()


class CheckpointForm(forms.ModelForm):
    class Meta:
        model = Checkpoint
        fields = ["item", "checked_on", "kind", "result", "note"]
        widgets = {"checked_on": DATE}

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class ActivityForm(forms.ModelForm):
    members = PeopleField(label=_("Attended"), queryset=None, required=False)

    class Meta:
        model = EducationActivity
        fields = ["held_on", "kind", "title", "place", "note"]
        widgets = {"held_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = InterestDeclaration
        fields = ["relative_name", "relation", "organization", "position", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
        help_texts = {
            "organization": _("The review draw keeps you from this organization's applications."),
            "ends_on": _("Leave empty while it lasts."),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


class VillageForm(forms.ModelForm):
    class Meta:
        model = PairedVillage
        fields = ["name", "township", "households", "poor_households", "paired_since", "note"]
        widgets = {"paired_since": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["year", "title", "target"]


class ProgressForm(forms.ModelForm):
    class Meta:
        model = PlanProgress
        fields = ["item", "reported_on", "text", "done"]
        widgets = {"reported_on": DATE}

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class VisitForm(forms.ModelForm):
    officers = PeopleField(label=_("Officers"), queryset=None)

    class Meta:
        model = Visit
        fields = ["visited_on", "households_visited", "requests", "note"]
        widgets = {
            "visited_on": DATE,
            "requests": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = people


class AidForm(forms.ModelForm):
    class Meta:
        model = Aid
        fields = ["given_on", "kind", "description", "quantity", "amount", "recipient"]
        widgets = {"given_on": DATE}


class ReliefForm(forms.ModelForm):
    class Meta:
        model = ReliefContribution
        fields = ["given_on", "disaster", "amount", "goods", "contributors", "note"]
        widgets = {"given_on": DATE}
