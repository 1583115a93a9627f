"""Organization pages, role grants and tokens through the web UI."""

import pytest
from django.urls import reverse

from keguan.accounts.models import ApiToken, Organization, RoleGrant
from keguan.audit.models import AuditEvent
from tests.factories import make_organization, make_uscc, sign_in

pytestmark = pytest.mark.django_db


def test_officer_verifies_a_pending_organization(client, personas):
    sign_in(client, personas.officer)
    org = personas.org_a
    url = reverse("accounts:organization_action", kwargs={"pk": org.pk, "action": "verify"})
    client.post(url, {"expected_state": "pending"})
    org.refresh_from_db()
    assert org.state == Organization.State.VERIFIED
    assert AuditEvent.objects.filter(
        action="accounts.organization.verify", object_id=str(org.pk)
    ).exists()


def test_returning_needs_a_reason_and_changes_nothing_without_one(client, personas):
    sign_in(client, personas.officer)
    org = personas.org_a
    url = reverse("accounts:organization_action", kwargs={"pk": org.pk, "action": "return"})
    client.post(url, {"note": ""})
    org.refresh_from_db()
    assert org.state == Organization.State.PENDING


def test_a_late_click_is_told_someone_else_acted(client, personas):
    sign_in(client, personas.officer)
    org = personas.org_a
    url = reverse("accounts:organization_action", kwargs={"pk": org.pk, "action": "verify"})
    client.post(url, {"expected_state": "pending"})
    response = client.post(
        reverse("accounts:organization_action", kwargs={"pk": org.pk, "action": "return"}),
        {"expected_state": "pending", "note": "late"},
        follow=True,
    )
    from django.utils import translation

    from keguan.core.workflow import StaleStateError

    with translation.override("zh-hans"):
        expected = str(StaleStateError().message)
    assert expected in [str(m) for m in response.context["messages"]]
    org.refresh_from_db()
    assert org.state == Organization.State.VERIFIED


def test_an_applicant_cannot_verify_its_own_organization(client, personas):
    sign_in(client, personas.applicant_a)
    org = personas.org_a
    url = reverse("accounts:organization_action", kwargs={"pk": org.pk, "action": "verify"})
    assert client.post(url).status_code == 404
    org.refresh_from_db()
    assert org.state == Organization.State.PENDING


def test_an_applicant_cannot_edit_another_organization(client, personas):
    sign_in(client, personas.applicant_b)
    url = reverse("accounts:organization_edit", kwargs={"pk": personas.org_a.pk})
    response = client.post(
        url, {"name": "被改了", "kind": "enterprise", "uscc": personas.org_a.uscc}
    )
    assert response.status_code == 404
    personas.org_a.refresh_from_db()
    assert personas.org_a.name == "甲企业"


