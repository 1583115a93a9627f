"""The benchmark's data generator: realistic rows whose audit chain verifies."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keguan.audit import chain
from keguan.audit.models import AuditEvent
from keguan.bench.data import RANKED_ROUND_SIZE, SCALES, generate
from keguan.bench.load import _pdf, percentile
from keguan.funds.models import Disbursement
from keguan.projects.models import Application, Project
from keguan.review.models import Assignment, Round, Score

pytestmark = pytest.mark.django_db


def test_a_generated_county_has_its_rows_and_an_audit_chain_that_verifies():
    scale = SCALES["county"]
    generate("county", write=lambda _line: None)

    assert Application.objects.count() == scale.applications + RANKED_ROUND_SIZE
    approved = Application.objects.filter(state=Application.State.APPROVED).count()
    assert Project.objects.count() == approved > 0
    assert Disbursement.objects.filter(project__isnull=False).count() >= approved
    ranked = Round.objects.filter(entries__isnull=False).distinct()
    assert max(r.entries.count() for r in ranked) == RANKED_ROUND_SIZE
    assert Score.objects.count() == Assignment.objects.count() * 5
    result = chain.verify()
    assert result.ok, result.problem
    assert result.count == AuditEvent.objects.count() >= scale.events


def test_synthetic_id_numbers_are_well_formed_and_reproducible():
    import random

    from stdnum.cn import ric

    from keguan.bench import rows

    first = rows.id_number(random.Random(1), "361127")
    # The check character is right (the birth place of synthetic people need not be).
    assert len(first) == 18 and ric.calc_check_digit(first) == first[-1]
    assert first == rows.id_number(random.Random(1), "361127")


def test_bench_data_refuses_a_database_that_has_data(personas):
    with pytest.raises(CommandError, match="empty database"):
        call_command("bench_data", "--scale", "county")


def test_the_load_generator_percentiles_and_its_pdf_pass_the_upload_check(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from keguan.projects import attachments
    from tests.projects.factories import make_call

    assert percentile([5, 1, 4, 2, 3], 0.5) == 3
    assert percentile(list(range(101)), 0.95) == 95
    call = make_call(personas.officer)
    from keguan.projects import services

    application = services.start_application(personas.applicant_a, call, None, {"title": "t"})
    stored = attachments.store(
        personas.applicant_a,
        SimpleUploadedFile("a.pdf", _pdf(0.05), "application/pdf"),
        kind="feasibility_report",
        application=application,
    )
    assert stored.content_type == "application/pdf"
