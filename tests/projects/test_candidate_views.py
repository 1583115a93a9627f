"""The reserve pool through the web: who sees which candidate, who may change or guide it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from keguan.accounts.models import Bureau
from keguan.projects import services
from keguan.projects.models import Candidate, FollowUp
from keguan.projects.workflow import CANDIDATE_WORKFLOW
from tests.factories import sign_in
from tests.projects.factories import make_call, make_program

pytestmark = pytest.mark.django_db


def make_candidate(user, organization, **extra) -> Candidate:
    data = {
        "title": extra.pop("title", "富硒茶叶深加工"),
        "field": "农业",
        "summary": "茶叶深加工技术。",
        "maturity": "developing",
        "target_level": Bureau.Level.COUNTY,
        "expected_funding": "150000",
    }
    data.update(extra)
    return services.create_candidate(user, organization, data)


def form_data(**changes):
    data = {
        "title": "富硒茶叶深加工",
        "field": "农业",
        "summary": "",
        "maturity": "idea",
        "target_level": "county",
        "expected_funding": "100000",
    }
    data.update(changes)
    return data


def detail(pk):
    return reverse("projects:candidate_detail", kwargs={"pk": pk})


def action(pk, name):
    return reverse("projects:candidate_action", kwargs={"pk": pk, "action": name})


# Seeing candidates.
def test_an_applicant_lists_only_its_own_organizations_candidates(client, personas):
    ours = make_candidate(personas.applicant_a, personas.org_a)
    theirs = make_candidate(personas.applicant_b, personas.org_b, title="乙的秘密项目")
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("projects:candidate_list"))
    assert set(response.context["page"]) == {ours}
    assert theirs.title not in response.content.decode()


def test_an_officer_lists_the_jurisdiction_and_never_the_neighbours(client, personas):
    a = make_candidate(personas.applicant_a, personas.org_a)
    b = make_candidate(personas.applicant_b, personas.org_b)
    far = make_candidate(personas.neighbour_officer, personas.org_far)
    sign_in(client, personas.officer)
    assert set(client.get(reverse("projects:candidate_list")).context["page"]) == {a, b}
    assert client.get(detail(far.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["applicant_b", "neighbour_officer", "expert", "liaison"])
def test_others_never_see_org_as_candidate(client, personas, persona):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, getattr(personas, persona))
    assert client.get(detail(candidate.pk)).status_code == 404


@pytest.mark.parametrize("persona", ["applicant_a", "officer", "leader", "inspector"])
def test_the_candidates_own_unit_and_the_bureau_staff_read_it(client, personas, persona):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, getattr(personas, persona))
    assert client.get(detail(candidate.pk)).status_code == 200


def test_the_list_filters_by_state_level_officer_organization_and_text(client, personas):
    tea = make_candidate(personas.officer, personas.org_a, guiding_officer=personas.officer)
    rice = make_candidate(
        personas.applicant_b, personas.org_b, title="水稻育种", target_level="municipal"
    )
    CANDIDATE_WORKFLOW.apply(personas.officer, rice, "mark_ready")
    sign_in(client, personas.officer)
    url = reverse("projects:candidate_list")
    assert set(client.get(url, {"state": "ready"}).context["page"]) == {rice}
    assert set(client.get(url, {"target_level": "municipal"}).context["page"]) == {rice}
    assert set(client.get(url, {"guiding_officer": personas.officer.pk}).context["page"]) == {tea}
    assert set(client.get(url, {"organization": personas.org_b.pk}).context["page"]) == {rice}
    assert set(client.get(url, {"q": "乙企业"}).context["page"]) == {rice}
    assert set(client.get(url, {"q": "茶叶"}).context["page"]) == {tea}


@pytest.mark.parametrize("persona", ["officer", "applicant_a"])
def test_candidate_list_queries_do_not_grow_with_rows(
    client, personas, persona, django_assert_max_num_queries
):
    make_candidate(personas.officer, personas.org_a, guiding_officer=personas.officer)
    sign_in(client, getattr(personas, persona))
    url = reverse("projects:candidate_list")
    client.get(url)
    with django_assert_max_num_queries(15) as one:
        client.get(url)
    for n in range(4):
        make_candidate(
            personas.officer, personas.org_a, title=f"项目{n}", guiding_officer=personas.officer
        )
    with django_assert_max_num_queries(len(one.captured_queries)) as five:
        response = client.get(url)
    assert len(response.context["page"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# Adding and editing.
def test_an_officer_adds_a_candidate_for_a_unit_and_pairs_an_officer(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("projects:candidate_create"),
        form_data(organization=personas.org_a.pk, guiding_officer=personas.officer.pk),
    )
    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert candidate.organization == personas.org_a
    assert candidate.bureau == personas.bureaus.county
    assert candidate.guiding_officer == personas.officer


def test_an_officer_cannot_add_for_the_neighbours_unit(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("projects:candidate_create"), form_data(organization=personas.org_far.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["organization"]
    assert not Candidate.objects.exists()


def test_the_guiding_officer_must_be_an_officer_of_the_bureau(client, personas):
    sign_in(client, personas.officer)
    response = client.post(
        reverse("projects:candidate_create"),
        form_data(organization=personas.org_a.pk, guiding_officer=personas.neighbour_officer.pk),
    )
    assert response.context["form"].errors["guiding_officer"]
    assert not Candidate.objects.exists()


def test_an_applicant_adds_a_candidate_for_its_own_unit_whatever_it_posts(client, personas):
    sign_in(client, personas.applicant_a)
    client.post(
        reverse("projects:candidate_create"),
        form_data(organization=personas.org_b.pk, guiding_officer=personas.officer.pk),
    )
    candidate = Candidate.objects.get()
    assert candidate.organization == personas.org_a
    assert candidate.guiding_officer is None


def test_a_missing_title_is_named_beside_the_field(client, personas):
    sign_in(client, personas.applicant_a)
    response = client.post(reverse("projects:candidate_create"), form_data(title=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"]
    assert str(form["title"].label) in response.content.decode()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("persona", ["liaison", "leader", "inspector", "expert"])
def test_others_cannot_add_candidates(client, personas, persona):
    sign_in(client, getattr(personas, persona))
    response = client.post(
        reverse("projects:candidate_create"), form_data(organization=personas.org_a.pk)
    )
    assert response.status_code == 404
    assert not Candidate.objects.exists()


def test_the_applicant_edits_its_own_candidate(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.applicant_a)
    url = reverse("projects:candidate_edit", kwargs={"pk": candidate.pk})
    assert client.post(url, form_data(title="富硒茶叶精深加工")).status_code == 302
    candidate.refresh_from_db()
    assert candidate.title == "富硒茶叶精深加工"


def test_applicant_b_cannot_edit_org_as_candidate(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.applicant_b)
    url = reverse("projects:candidate_edit", kwargs={"pk": candidate.pk})
    assert client.post(url, form_data(title="被改了")).status_code == 404
    candidate.refresh_from_db()
    assert candidate.title == "富硒茶叶深加工"


def test_a_dropped_candidate_cannot_be_edited(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    CANDIDATE_WORKFLOW.apply(personas.officer, candidate, "drop", {"note": "不再申报"})
    sign_in(client, personas.applicant_a)
    url = reverse("projects:candidate_edit", kwargs={"pk": candidate.pk})
    assert client.post(url, form_data(title="被改了")).status_code == 404
    candidate.refresh_from_db()
    assert candidate.title == "富硒茶叶深加工"


# Follow-up notes.
def test_the_officer_logs_a_dated_follow_up(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.officer)
    url = reverse("projects:candidate_follow_up", kwargs={"pk": candidate.pk})
    today = timezone.localdate().isoformat()
    response = client.post(url, {"on": today, "kind": "visit", "text": "上门指导申报书编写"})
    assert response.status_code == 302
    note = FollowUp.objects.get(candidate=candidate)
    assert note.author == personas.officer and note.kind == "visit"
    assert "上门指导申报书编写" in client.get(detail(candidate.pk)).content.decode()


def test_a_follow_up_in_the_future_is_refused_beside_the_date(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.officer)
    url = reverse("projects:candidate_follow_up", kwargs={"pk": candidate.pk})
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"on": tomorrow, "kind": "visit", "text": "计划走访"})
    assert response.status_code == 200
    assert response.context["follow_up_form"].errors["on"]
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("persona", ["applicant_a", "leader", "neighbour_officer"])
def test_only_the_bureaus_officers_log_follow_ups(client, personas, persona):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, getattr(personas, persona))
    url = reverse("projects:candidate_follow_up", kwargs={"pk": candidate.pk})
    today = timezone.localdate().isoformat()
    assert client.post(url, {"on": today, "kind": "visit", "text": "x"}).status_code == 404
    assert not FollowUp.objects.exists()


def test_the_applicant_sees_no_follow_up_form(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.applicant_a)
    assert client.get(detail(candidate.pk)).context["follow_up_form"] is None


# Workflow actions.
def test_the_officer_marks_a_candidate_ready_and_back(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.officer)
    client.post(action(candidate.pk, "mark_ready"), {"expected_state": "watching"})
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.READY
    client.post(action(candidate.pk, "unready"), {"expected_state": "ready"})
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.WATCHING


def test_the_applicant_cannot_mark_its_own_candidate_ready(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.applicant_a)
    assert client.post(action(candidate.pk, "mark_ready")).status_code == 404
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.WATCHING


def test_dropping_needs_a_reason_and_can_be_undone_by_the_officer(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.applicant_a)
    client.post(action(candidate.pk, "drop"), {"note": ""})
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.WATCHING
    client.post(action(candidate.pk, "drop"), {"note": "资金不足，暂缓"})
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.DROPPED
    sign_in(client, personas.officer)
    client.post(action(candidate.pk, "revive"))
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.WATCHING


def test_nobody_takes_the_automatic_apply_action_by_hand(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.officer)
    assert client.post(action(candidate.pk, "apply")).status_code == 404
    candidate.refresh_from_db()
    assert candidate.state == Candidate.State.WATCHING


# Applying from the pool.
def test_a_ready_candidate_offers_the_matching_open_call_to_its_applicant(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    CANDIDATE_WORKFLOW.apply(personas.officer, candidate, "mark_ready")
    matching = make_call(personas.officer)
    other_level = make_call(
        personas.officer, make_program(personas.officer, level=Bureau.Level.PROVINCIAL)
    )
    barred = make_call(personas.officer, eligible_kinds=["university"])
    draft = make_call(personas.officer, publish=False)
    sign_in(client, personas.applicant_a)
    response = client.get(detail(candidate.pk))
    assert response.context["open_calls"] == [matching]
    body = response.content.decode()
    assert reverse("projects:application_start", kwargs={"pk": matching.pk}) in body
    assert f'name="candidate" value="{candidate.pk}"' in body
    for call in (other_level, barred, draft):
        assert reverse("projects:application_start", kwargs={"pk": call.pk}) not in body


def test_officers_and_dropped_candidates_get_no_apply_button(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    make_call(personas.officer)
    sign_in(client, personas.officer)
    assert client.get(detail(candidate.pk)).context["open_calls"] == []
    CANDIDATE_WORKFLOW.apply(personas.officer, candidate, "drop", {"note": "放弃"})
    sign_in(client, personas.applicant_a)
    assert client.get(detail(candidate.pk)).context["open_calls"] == []


def test_a_watching_candidate_of_a_city_level_target_sees_the_citys_call(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a, target_level="municipal")
    city_call = make_call(
        personas.city_officer, make_program(personas.city_officer, level=Bureau.Level.MUNICIPAL)
    )
    sign_in(client, personas.applicant_a)
    assert client.get(detail(candidate.pk)).context["open_calls"] == [city_call]


def test_the_filter_answers_htmx_with_the_results_table_only(client, personas):
    candidate = make_candidate(personas.applicant_a, personas.org_a)
    sign_in(client, personas.applicant_a)
    response = client.get(reverse("projects:candidate_list"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert candidate.title in body and "<html" not in body
