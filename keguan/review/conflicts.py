"""Conflict rules (回避): which experts may not review which application, and why.

The facts are gathered in a few queries (`application_facts`, `expert_facts`); the rules
themselves are one pure function, `conflicts`, so that tests can throw any facts at it.
Units are compared by name after normalising width, case and spaces, and a name that
begins with the other (a college of a university) counts as the same unit: a conflict rule
errs on the side of excluding.
"""

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keguan.enterprises.models import Cooperation
from keguan.party.services.affairs_integrity import declared_interests
from keguan.projects.models import Application, IntegrityPenalty, TeamMember
from keguan.review.models import Assignment, Avoidance, Expert, Relation

YEARS_BACK = 3

RULES = {
    "same_unit": _("Works in the applicant's unit or a team member's unit"),
    "team_member": _("Is a member of the project team"),
    "relation": _("Declared a relation with the applicant or the team"),
    "avoidance": _("The applicant asked to avoid this unit or expert"),
    "partner": _("Works in a cooperation partner of the applicant (3 years)"),
    "co_applicant": _("Works in a unit that applied together with the applicant (3 years)"),
    "penalty": _("Integrity penalty in force"),
    "declared_conflict": _("Declared a conflict with this application"),
    "declined": _("Declined this application"),
    "assigned": _("Already holds this application"),
    "declared_interest": _("Declared a relative in the applicant's or a team member's unit"),
}


