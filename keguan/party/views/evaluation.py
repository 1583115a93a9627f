"""Democratic evaluation (民主评议党员) pages: the round list, the round page (a member writes
and votes there; the secretary runs the round), the secret ballot, final grades, results.

No page shows a count of grades before the round closes, and none shows a ballot: the
results are the counts per member, read from the participants after the close.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keguan.accounts.forms import TransitionForm
from keguan.audit import services as audit
from keguan.audit.models import AuditEvent
from keguan.core.access import deny, get_visible, require
from keguan.core.actions import apply_from_form
from keguan.core.export import Column, xlsx_response
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate
from keguan.party.models import EvaluationParticipant, EvaluationRound, VoterRecord
from keguan.party.permissions import branch_of, member_of
from keguan.party.permissions import evaluation as can
from keguan.party.services import evaluation as services
from keguan.party.views.evaluation_forms import (
    BallotForm,
    FinalGradesForm,
    PeerCommentForm,
    RoundForm,
    SelfEvaluationForm,
)
from keguan.party.workflow_evaluation import ROUND_WORKFLOW

R = EvaluationRound.State
STATE_TONES = {R.DRAFT: "pending", R.OPEN: "verified", R.CLOSED: "pending", R.FINISHED: "off"}


def _round(request, pk: int) -> EvaluationRound:
    round = get_visible(
        request, can.visible_rounds(request.user).select_related("branch__bureau"), pk
    )
    round.tone = STATE_TONES[round.state]
    return round


def _managed(request, pk: int) -> EvaluationRound:
    round = _round(request, pk)
    if not can.can_manage_round(request.user, round):
        raise deny(request, "party.evaluationround", pk)
    return round


def _taking_part(request, pk: int):
    """The open round and the user's participation, for a participant; else a 404."""
    round = _round(request, pk)
    participant = can.participation(request.user, round)
    if participant is None or round.state != R.OPEN:
        raise deny(request, "party.evaluationround", pk)
    return round, participant


@require(can.can_use_evaluation)
def evaluation_list(request):
    user = request.user
    member = member_of(user)
    rounds = (
        can.visible_rounds(user)
        .select_related("branch")
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-year", "-pk")
    )
    if member is not None:
        rounds = rounds.annotate(
            i_voted=Exists(VoterRecord.objects.filter(round=OuterRef("pk"), member=member))
        )
    page = paginate(request, rounds)
    for round in page:
        round.tone = STATE_TONES[round.state]
    return render(
        request,
        "party/evaluation_list.html",
        {
            "page": page,
            "voting": member is not None,
            "can_create": can.can_create_round(user),
        },
    )


