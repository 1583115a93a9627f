"""Every response carries the security headers; pages hold no inline script or style."""

import re

import pytest
from django.urls import reverse

from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/v1/openapi.json"])
def test_security_headers_on_public_responses(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_signed_in_pages_have_no_inline_script_or_style(client, personas):
    sign_in(client, personas.officer)
    body = client.get(reverse("core:home")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert "<style" not in body and " style=" not in body
    assert "http://" not in body.replace("http://www.w3.org", "")


def test_pages_are_in_simplified_chinese_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in body


def test_user_input_is_escaped(client, personas):
    from keguan.accounts import services

    services.update_organization(
        personas.officer, personas.org_a, {"address": "<script>alert(1)</script>"}
    )
    sign_in(client, personas.officer)
    url = reverse("accounts:organization_detail", kwargs={"pk": personas.org_a.pk})
    body = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_forms_refuse_a_post_without_csrf_token(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, personas.officer)
    response = client.post(reverse("accounts:organization_create"), {"name": "x"})
    assert response.status_code == 403
