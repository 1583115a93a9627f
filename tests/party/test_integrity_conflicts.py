"""An officer's declaration of interest is a conflict for the review draw: while it runs, the
officer (as an expert) is not drawn for the named organization's applications."""

import datetime as dt

import pytest
from django.utils import timezone

from keguan.party.services import affairs_integrity as services
from keguan.projects.models import Application
from keguan.review.models import Assignment, Draw
from tests.projects.states import application_in
from tests.review.factories import drawn_round, make_expert, make_pool

pytestmark = pytest.mark.django_db
A = Application.State


def declare(user, organization, **extra):
    return services.declare_interest(
        user,
        {
            "relative_name": "王芳",
            "relation": "spouse",
            "organization": organization,
            "position": "财务",
            "starts_on": extra.pop("starts_on", dt.date(2010, 1, 1)),
            "ends_on": extra.pop("ends_on", None),
        },
    )


def test_an_expert_who_declared_a_relative_in_the_applicant_is_excluded_from_the_draw(personas):
    application = application_in(personas, A.CHECKED)
    make_pool(personas.officer, 8)
    declared = make_expert(personas.officer, unit="毫不相干的研究所", name="程明")
    declare(declared.user, application.organization)
    round = drawn_round(personas.officer, [application], open_review=False)
    draw = Draw.objects.get(round=round)
    assert declared.pk not in draw.pool
    (exclusion,) = [e for e in draw.excluded if e["expert"] == declared.pk]
    assert exclusion["rules"] == ["declared_interest"]
    assert application.organization.name in exclusion["detail"]
    assert not Assignment.objects.filter(round=round, expert=declared).exists()


def test_a_declaration_that_ended_excludes_no_more(personas):
    from keguan.review import conflicts

    application = application_in(personas, A.CHECKED)
    expert = make_expert(personas.officer, unit="毫不相干的研究所")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    declare(expert.user, application.organization, ends_on=yesterday)
    eligible, excluded = conflicts.screen(
        application, type(expert).objects.filter(pk=expert.pk), timezone.localdate()
    )
    assert eligible == [expert.pk] and excluded == []


def test_a_declaration_naming_a_team_members_unit_excludes_too(personas):
    from keguan.projects.services import replace_team
    from keguan.review import conflicts
    from tests.factories import make_organization
    from tests.projects.factories import make_id_number

    application = application_in(personas, A.DRAFT)
    partner = make_organization(personas.bureaus.county, "江西农业大学")
    replace_team(
        personas.applicant_a,
        application,
        [
            {
                "name": "王强",
                "unit": application.organization.name,
                "role": "leader",
                "id_number": make_id_number(),
            },
            {
                "name": "李明",
                "unit": "江西农业大学",
                "role": "member",
                "id_number": make_id_number(),
            },
        ],
    )
    expert = make_expert(personas.officer, unit="毫不相干的研究所")
    declare(expert.user, partner)
    _eligible, excluded = conflicts.screen(
        application, type(expert).objects.filter(pk=expert.pk), timezone.localdate()
    )
    assert [e["rules"] for e in excluded] == [["declared_interest"]]
