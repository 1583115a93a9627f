"""The draw pages: drawing a round, the draw log with every exclusion explained, redraws,
supplementary draws and withdrawals, the ranked list and its export, the check that each
draw is what its seed gives, and the approach reports the inspector reads."""

from decimal import Decimal
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from keguan.audit import services as audit
from keguan.core.access import deny, get_visible, require
from keguan.core.export import Column, xlsx_response
from keguan.core.forms import apply_errors
from keguan.core.pagination import paginate
from keguan.core.workflow import TransitionError
from keguan.projects.models import Application
from keguan.review import permissions, services
from keguan.review.conflicts import RULES
from keguan.review.forms.draws import ReasonForm
from keguan.review.models import Assignment, Draw, Expert, Round
from keguan.review.ranking import TRIM_FROM, ranked_entries

S = Assignment.State
# Assignments the officer may still take off an application (nothing submitted yet).
WITHDRAWABLE = (S.INVITED, S.REVIEWING)


def _round(request, pk: int, predicate) -> Round:
    """The round, if the user sees it and PREDICATE(user, round) holds; else an audited 404."""
    round = get_visible(
        request, permissions.visible_rounds(request.user).select_related("call", "bureau"), pk
    )
    if not predicate(request.user, round):
        raise deny(request, "review.round", pk)
    return round


def _log_url(round: Round, application_id: int | None = None) -> str:
    url = reverse("review:draw_log", args=[round.pk])
    return f"{url}#application-{application_id}" if application_id else url


def _too_few_message(draw: Draw) -> str:
    return _(
        "Only %(eligible)d experts without a conflict remain for “%(title)s”; "
        "%(wanted)d are needed. Nobody was drawn."
    ) % {"eligible": len(draw.pool), "title": draw.application.title, "wanted": draw.wanted}


@require(permissions.can_create_round)
@require_POST
def round_draw(request, pk: int):
    """The first draw for every application of the round that has none yet."""
    round = _round(request, pk, permissions.can_manage_round)
    try:
        draws = services.draw_round(request.user, round)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_log_url(round))
    drawn = sum(1 for draw in draws if draw.outcome == Draw.Outcome.DRAWN)
    if drawn:
        messages.success(
            request,
            ngettext(
                "Experts were drawn for %(count)d application.",
                "Experts were drawn for %(count)d applications.",
                drawn,
            )
            % {"count": drawn},
        )
    for draw in draws:
        if draw.outcome == Draw.Outcome.TOO_FEW:
            messages.error(request, _too_few_message(draw))
    if not draws:
        messages.info(request, _("Every application of the round already has its draw."))
    return redirect(_log_url(round))


def _application_rows(round: Round, draws: list[Draw]) -> list[SimpleNamespace]:
    """One row per application of the round: its draws in sequence, each with the experts
    it drew (and what became of them) and the experts it left out, and why."""
    excluded_ids = {item["expert"] for draw in draws for item in draw.excluded}
    # One query for the names of every excluded expert of the round.
    names = Expert.objects.only("name", "unit").in_bulk(excluded_ids)
    assignments = [a for draw in draws for a in draw.assignments.all()]
    replaced_by = {a.replaces_id: a for a in assignments if a.replaces_id}
    by_application: dict[int, list[Draw]] = {}
    for draw in draws:
        draw.drawn = list(draw.assignments.all())
        for assignment in draw.drawn:
            assignment.is_reviewer = assignment.position < draw.wanted
            assignment.replaced_by_assignment = replaced_by.get(assignment.pk)
            assignment.withdrawable = assignment.state in WITHDRAWABLE
        draw.exclusions = [
            SimpleNamespace(
                expert_id=item["expert"],
                expert=names.get(item["expert"]),
                rules=[RULES.get(code, code) for code in item.get("rules", [])],
                detail=item.get("detail", ""),
            )
            for item in draw.excluded
        ]
        by_application.setdefault(draw.application_id, []).append(draw)
    rows = []
    for entry in round.entries.select_related("application__organization").order_by(
        "application_id"
    ):
        own = by_application.get(entry.application_id, [])
        live = sum(1 for d in own for a in d.drawn if a.state in Assignment.LIVE_STATES)
        rows.append(
            SimpleNamespace(
                application=entry.application,
                draws=own,
                redraws=sum(1 for d in own if d.kind == Draw.Kind.REDRAW),
                several=len(own) > 1,
                live=live,
                missing=max(round.experts_per_application - live, 0),
            )
        )
    return rows


