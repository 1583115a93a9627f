"""Forms of the expert's pages (pledge, score sheet, approach report) and of the applicant's
list of units and experts to avoid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.review.models import Assignment, Avoidance, Criterion

# The moves an expert makes from the assignment page; the workflow judges each one.
EXPERT_ACTIONS = ("pledge", "declare_conflict", "decline")


class AssignmentActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in EXPERT_ACTIONS])
    expected_state = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason"), required=False, max_length=500)


def score_field_name(criterion: Criterion) -> str:
    """The field of one criterion; the scoring service names its errors the same way."""
    return f"score_{criterion.pk}"


class ScoreSheetForm(forms.Form):
    """One score per criterion (0 to its maximum), the recommendation and the comment.

    The values are checked by `services.save_sheet`, which names the criterion in its
    message; the form only carries them (a draft may leave any of them empty).
    """

    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        required=False,
        choices=[("", "—"), *Assignment.Recommendation.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[score_field_name(criterion)] = forms.CharField(
                label=criterion.name,
                required=False,
                max_length=20,
                help_text=criterion.guidance,
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control kg-score",
                        "min": 0,
                        "max": criterion.max_score,
                        "step": "0.5",
                        "inputmode": "decimal",
                    }
                ),
            )

    def rows(self):
        """(criterion, bound field) for each criterion, in the rubric's order."""
        return [(c, self[score_field_name(c)]) for c in self.criteria]

    def sheet_data(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {c.pk: data.get(score_field_name(c), "") for c in self.criteria},
            "recommendation": data.get("recommendation", ""),
            "comment": data.get("comment", ""),
        }


def sheet_initial(assignment: Assignment) -> dict:
    initial = {s.criterion_id: s.value for s in assignment.scores.all()}
    return {
        "recommendation": assignment.recommendation,
        "comment": assignment.comment,
        **{f"score_{pk}": value.normalize() for pk, value in initial.items()},
    }


class ApproachForm(forms.Form):
    detail = forms.CharField(
        label=_("What happened (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class AvoidanceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Avoidance.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    name = forms.CharField(
        label=_("Name of the unit or expert"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    unit = forms.CharField(
        label=_("Expert's unit (to tell namesakes apart)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


AvoidanceFormSet = forms.formset_factory(
    AvoidanceForm,
    extra=0,
    min_num=Avoidance.MAX_PER_APPLICATION,
    max_num=Avoidance.MAX_PER_APPLICATION,
    absolute_max=Avoidance.MAX_PER_APPLICATION,
    validate_max=True,
)


def avoidance_initial(application) -> list[dict]:
    return [
        {"kind": a.kind, "name": a.name, "unit": a.unit, "reason": a.reason}
        for a in application.avoidances.all()
    ]
