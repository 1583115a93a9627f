"""The rules applications answer to: completeness, deadlines, eligibility, integrity,
duplicates. Workflow guards call these; so do the forms, to warn before the click.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from keguan.accounts.models import Organization
from keguan.projects.models import Application, IntegrityPenalty, TeamMember

# Titles at least this similar (0-100, rapidfuzz ratio over characters) are flagged.
TITLE_SIMILARITY = 80
SUMMARY_SIMILARITY = 70


def closed_message(call) -> str:
    closed = timezone.localtime(call.closes_at)
    return _("The call closed at %(time)s; nothing can be submitted any more.") % {
        "time": date_format(closed, "Y-m-d H:i")
    }


def window_refusal(call, now=None) -> str | None:
    """Why CALL takes no submission now, or None."""
    now = now or timezone.now()
    if call.state != call.State.PUBLISHED:
        return _("The call is not published.")
    if now < call.opens_at:
        return _("The call opens at %(time)s.") % {
            "time": date_format(timezone.localtime(call.opens_at), "Y-m-d H:i")
        }
    if now >= call.closes_at:
        return closed_message(call)
    return None


def completeness_problems(application: Application) -> list[str]:
    """Everything missing or wrong before APPLICATION can be submitted, in plain words."""
    problems = []
    call = application.call
    if not application.title.strip():
        problems.append(_("The title is missing."))
    if not application.summary.strip():
        problems.append(_("The summary is missing."))
    if not application.discipline_code:
        problems.append(_("The discipline code is missing."))
    if application.start_on and application.end_on and application.end_on <= application.start_on:
        problems.append(_("The planned end must come after the planned start."))
    if not (application.start_on and application.end_on):
        problems.append(_("The planned start and end dates are missing."))
    team = list(application.team.all())
    leaders = [m for m in team if m.role == TeamMember.Role.LEADER]
    if len(leaders) != 1:
        problems.append(_("The team needs exactly one project leader."))
    lines = list(application.budget_lines.all())
    requested = sum((line.requested for line in lines), Decimal("0"))
    if not lines:
        problems.append(_("The budget has no lines."))
    elif requested <= 0:
        problems.append(_("The budget asks for no money from the program."))
    if requested > call.budget_ceiling:
        problems.append(
            _("The budget asks for %(requested)s yuan; this call allows at most %(ceiling)s.")
            % {"requested": requested, "ceiling": call.budget_ceiling}
        )
    present = set(
        application.attachments.filter(superseded_at__isnull=True).values_list("kind", flat=True)
    )
    labels = dict(zip(call.required_attachments, call.required_attachment_labels(), strict=True))
    for kind in call.required_attachments:
        if kind not in present:
            problems.append(_("The attachment “%(kind)s” is missing.") % {"kind": labels[kind]})
    if not call.admits_kind(application.organization.kind):
        problems.append(
            _("Organizations of the kind “%(kind)s” may not apply to this call.")
            % {"kind": application.organization.get_kind_display()}
        )
    others = (
        Application.objects.counting()
        .filter(call=call, organization=application.organization)
        .exclude(pk=application.pk)
        .count()
    )
    if others >= call.max_per_organization:
        problems.append(
            _("An organization may submit at most %(n)d application(s) to this call.")
            % {"n": call.max_per_organization}
        )
    return problems


def integrity_refusal(application: Application, today: dt.date | None = None) -> str | None:
    """The integrity penalty that bars the unit or a team member today, as a sentence."""
    today = today or timezone.localdate()
    id_numbers = [m.id_number for m in application.team.all() if m.id_number]
    penalty = (
        IntegrityPenalty.objects.in_force(today)
        .filter(Q(organization=application.organization) | Q(id_number__in=id_numbers))
        .order_by("-ends_on")
        .first()
    )
    if penalty is None:
        return None
    who = (
        application.organization.name
        if penalty.organization_id == application.organization_id
        else penalty.person_name
    )
    return _(
        "%(who)s is under a research-integrity penalty until %(until)s (%(reason)s); "
        "the application cannot be submitted."
    ) % {"who": who, "until": penalty.ends_on.isoformat(), "reason": penalty.reason}


def submission_refusal(application: Application, payload: dict) -> str | None:
    """The workflow guard of submit and resubmit: None when the application may go in.

    The organization's row is locked first: two of its drafts submitted at the same moment
    then count each other against the call's limit instead of both slipping under it.
    """
    Organization.objects.select_for_update().filter(pk=application.organization_id).first()
    refusal = window_refusal(application.call)
    if refusal:
        return refusal
    problems = completeness_problems(application)
    if problems:
        return " ".join(problems)
    return integrity_refusal(application)


# At most this many earlier applications of the same unit or leader are compared.
COMPARED = 200


def duplicate_hints(application: Application, limit: int = 10) -> list[dict]:
    """Applications of the same unit or the same leader, in other calls of any year, whose
    title or summary reads much like this one's (重复申报 / 多头申报).

    Similarity is rapidfuzz's normalized Levenshtein ratio over characters, which needs no
    word segmentation and so works for Chinese as it stands.
    """
    leader = application.leader()
    earlier = (
        Application.objects.exclude(pk=application.pk)
        .exclude(call=application.call)
        .exclude(state__in=(Application.State.DRAFT, Application.State.WITHDRAWN))
        .order_by("-created_at")
    )
    # Two indexed lookups (by unit, by leader) instead of one OR across a join, which
    # makes the database read every application of the jurisdiction.
    ids = set(
        earlier.filter(organization=application.organization).values_list("pk", flat=True)[
            :COMPARED
        ]
    )
    if leader is not None and leader.id_number:
        led = (
            TeamMember.objects.filter(id_number=leader.id_number, role=TeamMember.Role.LEADER)
            .order_by()
            .values_list("application_id", flat=True)
        )
        ids.update(earlier.filter(pk__in=list(led[: COMPARED * 2])).values_list("pk", flat=True))
    others = (
        Application.objects.filter(pk__in=ids)
        .select_related("call")
        .order_by("-created_at")[:COMPARED]
    )
    hints = []
    for other in others:
        title_score = fuzz.ratio(application.title, other.title)
        summary_score = (
            fuzz.ratio(application.summary[:2000], other.summary[:2000])
            if application.summary and other.summary
            else 0
        )
        if title_score >= TITLE_SIMILARITY or summary_score >= SUMMARY_SIMILARITY:
            hints.append(
                {
                    "application": other.pk,
                    "title": other.title,
                    "call": other.call.title,
                    "year": other.call.year,
                    "state": other.state,
                    "title_similarity": round(title_score),
                    "summary_similarity": round(summary_score),
                    "same_organization": other.organization_id == application.organization_id,
                }
            )
    hints.sort(key=lambda h: -max(h["title_similarity"], h["summary_similarity"]))
    return hints[:limit]