def test_a_bad_credit_code_is_refused_beside_the_field(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("accounts:organization_create"),
        {"name": "新单位", "kind": "enterprise", "uscc": "91361127MA00000010"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"]
    assert not Organization.objects.filter(name="新单位").exists()


def test_officer_registers_an_organization(client, personas):
    sign_in(client, personas.officer)
    code = make_uscc()
    response = client.post(
        reverse("accounts:organization_create"),
        {"name": "新单位", "kind": "enterprise", "uscc": code},
    )
    assert response.status_code == 302
    assert Organization.objects.get(uscc=code).bureau == personas.bureaus.county


def test_contact_phone_is_masked_for_those_who_do_not_work_with_the_unit(client, personas):
    sign_in(client, personas.inspector)
    url = reverse("accounts:organization_detail", kwargs={"pk": personas.org_a.pk})
    body = client.get(url).content.decode()
    assert "13812345678" not in body and "138****5678" in body


def test_organization_list_queries_do_not_grow_with_rows(
    client, personas, django_assert_max_num_queries
):
    sign_in(client, personas.officer)
    client.get(reverse("accounts:organization_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("accounts:organization_list"))
    for n in range(15):
        make_organization(personas.bureaus.county, f"批量单位{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("accounts:organization_list"))


def test_secadmin_grants_a_role_and_sysadmin_cannot(client, personas):
    url = reverse("accounts:user_detail", kwargs={"pk": personas.expert.pk})
    sign_in(client, personas.sysadmin)
    assert client.post(url, {"grant": "1", "role": "leader"}).status_code == 404
    assert not RoleGrant.objects.filter(user=personas.expert, role="leader").exists()
    client.logout()
    sign_in(client, personas.secadmin)
    client.post(url, {"grant": "1", "role": "leader"})
    assert RoleGrant.objects.filter(user=personas.expert, role="leader").exists()
    assert AuditEvent.objects.filter(action="accounts.role.grant", actor_username="sec").exists()


def test_no_person_holds_two_administrator_roles(client, personas):
    sign_in(client, personas.secadmin)
    url = reverse("accounts:user_detail", kwargs={"pk": personas.sysadmin.pk})
    response = client.post(url, {"grant": "1", "role": "auditadmin"})
    assert response.status_code == 200
    assert not RoleGrant.objects.filter(user=personas.sysadmin, role="auditadmin").exists()


def test_an_administrator_cannot_also_hold_a_business_role(client, personas):
    sign_in(client, personas.secadmin)
    url = reverse("accounts:user_detail", kwargs={"pk": personas.auditadmin.pk})
    client.post(url, {"grant": "1", "role": "officer"})
    assert not RoleGrant.objects.filter(user=personas.auditadmin, role="officer").exists()


def test_sysadmin_creates_an_account_that_must_change_its_password(client, personas):
    sign_in(client, personas.sysadmin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "zhang",
            "full_name": "张三",
            "bureau": personas.bureaus.county.pk,
            "roles": ["applicant"],
            "organization_uscc": personas.org_a.uscc,
            "password": "Temp-Passw0rd-Long",
        },
    )
    assert response.status_code == 302
    from keguan.accounts.models import User

    user = User.objects.get(username="zhang")
    assert user.must_change_password and user.organization == personas.org_a


def test_a_token_is_shown_once_and_stored_hashed(client, personas):
    sign_in(client, personas.officer)
    response = client.post(reverse("accounts:profile"), {"name": "脚本"})
    secret = response.context["new_secret"]
    token = ApiToken.objects.get(user=personas.officer)
    assert secret not in token.key_hash and secret.startswith("kg_")
    assert secret not in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:token_revoke", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token(client, personas):
    from keguan.accounts import services

    token, _ = services.create_token(personas.officer, "mine")
    sign_in(client, personas.leader)
    url = reverse("accounts:token_revoke", kwargs={"pk": token.pk})
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_unlock_clears_failed_sign_ins(client, personas):
    from django.utils import timezone

    from keguan.accounts.models import LoginAttempt

    for _ in range(5):
        LoginAttempt.objects.create(username="olivia", at=timezone.now())
    sign_in(client, personas.sysadmin)
    client.post(reverse("accounts:user_unlock", kwargs={"pk": personas.officer.pk}))
    assert not LoginAttempt.objects.filter(username="olivia").exists()


def test_renaming_a_verified_organization_sends_it_back_for_checking(client, personas):
    from keguan.accounts.workflow import ORGANIZATION_WORKFLOW

    org = ORGANIZATION_WORKFLOW.apply(personas.officer, personas.org_a, "verify")
    sign_in(client, personas.applicant_a)
    url = reverse("accounts:organization_edit", kwargs={"pk": org.pk})
    client.post(url, {"name": "甲企业（更名）", "kind": "enterprise", "uscc": org.uscc})
    org.refresh_from_db()
    assert org.name == "甲企业（更名）" and org.state == Organization.State.PENDING
    assert AuditEvent.objects.filter(
        action="accounts.organization.identity_changed", object_id=str(org.pk)
    ).exists()


def test_an_automatic_transition_is_not_a_user_action(client, personas):
    from keguan.accounts.workflow import ORGANIZATION_WORKFLOW

    org = ORGANIZATION_WORKFLOW.apply(personas.officer, personas.org_a, "verify")
    sign_in(client, personas.applicant_a)
    url = reverse(
        "accounts:organization_action", kwargs={"pk": org.pk, "action": "identity_changed"}
    )
    assert client.post(url).status_code == 404
    org.refresh_from_db()
    assert org.state == Organization.State.VERIFIED
