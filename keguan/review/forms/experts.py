"""Forms of the expert pool (专家库): the list's filters, an expert's card, their fields of
expertise and declared relations, a penalty."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import User
from keguan.core.forms import VersionedForm
from keguan.review.models import Expert, Relation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PRIVATE = {"autocomplete": "off", "spellcheck": "false"}


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, unit or keyword"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + Expert.State.choices
    )
    discipline = forms.RegexField(
        label=_("Discipline code"),
        required=False,
        max_length=7,
        regex=r"^\d+$",
        help_text=_("The start of a GB/T 13745 code, e.g. 210."),
    )


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name or user.username} ({user.username})"


class ExpertForm(VersionedForm, forms.ModelForm):
    """An expert's card. The account is chosen among expert-role users not yet in a pool."""

    user = AccountChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(none yet: cannot be drawn)"),
        help_text=_("A user holding the expert role, with whom the expert signs in."),
    )

    class Meta:
        model = Expert
        fields = ["name", "unit", "organization", "title", "phone", "id_number", "user"]
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "off"}),
            "id_number": forms.TextInput(attrs=PRIVATE),
        }
        help_texts = {
            "organization": _("When the unit is registered here; the conflict rules use it."),
            "id_number": _("The 18-character resident ID number."),
        }

    def __init__(self, *args, organizations, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations.order_by("name", "pk")
        self.fields["organization"].empty_label = _("(not registered here)")
        self.fields["user"].queryset = accounts.order_by("username")


class ExpertFieldForm(forms.Form):
    """One discipline with its keywords, typed separated by commas."""

    discipline_code = forms.CharField(label=_("Discipline code"), max_length=7)
    keywords = forms.CharField(label=_("Keywords"), max_length=200, required=False)

    def item(self) -> dict:
        return {
            "discipline_code": self.cleaned_data["discipline_code"],
            "keywords": self.cleaned_data["keywords"],
        }


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—")] + Relation.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget.attrs.update(PRIVATE)

    def item(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("kind", "name", "id_number", "note")}


FieldFormSet = forms.formset_factory(
    ExpertFieldForm, extra=1, can_delete=True, max_num=20, validate_max=True
)
RelationFormSet = forms.formset_factory(
    RelationForm, extra=1, can_delete=True, max_num=50, validate_max=True
)


def field_initial(expert: Expert) -> list[dict]:
    return [
        {"discipline_code": f.discipline_code, "keywords": ", ".join(f.keywords)}
        for f in expert.fields.all()
    ]


def relation_initial(expert: Expert) -> list[dict]:
    return [
        {"kind": r.kind, "name": r.name, "id_number": r.id_number, "note": r.note}
        for r in expert.relations.all()
    ]


class ExpertPenaltyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
