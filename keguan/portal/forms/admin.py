"""Forms for the bureau's notice pages: the notice, its items, notices made from
applications, the lists' filters and the objection handling."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.portal.models import Notice, NoticeKind, Objection
from keguan.portal.services import NOTICE_FIELDS
from keguan.portal.workflow import DEFAULT_WORKING_DAYS


class NoticeForm(forms.ModelForm):
    """A draft notice's text and period length (the period itself is set on publishing)."""

    class Meta:
        model = Notice
        fields = list(NOTICE_FIELDS)
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "working_days": _(
                "Counted by the official holiday calendar from the day it is published."
            ),
            "contact": _("Where the public sends objections: an office, a phone, an address."),
        }


class NoticeFromApplicationsForm(forms.Form):
    """A project-approval notice listing the chosen applications in public notice."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    working_days = forms.IntegerField(
        label=_("Working days of the period"),
        min_value=1,
        max_value=60,
        initial=DEFAULT_WORKING_DAYS,
    )
    contact = forms.CharField(label=_("Contact for objections"), max_length=200, required=False)

    def __init__(self, *args, choosable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = choosable

    def notice_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("title", "body", "working_days", "contact")
        }


class NoticeItemForm(forms.Form):
    """One item of a notice. `item` names the stored row it came from, so an item made
    from an application keeps its application when the list is saved again."""

    item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Item"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False)
    person_name = forms.CharField(label=_("Person"), max_length=100, required=False)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    detail = forms.CharField(label=_("Detail"), max_length=300, required=False)

    def __init__(self, *args, names_people=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not names_people:
            # Only award notices name people: the other kinds do not even ask.
            del self.fields["person_name"]

    def item_data(self, stored: dict) -> dict:
        data = {
            name: self.cleaned_data.get(name, "")
            for name in ("title", "unit", "person_name", "amount", "detail")
        }
        previous = stored.get(self.cleaned_data.get("item"))
        data["application"] = previous.application if previous is not None else None
        return data


NoticeItemFormSet = forms.formset_factory(
    NoticeItemForm, extra=1, can_delete=True, max_num=200, validate_max=True
)


def items_initial(notice: Notice) -> list[dict]:
    return [
        {
            "item": i.pk,
            "title": i.title,
            "unit": i.unit,
            "person_name": i.person_name,
            "amount": i.amount,
            "detail": i.detail,
        }
        for i in notice.items.all()
    ]


class NoticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + Notice.State.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + NoticeKind.choices
    )

    def filter(self, notices):
        """NOTICES narrowed by what the user chose (an invalid form narrows nothing)."""
        if not self.is_valid():
            return notices
        data = self.cleaned_data
        if data["q"].strip():
            notices = notices.filter(title__icontains=data["q"].strip())
        if data["state"]:
            notices = notices.filter(state=data["state"])
        if data["kind"]:
            notices = notices.filter(kind=data["kind"])
        return notices


class ObjectionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states"))] + Objection.State.choices,
    )
    notice = forms.ModelChoiceField(
        label=_("Notice"),
        required=False,
        queryset=Notice.objects.none(),
        empty_label=_("All notices"),
    )

    def __init__(self, *args, notices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice"].queryset = notices

    def filter(self, objections):
        if not self.is_valid():
            return objections
        data = self.cleaned_data
        if data["state"]:
            objections = objections.filter(state=data["state"])
        if data["notice"]:
            objections = objections.filter(notice=data["notice"])
        return objections


class ObjectionActionForm(forms.Form):
    """Investigate, uphold or dismiss; the note is the reply the objector receives."""

    expected_state = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reply"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    revise = forms.BooleanField(
        label=_("Revise the item instead of withdrawing it"), required=False
    )

    def payload(self) -> dict:
        return {"revise": True} if self.is_valid() and self.cleaned_data["revise"] else {}
