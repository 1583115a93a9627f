"""Forms for decision meetings: recording the meeting, and staging one decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keguan.accounts.models import User
from keguan.core.export import in_wan
from keguan.funds.models import Fund
from keguan.funds.services import with_fund_figures
from keguan.projects.models import Application
from keguan.review import permissions
from keguan.review.models import Decision, Meeting, Round
from keguan.review.services import decidable_applications


class LeaderChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class RoundChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} · {obj.call.title}"


class MeetingForm(forms.Form):
    """Title, date, the leaders present (from the bureau's leadership group), the ranked
    lists considered (closed rounds of the bureau) and the minutes."""

    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(
        label=_("Held on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    attendees = LeaderChoiceField(
        label=_("Leaders present"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("More than half of the leadership group must be present to decide."),
    )
    rounds = RoundChoiceField(
        label=_("Ranked lists considered"),
        queryset=Round.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, bureau, meeting: Meeting | None = None, **kwargs):
        if meeting is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": meeting.title,
                    "held_on": meeting.held_on,
                    "attendees": list(meeting.attendance.values_list("user_id", flat=True)),
                    "rounds": list(meeting.rounds.values_list("pk", flat=True)),
                    "minutes": meeting.minutes,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = permissions.leadership_group(bureau).order_by(
            "username"
        )
        self.fields["rounds"].queryset = (
            Round.objects.filter(bureau=bureau, state=Round.State.CLOSED)
            .select_related("call")
            .order_by("-pk")
        )


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        score = "—" if obj.review_score is None else obj.review_score
        return f"{obj.title} · {obj.organization.name} · {score}"


class FundChoiceField(forms.ModelChoiceField):
    """Each fund with what it has left (the queryset carries `left`, see __init__)."""

    def label_from_instance(self, obj) -> str:
        return _("%(year)s · %(kind)s · %(left)s (10,000 yuan) left") % {
            "year": obj.year,
            "kind": obj.get_kind_display(),
            "left": in_wan(obj.left),
        }


class DecisionForm(forms.Form):
    """One decision: the application (from those awaiting a decision), the outcome, the
    amount in yuan and the fund when approving, the votes and a note (a reason to reject)."""

    application = ApplicationChoiceField(
        label=_("Application"), queryset=Application.objects.none()
    )
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Only when approving; at most the amount requested."),
    )
    fund = FundChoiceField(
        label=_("Fund"),
        queryset=Fund.objects.none(),
        required=False,
        help_text=_("Only when approving: the fund of the call's year the money comes from."),
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting: the reason the applicant will read."),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = decidable_applications(meeting)
        self.fields["fund"].queryset = with_fund_figures(
            Fund.objects.reaching(meeting.bureau)
        ).order_by("-year", "kind", "pk")
