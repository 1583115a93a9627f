"""Every URL, every persona: who gets the page, who gets 404, who is sent to sign in.

The test fails when a URL exists that the EXPECTED table does not list, so a new page
cannot ship without someone deciding who may open it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from keguan.audit.models import AuditEvent
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "applicant_a",
    "applicant_b",
    "officer",
    "leader",
    "expert",
    "liaison",
    "party_secretary",
    "party_member",
    "inspector",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
ALL = set(PERSONAS) - {"anonymous"}
BUREAU_WIDE = {"officer", "leader", "inspector"}

# url name -> (kwargs builder, personas that get 200, status for the others when signed in).
# Anonymous visitors are sent to sign in (302) unless the page is public.
EXPECTED = {
    "portal:index": (None, set(PERSONAS), 200),
    "accounts:login": (None, {"anonymous"}, 302),
    "accounts:password_change": (None, ALL, 404),
    "accounts:otp_verify": (None, set(), 302),  # no device: sent to setup
    "accounts:otp_setup": (None, ALL - {"sysadmin", "secadmin", "auditadmin"}, 302),
    "accounts:profile": (None, ALL, 404),
    "core:home": (None, ALL, 404),
    "accounts:organization_list": (
        None,
        BUREAU_WIDE | {"applicant_a", "applicant_b", "liaison"},
        404,
    ),
    "accounts:organization_detail": ("org_a", BUREAU_WIDE | {"applicant_a", "liaison"}, 404),
    "accounts:organization_edit": ("org_a", {"officer", "applicant_a"}, 404),
    "accounts:organization_create": (None, {"officer"}, 404),
    "accounts:bureau_list": (None, BUREAU_WIDE | {"sysadmin", "secadmin"}, 404),
    "accounts:user_list": (None, {"sysadmin", "secadmin"}, 404),
    "accounts:user_create": (None, {"sysadmin"}, 404),
    "accounts:user_detail": ("user", {"sysadmin", "secadmin"}, 404),
    "audit:event_list": (None, {"inspector", "auditadmin"}, 404),
    "audit:event_export": (None, {"inspector", "auditadmin"}, 404),
    "audit:verify": (None, {"inspector", "auditadmin"}, 404),
}
# POST-only or machine endpoints, covered by their own tests.
COVERED_ELSEWHERE = {
    "accounts:logout": "tests/accounts/test_login.py",
    "accounts:token_revoke": "tests/accounts/test_views.py",
    "accounts:organization_action": "tests/accounts/test_views.py",
    "accounts:user_unlock": "tests/accounts/test_views.py",
    "set_language": "tests/browser/test_login_flow.py",
}


def all_url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            prefix = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from all_url_names(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_expected_table():
    names = {name for name in all_url_names() if not name.startswith("api:")}
    missing = names - EXPECTED.keys() - COVERED_ELSEWHERE.keys()
    assert not missing, f"decide who may open: {sorted(missing)}"
    assert not (EXPECTED.keys() - names), "the table names URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_persona_gets_what_the_table_says(client, personas, name):
    arg, allowed, otherwise = EXPECTED[name]
    kwargs = {}
    if arg == "org_a":
        kwargs = {"pk": personas.org_a.pk}
    elif arg == "user":
        kwargs = {"pk": personas.officer.pk}
    url = reverse(name, kwargs=kwargs)
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            sign_in(client, getattr(personas, persona))
        status = client.get(url).status_code
        if persona in allowed:
            expected = 200
        elif persona == "anonymous":
            expected = 302
        else:
            expected = otherwise
        assert status == expected, f"{persona} on {name}: {status}, expected {expected}"


def test_a_refused_look_is_audited(client, personas):
    sign_in(client, personas.applicant_b)
    url = reverse("accounts:organization_detail", kwargs={"pk": personas.org_a.pk})
    assert client.get(url).status_code == 404
    event = AuditEvent.objects.filter(action="access.denied").latest("seq")
    assert event.actor_username == "bob"
    assert event.object_id == str(personas.org_a.pk)


def test_an_officer_never_sees_another_countys_organization(client, personas):
    sign_in(client, personas.officer)
    url = reverse("accounts:organization_detail", kwargs={"pk": personas.org_far.pk})
    assert client.get(url).status_code == 404
    listing = client.get(reverse("accounts:organization_list"))
    assert personas.org_far.name not in listing.content.decode()


def test_a_city_officer_sees_the_counties_below(client, personas):
    sign_in(client, personas.city_officer)
    for org in (personas.org_a, personas.org_far):
        url = reverse("accounts:organization_detail", kwargs={"pk": org.pk})
        assert client.get(url).status_code == 200
