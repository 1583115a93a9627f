"""Histories name what happened in words, not event codes."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from keguan.audit.labels import label_for
from keguan.projects.workflow import APPLICATION_WORKFLOW
from tests.factories import sign_in
from tests.projects.factories import make_call, submitted_application

ROOT = Path(__file__).resolve().parents[2] / "keguan"
RECORDED = re.compile(r'record\(\s*"([a-z_]+\.[a-z_.]+)"|"([a-z_]+\.[a-z_]+\.[a-z_]+)",\s*obj=')


def test_every_event_code_recorded_in_the_code_has_a_label():
    codes = set()
    for path in ROOT.rglob("*.py"):
        for match in RECORDED.finditer(path.read_text(encoding="utf-8")):
            codes.add(match.group(1) or match.group(2))
    assert len(codes) > 30
    unnamed = sorted(code for code in codes if label_for(code) == code)
    assert not unnamed, f"give these event codes a label: {unnamed}"


def test_every_workflow_transition_is_named_by_its_button_label():
    for transition in APPLICATION_WORKFLOW.transitions:
        code = f"{APPLICATION_WORKFLOW.name}.{transition.action}"
        assert label_for(code) == str(transition.label)


@pytest.mark.django_db
def test_the_application_history_reads_in_words(client, personas):
    application = submitted_application(personas.applicant_a, make_call(personas.officer))
    APPLICATION_WORKFLOW.apply(personas.officer, application, "pass_check")
    sign_in(client, personas.officer)
    page = client.get(reverse("projects:application_detail", args=[application.pk])).text
    assert "形式审查通过" in page
    assert ">projects.application.pass_check<" not in page
