"""Programs, calls, applications and projects for tests, made through the services."""

import datetime as dt
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from stdnum.cn import ric

from keguan.accounts.models import Bureau
from keguan.funds import services as funds
from keguan.projects import services
from keguan.projects.models import Application, Call
from keguan.projects.workflow import APPLICATION_WORKFLOW, CALL_WORKFLOW

_counter = itertools.count(1)

# The smallest valid PDF keguan's content check accepts.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_id_number(birth: str = "19800101") -> str:
    """A well-formed resident ID number (valid check digit) for region 361127."""
    body = f"361127{birth}{next(_counter) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function skips the last character


def make_program(officer, name: str = "", level: str = Bureau.Level.COUNTY, **extra):
    data = {"name": name or f"测试计划{next(_counter)}", "level": level, "body": "县科技局"}
    data.update(extra)
    return services.create_program(officer, data)


def make_call(officer, program=None, publish: bool = True, **extra) -> Call:
    """A call open from yesterday to thirty days from now (published unless told not)."""
    now = timezone.now()
    data = {
        "program": program or make_program(officer),
        "year": timezone.localdate().year,
        "title": f"{timezone.localdate().year}年度科技计划项目申报指南{next(_counter)}",
        "guide": "申报要求见附件。",
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=30),
        "eligible_kinds": [],
        "max_per_organization": 2,
        "required_attachments": [],
        "budget_ceiling": Decimal("200000"),
    }
    data.update(extra)
    call = services.create_call(officer, data)
    if publish:
        call = CALL_WORKFLOW.apply(officer, call, "publish")
    return call


def make_application(applicant, call, complete: bool = True, **extra) -> Application:
    """A draft application of the applicant's organization; complete enough to submit."""
    data = {
        "title": extra.pop("title", f"特种水稻高产栽培技术示范{next(_counter)}"),
        "summary": extra.pop("summary", "在四股桥乡推广特种水稻高产栽培技术。"),
        "discipline_code": "21040",
        "field": "农业",
        "start_on": dt.date(call.year, 7, 1),
        "end_on": dt.date(call.year + 1, 12, 31),
    }
    data.update(extra)
    application = services.start_application(applicant, call, data=data)
    if complete:
        services.replace_team(
            applicant,
            application,
            [
                {
                    "name": "杨玉梁",
                    "unit": applicant.organization.name,
                    "role": "leader",
                    "title": "高级农艺师",
                    "id_number": extra.get("leader_id_number") or make_id_number(),
                },
                {
                    "name": "李明",
                    "unit": applicant.organization.name,
                    "role": "member",
                    "id_number": make_id_number("19900202"),
                },
            ],
        )
        services.replace_budget(
            applicant,
            application,
            [
                {
                    "category": "equipment",
                    "requested": Decimal("60000"),
                    "self_raised": Decimal("40000"),
                },
                {
                    "category": "materials",
                    "requested": Decimal("40000"),
                    "self_raised": Decimal("10000"),
                },
            ],
        )
    return Application.objects.get(pk=application.pk)


def submitted_application(applicant, call, **extra) -> Application:
    application = make_application(applicant, call, **extra)
    return APPLICATION_WORKFLOW.apply(applicant, application, "submit")


def reviewed_application(applicant, officer, call, score: str = "85") -> Application:
    application = submitted_application(applicant, call)
    application = APPLICATION_WORKFLOW.apply(officer, application, "pass_check")
    # The score a closed review round gives (the round's close applies this transition).
    return APPLICATION_WORKFLOW.apply(
        officer, application, "record_review", {"score": score}, automatic=True
    )


def make_fund(officer, amount="650000", year=None, kind="science_budget"):
    return funds.create_fund(
        officer, officer.bureau, kind, year or timezone.localdate().year, amount
    )


def pdf_upload(name: str = "可行性报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
