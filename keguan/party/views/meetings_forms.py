"""Forms of the meetings area: a meeting, its attendance, a decision, a major matter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.party.models import MajorMatter, MeetingDecision, MeetingKind, Member, PartyGroup
from keguan.party.services import meetings as services

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    group = forms.ModelChoiceField(
        label=_("Party group"),
        queryset=PartyGroup.objects.none(),
        required=False,
        help_text=_("Only for a party group meeting."),
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=Member.objects.none(), required=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, branch, meeting=None, **kwargs):
        if meeting is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(meeting, name) for name in services.MEETING_FIELDS},
            )
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = PartyGroup.objects.filter(branch=branch).order_by("name")
        self.fields["chair"].queryset = Member.objects.active().filter(branch=branch)


class AttendanceForm(forms.Form):
    """For each member expected: present, or the reason for their absence."""

    def __init__(self, *args, meeting, expected, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = list(expected)
        current = {a.member_id: a for a in meeting.attendance.all()}
        for member in self.expected:
            row = current.get(member.pk)
            self.fields[f"present_{member.pk}"] = forms.BooleanField(
                label=member.name, required=False, initial=row.present if row else True
            )
            self.fields[f"reason_{member.pk}"] = forms.CharField(
                label=_("Reason for absence"),
                max_length=200,
                required=False,
                initial=row.absence_reason if row else "",
            )

    def rows(self):
        return [
            (member, self[f"present_{member.pk}"], self[f"reason_{member.pk}"])
            for member in self.expected
        ]

    def present(self) -> list:
        return [m for m in self.expected if self.cleaned_data.get(f"present_{m.pk}")]

    def reasons(self) -> dict:
        return {m.pk: self.cleaned_data.get(f"reason_{m.pk}", "") for m in self.expected}


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)


class MatterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=MajorMatter.Category.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Required for the use of a large sum."),
    )
    proposed_on = forms.DateField(label=_("Proposed on"), widget=DATE)

    def __init__(self, *args, matter=None, **kwargs):
        if matter is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(matter, name)
                    for name in ("category", "title", "description", "amount", "proposed_on")
                },
            )
        super().__init__(*args, **kwargs)


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MeetingDecision) -> str:
        meeting = obj.meeting
        outcome = services.outcome(obj, meeting)
        note = {
            "passed": _("passed"),
            "rejected": _("not passed"),
            "invalid": _("no quorum, not valid"),
        }[outcome]
        return f"{meeting.held_on:%Y-%m-%d} {meeting.get_kind_display()} · {obj.text[:60]} ({note})"


class DecideForm(forms.Form):
    """The meeting decision by which the matter was decided."""

    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)
    decision = DecisionChoiceField(label=_("Meeting decision"), queryset=MeetingDecision.objects)

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
