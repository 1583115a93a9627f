"""The demo county's public portal: notices of the seed's years, one running now, petitions.

- Historical notices: a project-approval notice for every county call of 2006–2011 that
  approved applications (its items from them, with the amounts granted), and the award
  notices of `demo_data.AWARDS` (the county S&T progress awards and the 2009 recommendation
  for the city's special contribution award; person names, as award notices carry them).
  Each is published now and then put back in its year by `backdate_notice_for_import`,
  which ends it (the projects demo approved those applications already, so nothing moves).
- One notice running now: this year's applications in public notice, published today, with
  one objection from a named person that the officer has taken on (investigating). Loaded
  on a weekend or holiday, the period starts on the next working day and objections are
  not taken before it: that load leaves the notice without an objection.
- Petitions in every state, filed through the public form's service and handled by the
  demo inspector: received, acknowledged and assigned, concluded with a reply, one whose
  time limit was extended, one anonymous, one about a named officer (hidden from him).

Everything goes through the services and workflows; loading is idempotent (a notice or a
petition whose title or subject exists is left as it is). A petition's tracking code is
shown once; the demo keeps the code of one petition in the data directory so that the
demo command can print it on every start.
"""

import contextlib
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from keguan.accounts.models import Bureau, User
from keguan.audit.context import acting_as, actor_for, current_actor
from keguan.core.demo import COUNTY
from keguan.portal import services
from keguan.portal.demo_data import (
    APPROVAL_BODY,
    AWARDS,
    CONTACT,
    OBJECTION,
    PETITIONS,
    PRINTED_PETITION,
    RUNNING_TITLE,
)
from keguan.portal.models import Notice, NoticeKind, Petition
from keguan.portal.workflow import NOTICE_WORKFLOW, OBJECTION_WORKFLOW, PETITION_WORKFLOW
from keguan.projects.models import Application, Call

FIRST_YEAR, LAST_YEAR = 2006, 2011
CODE_FILE = "demo-tracking-code.txt"


def load(stdout=None) -> str | None:
    """Load what is missing of the portal demo; return the tracking code to try (or None
    when the code kept from the first load is gone)."""
    county = Bureau.objects.get(region_code=COUNTY)
    officer = User.objects.get(username="officer")
    inspector = User.objects.get(username="inspector")
    with acting_as(officer), transaction.atomic():
        existing = set(Notice.objects.filter(bureau=county).values_list("title", flat=True))
        _approval_notices(officer, county, existing)
        _award_notices(officer, existing)
        _running_notice(officer, existing)
    with transaction.atomic():
        code = _petitions(county, inspector)
    if code is not None:
        _keep_code(code)
    return tracking_code()


@contextlib.contextmanager
def _as_public():
    """Objections and petitions come from the public form: the trail names no account."""
    token = current_actor.set(actor_for(None))
    try:
        yield
    finally:
        current_actor.reset(token)


# Notices -----------------------------------------------------------------------------------
def _historical(officer, data: dict, items: list[dict], first_day: dt.date) -> Notice:
    notice = services.create_notice(officer, {"contact": CONTACT, **data})
    services.replace_items(officer, notice, items)
    notice = NOTICE_WORKFLOW.apply(officer, notice, "publish")
    return services.backdate_notice_for_import(officer, notice, first_day)


def _approval_notices(officer, county: Bureau, existing: set[str]) -> None:
    """One notice per county call of the seed's years with approved applications, starting
    a few days after the round's decision."""
    calls = Call.objects.filter(
        bureau=county, program__level=Bureau.Level.COUNTY, year__range=(FIRST_YEAR, LAST_YEAR)
    ).select_related("program")
    for call in calls.order_by("year", "pk"):
        title = f"{call.year}年度{call.program.name}拟立项项目公示"
        if title in existing:
            continue
        approved = list(
            Application.objects.filter(call=call, state=Application.State.APPROVED)
            .select_related("organization")
            .order_by("pk")
        )
        if not approved:
            continue
        decided = max(a.decided_at or call.closes_at for a in approved)
        items = [
            {
                "application": a,
                "title": a.title,
                "unit": a.organization.name,
                "amount": a.granted_amount,
            }
            for a in approved
        ]
        data = {
            "kind": NoticeKind.PROJECT_APPROVAL,
            "title": title,
            "body": APPROVAL_BODY.format(year=call.year, program=call.program.name),
        }
        first_day = timezone.localdate(decided) + dt.timedelta(days=3)
        _historical(officer, data, items, first_day)


