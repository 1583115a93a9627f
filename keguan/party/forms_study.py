"""Forms of the study system: plans, sessions, sign-in by hand, leave, make-up, notes."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.party.models import Member, StudySession
from keguan.projects.attachments import ACCEPT

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
_TOPIC_LINE = re.compile(r"^\s*(\d{1,2})\s*[:：.、\s]\s*(.+?)\s*$")


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    required_hours = forms.DecimalField(
        label=_("Required hours per member"), min_value=0.5, max_digits=5, decimal_places=1
    )
    required_notes = forms.IntegerField(
        label=_("Study notes required per year"), min_value=0, max_value=52, initial=4
    )
    topics = forms.CharField(
        label=_("Topics by month"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One topic a line, starting with its month, e.g. “3 Scientific outlook”."),
    )

    def __init__(self, *args, plan=None, **kwargs):
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "year": plan.year,
                    "required_hours": plan.required_hours,
                    "required_notes": plan.required_notes,
                    "topics": "\n".join(f"{t.month} {t.topic}" for t in plan.topics.all()),
                },
            )
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["year"].disabled = True

    def clean_topics(self) -> list[tuple[int, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["topics"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _TOPIC_LINE.match(line)
            if match is None or not 1 <= int(match[1]) <= 12:
                raise forms.ValidationError(
                    _("Line %(n)d: start with the month (1 to 12), then the topic.") % {"n": number}
                )
            rows.append((int(match[1]), match[2][:200]))
        return rows


class SessionForm(forms.ModelForm):
    class Meta:
        model = StudySession
        fields = ("kind", "topic", "date", "starts_at", "ends_at", "place", "speaker", "hours")
        widgets = {"date": DATE, "starts_at": TIME, "ends_at": TIME}


class SessionEditForm(SessionForm):
    class Meta(SessionForm.Meta):
        fields = (*SessionForm.Meta.fields, "summary")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class SignMemberForm(forms.Form):
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    reason = forms.CharField(label=_("Reason (after the session)"), max_length=500, required=False)

    def __init__(self, *args, session: StudySession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.active()
            .filter(branch_id=session.branch_id)
            .exclude(study_attendance__session=session)
            .order_by("name", "pk")
        )


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class MakeUpForm(forms.Form):
    text = forms.CharField(
        label=_("What you studied (your notes)"), widget=forms.Textarea(attrs={"rows": 6})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    file = forms.FileField(
        label=_("File"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("File"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