def normalize_unit(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def same_unit(a: str, b: str) -> bool:
    """Two normalised unit names denote the same unit (or one contains the other)."""
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


@dataclass
class ApplicationFacts:
    organization_id: int
    units: set[str] = field(default_factory=set)
    team_ids: set[str] = field(default_factory=set)
    team_names: set[str] = field(default_factory=set)
    avoid_units: set[str] = field(default_factory=set)
    avoid_experts: list[tuple[str, str]] = field(default_factory=list)
    partners: set[str] = field(default_factory=set)
    co_applicants: set[str] = field(default_factory=set)
    declared_conflicts: set[int] = field(default_factory=set)
    declined: set[int] = field(default_factory=set)
    assigned: set[int] = field(default_factory=set)


@dataclass
class ExpertFacts:
    id: int
    name: str
    unit: str
    organization_id: int | None
    id_number: str
    # (kind, normalised name, ID number)
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    penalized: bool = False
    # (organization id, normalised name) of the account's declarations of interest in force
    declared_interests: list[tuple[int, str]] = field(default_factory=list)


def _any_same(unit: str, units) -> str | None:
    return next((other for other in units if same_unit(unit, other)), None)


def conflicts(app: ApplicationFacts, expert: ExpertFacts) -> list[tuple[str, str]]:
    """Every (rule, detail) that keeps EXPERT from reviewing the application of APP."""
    found = []
    if expert.organization_id and expert.organization_id == app.organization_id:
        found.append(("same_unit", expert.unit))
    elif unit := _any_same(expert.unit, app.units):
        found.append(("same_unit", unit))
    if expert.id_number and expert.id_number in app.team_ids:
        found.append(("team_member", expert.name))
    for kind, name, id_number in expert.relations:
        if kind == Relation.Kind.RELATIVE:
            if (id_number and id_number in app.team_ids) or (
                not id_number and name in app.team_names
            ):
                found.append(("relation", name))
        elif unit := _any_same(name, app.units):
            found.append(("relation", unit))
    if unit := _any_same(expert.unit, app.avoid_units):
        found.append(("avoidance", unit))
    for name, unit in app.avoid_experts:
        if name == normalize_unit(expert.name) and (not unit or same_unit(unit, expert.unit)):
            found.append(("avoidance", expert.name))
    if unit := _any_same(expert.unit, app.partners):
        found.append(("partner", unit))
    if unit := _any_same(expert.unit, app.co_applicants):
        found.append(("co_applicant", unit))
    if expert.penalized:
        found.append(("penalty", expert.name))
    for organization_id, unit in expert.declared_interests:
        if organization_id == app.organization_id or _any_same(unit, app.units):
            found.append(("declared_interest", unit))
    if expert.id in app.declared_conflicts:
        found.append(("declared_conflict", expert.name))
    if expert.id in app.declined:
        found.append(("declined", expert.name))
    if expert.id in app.assigned:
        found.append(("assigned", expert.name))
    return found


def application_facts(application: Application, on: dt.date) -> ApplicationFacts:
    """What the rules need to know about APPLICATION, as of the day ON."""
    organization = application.organization
    since = on - dt.timedelta(days=365 * YEARS_BACK + 1)
    team = list(application.team.all())
    facts = ApplicationFacts(organization_id=organization.pk)
    facts.units = {normalize_unit(organization.name)} | {
        normalize_unit(m.unit) for m in team if m.unit
    }
    facts.team_ids = {m.id_number for m in team if m.id_number}
    facts.team_names = {normalize_unit(m.name) for m in team}
    for item in Avoidance.objects.filter(application=application):
        if item.kind == Avoidance.Kind.UNIT:
            facts.avoid_units.add(normalize_unit(item.name))
        else:
            facts.avoid_experts.append((normalize_unit(item.name), normalize_unit(item.unit)))
    # An agreement counts while it runs and for three years after it ended.
    recent = Q(ends_on__gte=since) | Q(ends_on__isnull=True)
    for name in Cooperation.objects.filter(recent, organization=organization).values_list(
        "partner_name", flat=True
    ):
        facts.partners.add(normalize_unit(name))
    for name in Cooperation.objects.filter(recent, partner=organization).values_list(
        "organization__name", flat=True
    ):
        facts.partners.add(normalize_unit(name))
    own = normalize_unit(organization.name)
    # Units named in the teams of the applicant's recent applications applied with it...
    recent_applications = Application.objects.filter(submitted_at__date__gte=since).exclude(
        pk=application.pk
    )
    for unit in TeamMember.objects.filter(
        application__in=recent_applications.filter(organization=organization)
    ).values_list("unit", flat=True):
        if not same_unit(normalize_unit(unit), own):
            facts.co_applicants.add(normalize_unit(unit))
    # ...and so did the units whose recent applications named the applicant in their team.
    for name in (
        recent_applications.exclude(organization=organization)
        .filter(team__unit__contains=organization.name)
        .values_list("organization__name", flat=True)
    ):
        facts.co_applicants.add(normalize_unit(name))
    for expert_id, state in Assignment.objects.filter(application=application).values_list(
        "expert_id", "state"
    ):
        if state == Assignment.State.CONFLICT:
            facts.declared_conflicts.add(expert_id)
        elif state == Assignment.State.DECLINED:
            facts.declined.add(expert_id)
        elif state in Assignment.LIVE_STATES or state == Assignment.State.RESERVE:
            facts.assigned.add(expert_id)
    return facts


def expert_facts(experts, on: dt.date) -> list[ExpertFacts]:
    """The facts of EXPERTS (a queryset), in four queries whatever their number."""
    experts = list(experts.prefetch_related("relations"))
    penalized = set(
        IntegrityPenalty.objects.in_force(on)
        .filter(id_number__in=[e.id_number for e in experts])
        .values_list("id_number", flat=True)
    )
    # Officers' declarations of interest (party clean-government records) of their accounts.
    interests = declared_interests([e.user_id for e in experts], on)
    return [
        ExpertFacts(
            id=e.pk,
            name=e.name,
            unit=normalize_unit(e.unit),
            organization_id=e.organization_id,
            id_number=e.id_number,
            relations=[(r.kind, normalize_unit(r.name), r.id_number) for r in e.relations.all()],
            penalized=e.id_number in penalized,
            declared_interests=[
                (organization_id, normalize_unit(name))
                for organization_id, name in interests.get(e.user_id, [])
            ],
        )
        for e in experts
    ]


def screen(application: Application, experts, on: dt.date) -> tuple[list[int], list[dict]]:
    """Split EXPERTS into the ids that may review APPLICATION (ascending) and the excluded,
    each with the rules that exclude them and a short detail."""
    app = application_facts(application, on)
    eligible, excluded = [], []
    for expert in sorted(expert_facts(experts, on), key=lambda e: e.id):
        found = conflicts(app, expert)
        if found:
            excluded.append(
                {
                    "expert": expert.id,
                    "rules": sorted({rule for rule, _detail in found}),
                    "detail": "; ".join(sorted({detail for _rule, detail in found if detail})),
                }
            )
        else:
            eligible.append(expert.id)
    return eligible, excluded


def is_conflicted(application: Application, expert: Expert, on: dt.date) -> bool:
    app = application_facts(application, on)
    app.assigned.discard(expert.pk)
    return bool(conflicts(app, expert_facts(Expert.objects.filter(pk=expert.pk), on)[0]))
