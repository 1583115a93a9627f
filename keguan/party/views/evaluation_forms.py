"""Forms of the democratic evaluation pages. The rules (cap, completeness, who may grade
whom) are the services' — these forms only parse."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keguan.party.models import Grade

GRADE_CHOICES = [("", _("- Choose a grade -")), *Grade.choices]


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=100)
    excellent_cap = forms.IntegerField(
        label=_("Most 'excellent' grades on one ballot"),
        min_value=0,
        max_value=999,
        required=False,
        help_text=_(
            "Leave empty for one third of the members taking part, rounded down "
            "(15 members: 5; 14 members: 4). Fixed when the round opens."
        ),
    )

    def __init__(self, *args, round=None, **kwargs):
        if round is not None:
            kwargs.setdefault(
                "initial",
                {"year": round.year, "name": round.name, "excellent_cap": round.excellent_cap},
            )
        else:
            year = timezone.localdate().year
            kwargs.setdefault(
                "initial",
                {"year": year, "name": _("Democratic evaluation %(year)d") % {"year": year}},
            )
        super().__init__(*args, **kwargs)


class SelfEvaluationForm(forms.Form):
    text = forms.CharField(
        label=_("Your self-evaluation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Your study, work and conduct this year, and what you will improve."),
    )


class PeerCommentForm(forms.Form):
    subject = forms.TypedChoiceField(label=_("About"), coerce=int)
    text = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Signed with your name: the secretary reads it. Your vote stays secret."),
    )

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", _("- Choose a member -"))] + [
            (p.member_id, p.member.name) for p in others
        ]


class BallotForm(forms.Form):
    """One grade select per other participant, named `grade_<member id>`."""

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        for participant in others:
            self.fields[f"grade_{participant.member_id}"] = forms.ChoiceField(
                label=participant.member.name, choices=GRADE_CHOICES, required=False
            )

    def grades(self) -> dict[int, str]:
        """{member id: grade}; an unanswered select gives "" (the service names it missing)."""
        return {
            int(name.removeprefix("grade_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("grade_")
        }


class FinalGradesForm(forms.Form):
    """The branch's final grade and its reasons, per participant."""

    def __init__(self, *args, participants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for p in participants:
            grade = forms.ChoiceField(
                label=_("Final grade"), choices=GRADE_CHOICES, required=False, initial=p.final_grade
            )
            reasons = forms.CharField(
                label=_("Reasons"),
                required=False,
                max_length=2000,
                initial=p.final_reasons,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"grade_{p.member_id}"] = grade
            self.fields[f"reasons_{p.member_id}"] = reasons
            self.rows.append((p, f"grade_{p.member_id}", f"reasons_{p.member_id}"))

    def bound_rows(self):
        return [(p, self[grade], self[reasons]) for p, grade, reasons in self.rows]

    def grades(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {p.member_id: (data[grade], data[reasons]) for p, grade, reasons in self.rows}
