"""Forms for review rounds: the round's settings, its applications, the call's rubric and
the round list's filters."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.projects.forms.calls import LocalDateTimeField
from keguan.projects.models import Application, Call
from keguan.review.models import Round, Rubric

# Separators an officer may type between discipline codes (Chinese commas included).
_SEPARATORS = re.compile(r"[\s,，、;；]+")
_CODE = re.compile(r"^\d{1,7}$")


class DisciplinesField(forms.CharField):
    """GB/T 13745 code prefixes typed as one line, kept as a list of strings."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return [code for code in _SEPARATORS.split(text) if code]

    def validate(self, value):
        super().validate(value)
        wrong = [code for code in value if not _CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("Not a discipline code: %(codes)s. Use digits, e.g. 210 or 21040."),
                params={"codes": ", ".join(wrong)},
            )


class RoundForm(forms.Form):
    """The settings of a round. The call is chosen once, when the round is created."""

    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    experts_per_application = forms.IntegerField(
        label=_("Experts per application"),
        min_value=Round.MIN_EXPERTS,
        max_value=15,
        initial=Round.DEFAULT_EXPERTS,
        help_text=_("At least 3."),
    )
    reserves = forms.IntegerField(
        label=_("Reserves per application"),
        min_value=0,
        max_value=10,
        initial=2,
        help_text=_(
            "Drawn after the reviewers; a reserve takes the place of an expert who "
            "declines or declares a conflict."
        ),
    )
    disciplines = DisciplinesField(
        label=_("Disciplines drawn from"),
        required=False,
        max_length=300,
        help_text=_(
            "Discipline code prefixes separated by commas, e.g. 210, 230. "
            "Leave empty to draw from every discipline."
        ),
    )
    review_deadline = LocalDateTimeField(
        label=_("Review deadline"), help_text=_("Beijing time (Asia/Shanghai).")
    )
    seed_source = forms.CharField(
        label=_("Published seed value"),
        max_length=100,
        required=False,
        help_text=_(
            "A value published in advance, e.g. the lottery draw of a named date; every draw "
            "derives its seed from it and the round; fixed when the round is sealed."
        ),
    )
    seed_published_where = forms.CharField(
        label=_("Where it is published"),
        max_length=200,
        required=False,
        help_text=_("So that anyone can look the value up, e.g. the lottery's web site."),
    )

    def __init__(self, *args, calls=None, round=None, **kwargs):
        if round is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": round.name,
                    "experts_per_application": round.experts_per_application,
                    "reserves": round.reserves,
                    "disciplines": round.disciplines,
                    "review_deadline": round.review_deadline,
                    "seed_source": round.seed_source,
                    "seed_published_where": round.seed_published_where,
                },
            )
        super().__init__(*args, **kwargs)
        if round is not None:
            # A round stays with the call it was created for.
            del self.fields["call"]
        else:
            self.fields["call"].queryset = (
                (calls if calls is not None else Call.objects.none())
                .select_related("program")
                .order_by("-year", "title", "pk")
            )

    def round_data(self) -> dict:
        """The cleaned values the round services take (the call aside)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "call"}


class RoundFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states"))] + Round.State.choices
    )
    call = forms.ModelChoiceField(
        label=_("Call"), required=False, queryset=Call.objects.none(), empty_label=_("All calls")
    )

    def __init__(self, *args, calls=None, **kwargs):
        super().__init__(*args, **kwargs)
        if calls is not None:
            self.fields["call"].queryset = calls.order_by("-year", "title", "pk")

    def filter(self, rounds):
        """ROUNDS narrowed by whatever the user chose (an invalid choice narrows nothing)."""
        if not self.is_valid():
            return rounds
        if self.cleaned_data["state"]:
            rounds = rounds.filter(state=self.cleaned_data["state"])
        if self.cleaned_data["call"]:
            rounds = rounds.filter(call=self.cleaned_data["call"])
        return rounds


class EntriesForm(forms.Form):
    """The applications a round reviews, among those the round may take."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"), required=False, queryset=Application.objects.none()
    )

    def __init__(self, *args, choosable=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choosable is not None:
            self.fields["applications"].queryset = choosable


class RubricForm(forms.ModelForm):
    """The thresholds of a rubric (its criteria are the formset below it)."""

    class Meta:
        model = Rubric
        fields = [
            "comment_at_or_above",
            "comment_at_or_below",
            "spread_limit",
            "comments_to_applicants",
        ]
        help_texts = {
            "comment_at_or_above": _("An expert whose weighted total is this high must say why."),
            "comment_at_or_below": _("An expert whose weighted total is this low must say why."),
            "spread_limit": _("Flag an application when its experts' totals lie further apart."),
        }


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=100)
    guidance = forms.CharField(label=_("Guidance"), max_length=300, required=False)
    weight = forms.IntegerField(
        label=_("Weight (%)"),
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"data-weight": ""}),
    )
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=100, initial=10)

    def criterion_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("name", "guidance", "weight", "max_score")
        }


CriterionFormSet = forms.formset_factory(
    CriterionForm, extra=1, can_delete=True, max_num=20, validate_max=True
)


def criteria_initial(rubric: Rubric | None) -> list[dict]:
    if rubric is None:
        return []
    return [
        {"name": c.name, "guidance": c.guidance, "weight": c.weight, "max_score": c.max_score}
        for c in rubric.criteria.all()
    ]
