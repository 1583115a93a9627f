"""Two people edit the same record from pages opened before either saved: the second save
is refused with a conflict message, and the first one's change stays."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from keguan.accounts.models import Organization
from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.core.records import update_fields, version_of
from keguan.projects.models import Application, Call
from keguan.review.models import Expert
from tests.factories import make_user, sign_in
from tests.projects.factories import make_application, make_call
from tests.review.factories import make_expert

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else changed this record after you opened the page"


class _FormReader(HTMLParser):
    """What a browser would send from each form of a page, as the page shows it."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea, self._template = (
            [],
            None,
            None,
            None,
            0,
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        elif self._form is None or "disabled" in attrs or not attrs.get("name"):
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form.append((attrs["name"], attrs.get("value", "on")))
                return
            self._form.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = {"name": attrs["name"], "chosen": [], "first": None}
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def _option(self, attrs):
        value = attrs.get("value", "")
        if self._select["first"] is None:
            self._select["first"] = value
        if "selected" in attrs:
            self._select["chosen"].append(value)

    def handle_endtag(self, tag):
        if tag == "template":
            self._template -= 1
        elif self._template:
            return
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] or [self._select["first"] or ""]
            self._form.extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.append((name, text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def edit_page(client, url) -> dict:
    """The edit form of the page at URL (the one carrying the record's version) as a browser
    would send it unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    reader = _FormReader()
    reader.feed(response.content.decode())
    for fields in reader.forms:
        names = [name for name, _value in fields]
        if "version" in names:
            data = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no form with a version on {url}")


def two_stale_pages(first, second, url):
    return edit_page(first, url), edit_page(second, url)


def events(action) -> int:
    return AuditEvent.objects.filter(action=action).count()


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def second_officer(personas):
    return make_user("oscar", [Role.OFFICER], personas.bureaus.county)


def test_the_second_save_of_an_application_from_a_stale_page_is_refused(personas, english):
    application = make_application(personas.applicant_a, make_call(personas.officer))
    url = reverse("projects:application_edit", args=[application.pk])
    tab_one, tab_two = signed_in(personas.applicant_a), signed_in(personas.applicant_a)
    page_one, page_two = two_stale_pages(tab_one, tab_two, url)
    before = events("projects.application.update")

    first = tab_one.post(url, {**page_one, "title": ["第一个标签页的标题"]})
    assert first.status_code == 302
    second = tab_two.post(url, {**page_two, "title": ["第二个标签页的标题"]})

    assert second.status_code == 200
    assert CONFLICT in second.content.decode()
    assert Application.objects.get(pk=application.pk).title == "第一个标签页的标题"
    assert events("projects.application.update") == before + 1


def test_saving_again_after_reloading_the_page_succeeds(personas, english):
    application = make_application(personas.applicant_a, make_call(personas.officer))
    url = reverse("projects:application_edit", args=[application.pk])
    client = signed_in(personas.applicant_a)
    assert client.post(url, {**edit_page(client, url), "title": ["一"]}).status_code == 302
    assert client.post(url, {**edit_page(client, url), "title": ["二"]}).status_code == 302
    assert Application.objects.get(pk=application.pk).title == "二"


def test_the_second_officer_editing_a_call_from_a_stale_page_is_refused(personas, english):
    call = make_call(personas.officer, publish=False)
    url = reverse("projects:call_edit", args=[call.pk])
    olivia, oscar = signed_in(personas.officer), signed_in(second_officer(personas))
    page_one, page_two = two_stale_pages(olivia, oscar, url)
    before = events("projects.call.update")

    assert olivia.post(url, {**page_one, "guide": ["奥利维亚的指南"]}).status_code == 302
    second = oscar.post(url, {**page_two, "guide": ["奥斯卡的指南"]})

    assert second.status_code == 200 and CONFLICT in second.content.decode()
    assert Call.objects.get(pk=call.pk).guide == "奥利维亚的指南"
    assert events("projects.call.update") == before + 1


def test_the_second_officer_editing_an_organization_from_a_stale_page_is_refused(personas, english):
    org = personas.org_a
    url = reverse("accounts:organization_edit", args=[org.pk])
    olivia, oscar = signed_in(personas.officer), signed_in(second_officer(personas))
    page_one, page_two = two_stale_pages(olivia, oscar, url)
    before = events("accounts.organization.update")

    assert olivia.post(url, {**page_one, "contact_name": ["王联系"]}).status_code == 302
    second = oscar.post(url, {**page_two, "contact_name": ["赵联系"]})

    assert second.status_code == 200 and CONFLICT in second.content.decode()
    assert Organization.objects.get(pk=org.pk).contact_name == "王联系"
    assert events("accounts.organization.update") == before + 1


def test_the_second_officer_editing_an_expert_from_a_stale_page_is_refused(personas, english):
    expert = make_expert(personas.officer)
    url = reverse("review:expert_edit", args=[expert.pk])
    olivia, oscar = signed_in(personas.officer), signed_in(second_officer(personas))
    page_one, page_two = two_stale_pages(olivia, oscar, url)
    before = events("review.expert.update")

    assert olivia.post(url, {**page_one, "title": ["教授"]}).status_code == 302
    second = oscar.post(url, {**page_two, "title": ["副研究员"]})

    assert second.status_code == 200 and CONFLICT in second.content.decode()
    assert Expert.objects.get(pk=expert.pk).title == "教授"
    assert events("review.expert.update") == before + 1


def test_a_version_is_a_timestamp_where_the_row_has_one_and_a_digest_otherwise(personas):
    application = make_application(personas.applicant_a, make_call(personas.officer))
    assert version_of(application) == application.updated_at.isoformat()
    call = make_call(personas.officer, publish=False)
    token = version_of(call)
    assert version_of(Call.objects.get(pk=call.pk)) == token
    call.guide = "改了"
    assert version_of(call) != token


def test_update_fields_without_a_version_checks_nothing(personas):
    """Services called without a page (imports, the API) keep working as before."""
    call = make_call(personas.officer, publish=False)
    stale = Call.objects.get(pk=call.pk)
    update_fields(call, "projects.call.update", ["guide"], {"guide": "一"})
    fresh = update_fields(stale, "projects.call.update", ["guide"], {"guide": "二"})
    assert fresh.guide == "二"