@require(permissions.can_list_rounds)
def draw_log(request, pk: int):
    """Every draw of the round, with its exclusions explained (officer and inspector)."""
    round = _round(request, pk, permissions.can_read_draws)
    draws = list(
        round.draws.select_related("drawn_by")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert", "replaces__expert").order_by(
                    "position", "pk"
                ),
            )
        )
        .order_by("application_id", "sequence")
    )
    rows = _application_rows(round, draws)
    manage = permissions.can_manage_round(request.user, round)
    drawing = manage and round.state in Round.DRAWN_STATES
    return render(
        request,
        "review/draw_log.html",
        {
            "round": round,
            "rows": rows,
            "draw_count": len(draws),
            "can_draw": drawing and any(not row.draws for row in rows),
            "can_redraw": drawing and round.state == Round.State.SEALED,
            "can_supplement": drawing,
            "can_withdraw": drawing,
            "reason_form": ReasonForm(),
        },
    )


def _reason_page(request, round: Round, *, application, action, title, explanation, done):
    """The reason form of a redraw, a supplementary draw or a withdrawal: ACTION(reason)
    runs the service; DONE(result) is the success message."""
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data["reason"])
        except services.TooFewExperts as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_log_url(round, application.pk))
        except TransitionError as exc:  # someone moved the assignment or the reserve meanwhile
            messages.error(request, exc.message)
            return redirect(_log_url(round, application.pk))
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                messages.error(request, " ".join(exc.messages))
                return redirect(_log_url(round, application.pk))
            apply_errors(form, exc)
        else:
            messages.success(request, done(result))
            return redirect(_log_url(round, application.pk))
    return render(
        request,
        "review/reason_form.html",
        {
            "round": round,
            "application": application,
            "form": form,
            "title": title,
            "explanation": explanation,
        },
    )


def _entry_application(request, round: Round, application_pk: int) -> Application:
    return get_visible(
        request,
        Application.objects.filter(round_entries__round=round).select_related("organization"),
        application_pk,
    )


@require(permissions.can_create_round)
@require_http_methods(["GET", "POST"])
def redraw(request, pk: int, application_pk: int):
    """Release the application's experts and draw again, with a reason on record."""
    round = _round(request, pk, permissions.can_manage_round)
    application = _entry_application(request, round, application_pk)
    return _reason_page(
        request,
        round,
        application=application,
        action=lambda reason: services.redraw(request.user, round, application, reason),
        title=_("Redraw the experts"),
        explanation=_(
            "Every expert drawn for this application is released and a new draw is made with "
            "the next sequence number. The inspector sees every redraw and its reason."
        ),
        done=lambda draw: (
            _("Experts were drawn again for “%(title)s” (draw %(sequence)d).")
            % {"title": application.title, "sequence": draw.sequence}
        ),
    )


@require(permissions.can_create_round)
@require_http_methods(["GET", "POST"])
def supplement(request, pk: int, application_pk: int):
    """Draw the experts still missing for an application, by the same recorded procedure."""
    round = _round(request, pk, permissions.can_manage_round)
    application = _entry_application(request, round, application_pk)
    return _reason_page(
        request,
        round,
        application=application,
        action=lambda reason: services.supplement(request.user, round, application, reason),
        title=_("Supplementary draw"),
        explanation=_(
            "Draws the experts this application still lacks (after declines with no reserve "
            "left), from the same pool and by the same recorded procedure."
        ),
        done=lambda draw: (
            ngettext(
                "%(count)d more expert was drawn for “%(title)s”.",
                "%(count)d more experts were drawn for “%(title)s”.",
                draw.wanted,
            )
            % {"count": draw.wanted, "title": application.title}
        ),
    )