@require(can.can_create_round)
@require_http_methods(["GET", "POST"])
def evaluation_create(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.create_round(request.user, branch_of(request.user), form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The round has been prepared; open it when ready."))
            return redirect("party:evaluation_detail", pk=round.pk)
    return render(request, "party/evaluation_form.html", {"form": form, "round": None})


@require(can.can_create_round)
@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk: int):
    round = _managed(request, pk)
    form = RoundForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(request.user, round, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("party:evaluation_detail", pk=round.pk)
    return render(request, "party/evaluation_form.html", {"form": form, "round": round})


@require(can.can_use_evaluation)
def evaluation_detail(request, pk: int):
    user = request.user
    round = _round(request, pk)
    own = can.participation(user, round)
    context = {"round": round, "own": own, "active": "evaluation"}
    if own is not None:
        others = round.participants.exclude(pk=own.pk).select_related("member")
        context["voted"] = can.has_voted(own.member, round)
        context["result_ready"] = can.can_read_result(user, own)
        if round.state == R.OPEN:
            mine = round.self_evaluations.filter(member=own.member).first()
            context["self_form"] = SelfEvaluationForm(initial={"text": mine.text if mine else ""})
            context["comment_form"] = PeerCommentForm(others=others)
            context["my_comments"] = round.peer_comments.filter(author=own.member).select_related(
                "subject"
            )
    if can.oversees(user, round):
        voters = set(round.voter_records.values_list("member_id", flat=True))
        written = set(round.self_evaluations.values_list("member_id", flat=True))
        participants = list(round.participants.select_related("member"))
        for p in participants:
            p.voted, p.wrote = p.member_id in voters, p.member_id in written
        context.update(
            oversees=True,
            participants=participants,
            voter_count=len(voters),
            self_evaluations=round.self_evaluations.select_related("member"),
            peer_comments=round.peer_comments.select_related("author", "subject"),
            actions=ROUND_WORKFLOW.allowed_actions(user, round),
            can_edit=can.can_manage_round(user, round) and round.state == R.DRAFT,
            can_grade=can.can_set_final_grades(user, round),
            can_read_results=can.can_read_results(user, round),
            history=AuditEvent.objects.filter(
                object_type="party.evaluationround", object_id=str(round.pk)
            ).order_by("-seq")[:30],
        )
    return render(request, "party/evaluation_detail.html", context)


@require(can.can_use_evaluation)
@require_POST
def evaluation_action(request, pk: int):
    round = _round(request, pk)
    form = TransitionForm(request.POST)
    apply_from_form(request, ROUND_WORKFLOW, round, request.POST.get("action", ""), form)
    return redirect("party:evaluation_detail", pk=round.pk)


@require(can.can_use_evaluation)
@require_POST
def evaluation_self(request, pk: int):
    round, own = _taking_part(request, pk)
    form = SelfEvaluationForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["text"])
        services.save_self_evaluation(request.user, round, own.member, form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your self-evaluation has been saved."))
    return redirect("party:evaluation_detail", pk=round.pk)


@require(can.can_use_evaluation)
@require_POST
def evaluation_comment(request, pk: int):
    round, own = _taking_part(request, pk)
    others = round.participants.exclude(pk=own.pk).select_related("member")
    form = PeerCommentForm(request.POST, others=others)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        data = form.cleaned_data
        services.save_peer_comment(request.user, round, own.member, data["subject"], data["text"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your comment has been saved."))
    return redirect("party:evaluation_detail", pk=round.pk)


@require(can.can_use_evaluation)
@require_http_methods(["GET", "POST"])
def evaluation_vote(request, pk: int):
    """The secret ballot: one grade per other participant; cast once, never shown again."""
    round, own = _taking_part(request, pk)
    if can.has_voted(own.member, round):
        messages.info(request, _("You have already voted in this round."))
        return redirect("party:evaluation_detail", pk=round.pk)
    others = list(round.participants.exclude(pk=own.pk).select_related("member"))
    form = BallotForm(request.POST or None, others=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.cast_ballot(request.user, round, own.member, form.grades())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Your vote has been cast. It is secret: nobody can see it.")
            )
            return redirect("party:evaluation_detail", pk=round.pk)
    return render(
        request,
        "party/evaluation_vote.html",
        {"round": round, "form": form, "active": "evaluation"},
    )


@require(can.can_use_evaluation)
@require_http_methods(["GET", "POST"])
def evaluation_grades(request, pk: int):
    round = _round(request, pk)
    if not can.can_set_final_grades(request.user, round):
        raise deny(request, "party.evaluationround", pk)
    participants = list(services.results(round))
    form = FinalGradesForm(request.POST or None, participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_final_grades(request.user, round, form.grades())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The final grades have been saved."))
            return redirect("party:evaluation_results", pk=round.pk)
    return render(
        request,
        "party/evaluation_grades.html",
        {"round": round, "form": form, "active": "evaluation"},
    )


@require(can.can_use_evaluation)
def evaluation_results(request, pk: int):
    """Every member's counted votes and final grade: overseers, after the close."""
    round = _round(request, pk)
    if not can.can_read_results(request.user, round):
        raise deny(request, "party.evaluationround", pk)
    audit.record("party.evaluation.result_view", obj=round, after={"members": "all"})
    return render(
        request,
        "party/evaluation_results.html",
        {
            "round": round,
            "participants": services.results(round),
            "can_grade": can.can_set_final_grades(request.user, round),
            "active": "evaluation",
        },
    )


@require(can.can_use_evaluation)
def evaluation_result(request, pk: int, member_pk: int):
    """One member's result: that member once finished; overseers after the close."""
    round = _round(request, pk)
    participant = (
        EvaluationParticipant.objects.filter(round=round, member=member_pk)
        .select_related("member")
        .first()
    )
    if participant is None or not can.can_read_result(request.user, participant):
        raise deny(request, "party.evaluationparticipant", f"{pk}/{member_pk}")
    if participant.member.user_id != request.user.pk:
        audit.record("party.evaluation.result_view", obj=round, after={"member": member_pk})
    return render(
        request,
        "party/evaluation_result.html",
        {"round": round, "participant": participant, "active": "evaluation"},
    )


@require(can.can_use_evaluation)
def evaluation_export(request, pk: int):
    round = _round(request, pk)
    if not can.can_export_results(request.user, round):
        raise deny(request, "party.evaluationround", pk)
    with audit.writing():
        audit.record("party.evaluation.export", obj=round, after={"year": round.year})
    columns = [
        Column(_("Member"), lambda p: p.member.name, 14),
        Column(_("Excellent"), lambda p: p.excellent_votes, 10),
        Column(_("Competent"), lambda p: p.competent_votes, 10),
        Column(_("Basically competent"), lambda p: p.basic_votes, 12),
        Column(_("Not competent"), lambda p: p.incompetent_votes, 10),
        Column(_("Final grade"), lambda p: p.get_final_grade_display(), 12),
        Column(_("Reasons"), lambda p: p.final_reasons, 50),
    ]
    title = _("Democratic evaluation %(year)d") % {"year": round.year}
    return xlsx_response(title, title, columns, services.results(round).iterator())


urlpatterns = [
    path("evaluation/", evaluation_list, name="evaluation_list"),
    path("evaluation/new/", evaluation_create, name="evaluation_create"),
    path("evaluation/<int:pk>/", evaluation_detail, name="evaluation_detail"),
    path("evaluation/<int:pk>/edit/", evaluation_edit, name="evaluation_edit"),
    path("evaluation/<int:pk>/action/", evaluation_action, name="evaluation_action"),
    path("evaluation/<int:pk>/self-evaluation/", evaluation_self, name="evaluation_self"),
    path("evaluation/<int:pk>/comment/", evaluation_comment, name="evaluation_comment"),
    path("evaluation/<int:pk>/vote/", evaluation_vote, name="evaluation_vote"),
    path("evaluation/<int:pk>/final-grades/", evaluation_grades, name="evaluation_grades"),
    path("evaluation/<int:pk>/results/", evaluation_results, name="evaluation_results"),
    path(
        "evaluation/<int:pk>/results/<int:member_pk>/",
        evaluation_result,
        name="evaluation_result",
    ),
    path("evaluation/<int:pk>/results.xlsx", evaluation_export, name="evaluation_export"),
]
