"""Personas for every role, built through the services.

County 361127 under city 361100 under province 360000; a neighbouring county 361128 holds
what our county's people must never see.
"""

from types import SimpleNamespace

import pytest

from keguan.accounts.models import Bureau
from keguan.accounts.roles import Role
from tests.factories import make_bureau, make_organization, make_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _wipeable_audit_table(request):
    """Transactional tests end by wiping every table; let that wipe pass the audit
    table's append-only triggers (dropped after the test, put back before the next)."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from keguan.audit import triggers

    triggers.install(connection)
    yield
    triggers.drop(connection)


@pytest.fixture
def english(settings):
    """For tests that read English messages: the pages default to Simplified Chinese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def bureaus(db):
    province = make_bureau("360000", "省科技厅", level=Bureau.Level.PROVINCIAL)
    city = make_bureau("361100", "市科技局", province, Bureau.Level.MUNICIPAL)
    county = make_bureau("361127", "县科技局", city)
    neighbour = make_bureau("361128", "邻县科技局", city)
    return SimpleNamespace(province=province, city=city, county=county, neighbour=neighbour)


@pytest.fixture
def personas(bureaus):
    county = bureaus.county
    org_a = make_organization(county, "甲企业")
    org_b = make_organization(county, "乙企业")
    org_far = make_organization(bureaus.neighbour, "邻县企业")
    p = SimpleNamespace(org_a=org_a, org_b=org_b, org_far=org_far, bureaus=bureaus)
    p.applicant_a = make_user("alice", [Role.APPLICANT], county, org_a)
    p.applicant_b = make_user("bob", [Role.APPLICANT], county, org_b)
    p.officer = make_user("olivia", [Role.OFFICER], county)
    p.city_officer = make_user("carl", [Role.OFFICER], bureaus.city)
    p.neighbour_officer = make_user("nina", [Role.OFFICER], bureaus.neighbour)
    p.leader = make_user("leo", [Role.LEADER], county)
    p.expert = make_user("eve", [Role.EXPERT], county)
    p.liaison = make_user("lily", [Role.LIAISON], county, org_a)
    p.party_secretary = make_user("sam", [Role.PARTY_SECRETARY], county)
    p.party_member = make_user("pat", [Role.PARTY_MEMBER], county)
    p.inspector = make_user("ian", [Role.INSPECTOR], county)
    p.sysadmin = make_user("sys", [Role.SYSADMIN], county)
    p.secadmin = make_user("sec", [Role.SECADMIN], county)
    p.auditadmin = make_user("aud", [Role.AUDITADMIN], county)
    return p