@require(permissions.can_create_round)
@require_http_methods(["GET", "POST"])
def assignment_withdraw(request, pk: int):
    """Take an expert off an application; the next reserve takes the place."""
    assignment = get_visible(
        request,
        permissions.assignments_for(request.user).select_related(
            "round__call", "application__organization", "expert"
        ),
        pk,
    )
    if not permissions.can_manage_assignment(request.user, assignment):
        raise deny(request, "review.assignment", pk)
    round = assignment.round

    def done(reserve):
        if reserve is None:
            return _(
                "%(expert)s was taken off the application. No reserve is left: make a "
                "supplementary draw."
            ) % {"expert": assignment.expert.name}
        return _(
            "%(expert)s was taken off the application; the reserve %(reserve)s takes the place."
        ) % {
            "expert": assignment.expert.name,
            "reserve": reserve.expert.name,
        }

    return _reason_page(
        request,
        round,
        application=assignment.application,
        action=lambda reason: services.withdraw_assignment(request.user, assignment, reason),
        title=_("Take %(expert)s off the application") % {"expert": assignment.expert.name},
        explanation=_(
            "For an expert who cannot be reached or cannot review. The expert loses access at "
            "once and the next reserve of the recorded order takes the place."
        ),
        done=done,
    )


def _two(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _ranked(round: Round) -> list:
    """The ranked entries, numbered: entries without a submitted sheet have no rank."""
    entries = list(ranked_entries(round))
    # Translated once, not once per row: a round may rank hundreds of applications.
    recommendations = _("Fund %(fund)s · with changes %(changes)s · do not fund %(no)s")
    rank = 0
    for entry in entries:
        entry.recommendations = recommendations % {
            "fund": entry.fund,
            "changes": entry.fund_with_changes,
            "no": entry.do_not_fund,
        }
        if entry.score_value is None:
            entry.rank = None
        else:
            rank += 1
            entry.rank = rank
        entry.trimmed = entry.n >= TRIM_FROM
    return entries


def _yes(value) -> str:
    return _("yes") if value else ""


# The ranked list's columns; experts' names appear in neither the page nor the export.
RANKING_COLUMNS = [
    Column(gettext_lazy("Rank"), lambda e: e.rank, 6),
    Column(gettext_lazy("Application"), lambda e: e.application.title, 40),
    Column(gettext_lazy("Organization"), lambda e: e.application.organization.name, 30),
    Column(gettext_lazy("Score sheets"), lambda e: e.n, 10),
    Column(gettext_lazy("Mean"), lambda e: _two(e.mean), 10),
    Column(gettext_lazy("Score"), lambda e: _two(e.score_value), 10),
    Column(gettext_lazy("Trimmed mean"), lambda e: _yes(e.trimmed), 10),
    Column(gettext_lazy("Lowest"), lambda e: _two(e.low), 10),
    Column(gettext_lazy("Highest"), lambda e: _two(e.high), 10),
    Column(gettext_lazy("Spread"), lambda e: _two(e.spread), 10),
    Column(gettext_lazy("Experts disagree"), lambda e: _yes(e.flagged), 12),
    Column(gettext_lazy("Fund"), lambda e: e.fund, 8),
    Column(gettext_lazy("Fund with changes"), lambda e: e.fund_with_changes, 12),
    Column(gettext_lazy("Do not fund"), lambda e: e.do_not_fund, 10),
]


@require(permissions.can_list_rounds)
def ranking(request, pk: int):
    round = _round(request, pk, permissions.can_read_ranking)
    return render(
        request,
        "review/ranking.html",
        {"round": round, "entries": _ranked(round), "trim_from": TRIM_FROM},
    )


@require(permissions.can_list_rounds)
def ranking_export(request, pk: int):
    """The ranked list as an Excel workbook with the page's columns."""
    round = _round(request, pk, permissions.can_read_ranking)
    entries = _ranked(round)
    audit.record("review.ranking.export", obj=round, after={"entries": len(entries)})
    return xlsx_response(f"{_('ranking')}-{round.pk}", _("Ranking"), RANKING_COLUMNS, iter(entries))


@require(permissions.can_list_rounds)
def round_verify(request, pk: int):
    """Every draw of the round recomputed from its recorded seed."""
    round = _round(request, pk, permissions.can_read_draws)
    problems = services.verify_round(round)
    return render(
        request,
        "review/round_verify.html",
        {"round": round, "problems": problems, "draw_count": round.draws.count()},
    )


@require(permissions.can_read_approach_reports)
def approach_reports(request):
    """Experts' reports of approaches (请托) on the jurisdiction's applications."""
    reports = (
        permissions.visible_approach_reports(request.user)
        .select_related("application", "assignment__round", "assignment__expert")
        .order_by("-reported_at", "-pk")
    )
    return render(request, "review/approach_reports.html", {"page": paginate(request, reports)})
