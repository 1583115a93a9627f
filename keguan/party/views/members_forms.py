"""Forms of the members area: the list's filters, a member's card, the workflow moves, the
committee, party groups and dues."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import User
from keguan.party.models import CommitteeSeat, Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PRIVATE = {"autocomplete": "off", "spellcheck": "false"}


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or post"), required=False, max_length=50)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + Member.State.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + Member.Kind.choices
    )
    group = forms.TypedChoiceField(label=_("Party group"), required=False, coerce=int)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All groups"))] + [(g.pk, g.name) for g in groups]
        self.fields["group"].empty_value = None


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return f"{user.full_name or user.username} ({user.username})"


class MemberForm(forms.Form):
    """A member's card. The ID number is never filled in: on a change, leaving it empty keeps
    the stored one (the full number is shown only through the audited reveal)."""

    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Member.Gender.choices)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs=PRIVATE),
        help_text=_("The 18-character resident ID number; the birth date is taken from it."),
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    joined_on = forms.DateField(label=_("Joined the Party on"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=Member.Kind.choices)
    full_due_on = forms.DateField(
        label=_("Full membership due on"),
        required=False,
        widget=DATE,
        help_text=_("For a probationary member; a year after joining when left empty."),
    )
    post = forms.CharField(label=_("Post"), max_length=100, required=False)
    group = forms.ModelChoiceField(
        label=_("Party group"), queryset=None, required=False, empty_label=_("(no group)")
    )
    user = AccountChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(no account)"),
        help_text=_("The account the member signs in with (Party member role)."),
    )

    def __init__(self, *args, groups, accounts, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups.order_by("name", "pk")
        self.fields["user"].queryset = accounts.order_by("username")
        if editing:
            # Kind changes only by the branch's decision (the workflow), never on the card.
            del self.fields["kind"]
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Leave empty to keep the stored number.")

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("id_number"):
            data.pop("id_number", None)
        if not data.get("full_due_on"):
            data.pop("full_due_on", None)
        return data


class MemberMoveForm(forms.Form):
    """A workflow move on a member: its date, the decision text, the destination."""

    action = forms.CharField(widget=forms.HiddenInput)
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    destination = forms.CharField(label=_("Destination"), max_length=200, required=False)


class SeatForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=None)
    duty = forms.ChoiceField(label=_("Seat"), choices=CommitteeSeat.Duty.choices)
    duties = forms.CharField(label=_("Duties"), max_length=200, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)


class IncomeForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    income = forms.DecimalField(
        label=_("Declared monthly income (yuan)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), required=False, widget=DATE)
