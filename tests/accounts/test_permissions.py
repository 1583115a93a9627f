"""The named predicates of keguan.accounts.permissions, on their own."""

import pytest

from keguan.accounts import permissions

pytestmark = pytest.mark.django_db


def test_an_applicant_sees_only_its_own_organization(personas):
    assert list(permissions.visible_organizations(personas.applicant_a)) == [personas.org_a]
    assert not permissions.can_view_organization(personas.applicant_a, personas.org_b)


def test_bureau_wide_roles_see_their_jurisdiction_and_nothing_beyond(personas):
    for user in (personas.officer, personas.leader, personas.inspector):
        visible = set(permissions.visible_organizations(user))
        assert {personas.org_a, personas.org_b} <= visible
        assert personas.org_far not in visible


def test_a_city_sees_every_county_below_it(personas):
    visible = set(permissions.visible_organizations(personas.city_officer))
    assert {personas.org_a, personas.org_far} <= visible
    codes = set(
        permissions.visible_bureaus(personas.city_officer).values_list("region_code", flat=True)
    )
    assert codes == {"361100", "361127", "361128"}


def test_administrators_and_experts_read_no_organizations(personas):
    for user in (personas.sysadmin, personas.secadmin, personas.auditadmin, personas.expert):
        assert not permissions.visible_organizations(user).exists()


def test_only_officers_of_the_jurisdiction_verify(personas):
    assert permissions.can_verify_organization(personas.officer, personas.org_a)
    assert not permissions.can_verify_organization(personas.neighbour_officer, personas.org_a)
    assert not permissions.can_verify_organization(personas.inspector, personas.org_a)
    assert not permissions.can_verify_organization(personas.applicant_a, personas.org_a)


def test_the_inspector_reads_but_never_edits(personas):
    assert permissions.can_view_organization(personas.inspector, personas.org_a)
    assert not permissions.can_edit_organization(personas.inspector, personas.org_a)
    assert permissions.can_read_audit(personas.inspector)


def test_the_three_administrators_have_separate_powers(personas):
    assert permissions.can_manage_users(personas.sysadmin)
    assert not permissions.can_grant_roles(personas.sysadmin)
    assert permissions.can_grant_roles(personas.secadmin)
    assert not permissions.can_manage_users(personas.secadmin)
    assert permissions.can_read_audit(personas.auditadmin)
    assert not permissions.can_manage_users(personas.auditadmin)


def test_a_disabled_user_may_do_nothing(personas):
    from keguan.accounts import services

    services.set_active(None, personas.officer, False, "test")
    personas.officer.refresh_from_db()
    assert not permissions.visible_organizations(personas.officer).exists()
    assert not permissions.has_role(personas.officer, "officer")