def _award_notices(officer, existing: set[str]) -> None:
    for _year, (y, m, d), title, body, rows in AWARDS:
        if title in existing:
            continue
        items = [
            {"title": what, "unit": unit, "person_name": person, "detail": detail}
            for what, unit, person, detail in rows
        ]
        data = {"kind": NoticeKind.AWARD, "title": title, "body": body}
        _historical(officer, data, items, dt.date(y, m, d))


def _running_notice(officer, existing: set[str]) -> None:
    """This year's applications in public notice, published today, one objection taken on."""
    year = timezone.localdate().year
    title = RUNNING_TITLE.format(year=year)
    if title in existing:
        return
    applications = list(services.awaiting_notice(officer).filter(call__year=year))
    if not applications:
        return
    notice = services.notice_for_applications(
        officer,
        applications,
        {
            "title": title,
            "body": APPROVAL_BODY.format(year=year, program="县科技计划"),
            "contact": CONTACT,
        },
    )
    notice = NOTICE_WORKFLOW.apply(officer, notice, "publish")
    if services.objection_refusal(notice):
        # Published on a weekend or holiday, the period starts on the next working day and
        # objections are taken from then: the demo loaded today has none to show.
        return
    item = notice.items.filter(unit=OBJECTION["unit"]).first() or notice.items.first()
    data = {k: v for k, v in OBJECTION.items() if k != "unit"}
    with _as_public():
        objection = services.submit_objection(notice, {**data, "item": item})
    OBJECTION_WORKFLOW.apply(officer, objection, "investigate")


# Petitions ---------------------------------------------------------------------------------
def _petitions(county: Bureau, inspector) -> str | None:
    """File and handle the petitions not there yet; the printed one's code when filed now."""
    code_to_keep = None
    existing = set(Petition.objects.filter(bureau=county).values_list("subject", flat=True))
    for key, kind, anonymous, name, contact, subject, text, concerns, state, note in PETITIONS:
        if subject in existing:
            continue
        with _as_public():
            petition, code = services.file_petition(
                county,
                {
                    "kind": kind,
                    "anonymous": anonymous,
                    "name": name,
                    "contact": contact,
                    "subject": subject,
                    "text": text,
                    "concerns_name": concerns,
                },
            )
        if key == PRINTED_PETITION:
            code_to_keep = code
        if state == "received":
            continue
        services.assign_petition(inspector, petition, inspector)
        petition = PETITION_WORKFLOW.apply(inspector, petition, "acknowledge")
        if state == "concluded":
            PETITION_WORKFLOW.apply(inspector, petition, "conclude", {"note": note})
        elif state == "extended":
            services.extend_petition(inspector, petition, note)
    return code_to_keep


def _code_path():
    return settings.DATA_DIR / CODE_FILE


def _keep_code(code: str) -> None:
    try:
        _code_path().parent.mkdir(parents=True, exist_ok=True)
        _code_path().write_text(code + "\n", encoding="utf-8")
    except OSError:
        pass  # the demo runs on; the command then prints no code


def tracking_code() -> str | None:
    """The kept tracking code of the demo petition, when it still finds that petition."""
    try:
        code = _code_path().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    petition = services.lookup(code)
    subject = next(row[5] for row in PETITIONS if row[0] == PRINTED_PETITION)
    return code if petition is not None and petition.subject == subject else None
