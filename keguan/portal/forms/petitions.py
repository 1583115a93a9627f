"""Forms for petitions (信访): the public form and its tracking, the inspector's forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import Bureau, User
from keguan.accounts.roles import Role
from keguan.portal.models import Petition


class BureauChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PetitionForm(forms.Form):
    """What the public files. The name and contact are needed unless the filer stays
    anonymous; WEBSITE is the honeypot, hidden from people, that must stay empty."""

    bureau = BureauChoiceField(
        label=_("To the bureau"), queryset=Bureau.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Petition.Kind.choices)
    anonymous = forms.BooleanField(
        label=_("File anonymously"),
        required=False,
        help_text=_(
            "Anonymous petitions are handled too, but the bureau cannot ask you for details."
        ),
    )
    name = forms.CharField(label=_("Your name"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=100,
        required=False,
        help_text=_("Only the inspectors handling your petition see your name and contact."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("What happened"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    concerns_name = forms.CharField(
        label=_("Person concerned (optional)"),
        max_length=50,
        required=False,
        help_text=_("The name of the officer or person the petition is about, if any."),
    )
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bureaus = Bureau.objects.filter(level=Bureau.Level.COUNTY).order_by("path")
        field = self.fields["bureau"]
        field.queryset = bureaus
        first = bureaus[:2]
        if first:
            field.initial = first[0].pk
        if len(first) == 1:
            # The portal serves one county: nothing to choose.
            field.widget = forms.HiddenInput()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self):
        data = super().clean()
        if data.get("anonymous"):
            data["name"], data["contact"] = "", ""
        else:
            if not data.get("name", "").strip():
                self.add_error("name", _("Give your name, or choose to file anonymously."))
            if not data.get("contact", "").strip():
                self.add_error("contact", _("Give a phone number or e-mail, or file anonymously."))
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class PetitionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + Petition.State.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + Petition.Kind.choices
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class InspectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    assigned_to = InspectorChoiceField(label=_("Hand over to"), queryset=User.objects.none())

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        # The bureau's inspectors, never the officer the petition names.
        self.fields["assigned_to"].queryset = (
            User.objects.filter(
                bureau=petition.bureau, is_active=True, role_grants__role=Role.INSPECTOR
            )
            .exclude(pk=petition.concerns_id)
            .distinct()
            .order_by("full_name", "username")
        )
        self.fields["assigned_to"].initial = petition.assigned_to_id


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Why more time is needed"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
