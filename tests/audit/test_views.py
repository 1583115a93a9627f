"""The audit trail pages: filter, export to Excel, verify."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keguan.audit.models import AuditEvent
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_the_inspector_filters_the_trail_by_action(client, personas):
    sign_in(client, personas.inspector)
    response = client.get(reverse("audit:event_list"), {"action": "accounts.role"})
    actions = {event.action for event in response.context["page"]}
    assert actions == {"accounts.role.grant"}


def test_the_export_is_a_real_workbook_with_the_filtered_rows(client, personas):
    sign_in(client, personas.auditadmin)
    response = client.get(reverse("audit:event_export"), {"action": "accounts.user.create"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 == AuditEvent.objects.filter(action="accounts.user.create").count()
    assert AuditEvent.objects.filter(action="audit.export", actor_username="aud").exists()


def test_verifying_from_the_page_reports_the_count(client, personas):
    sign_in(client, personas.inspector)
    response = client.post(reverse("audit:verify"))
    assert response.context["result"].ok
    # The verify event itself is recorded after the count was taken.
    assert response.context["result"].count == AuditEvent.objects.count() - 1


def test_the_trail_page_issues_a_bounded_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    sign_in(client, personas.inspector)
    with django_assert_max_num_queries(12):
        client.get(reverse("audit:event_list"))
