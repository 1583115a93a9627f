"""Two people spending the same money at the same moment, on a real PostgreSQL server.

Each race runs in two threads, each with its own database connection. A barrier holds
both until they are inside their transactions, then lets them go together; the row locks
in `funds.services` must make one of them wait, see the other's result and be refused.
SQLite serializes writers anyway, so these run only on PostgreSQL (scripts/postgres.sh).
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from keguan.accounts.roles import Role
from keguan.audit.models import AuditEvent
from keguan.core.workflow import TransitionError
from keguan.funds import services as funds
from keguan.funds.models import Allocation, Disbursement, Fund
from keguan.projects.models import Application, Project
from keguan.projects.workflow import APPLICATION_WORKFLOW
from keguan.review.models import Meeting
from keguan.review.workflow import MEETING_WORKFLOW
from tests.factories import make_user
from tests.projects.factories import make_call, make_fund, reviewed_application
from tests.projects.states import decide, draft_meeting, stage

pytestmark = pytest.mark.django_db(transaction=True)

A = Application.State
TIMEOUT = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only raced on PostgreSQL (run under scripts/postgres.sh)")


def race(*jobs) -> list[tuple[str, object]]:
    """Run each job in its own thread (and so its own connection); return what each
    returned ("ok", value) or raised ("refused", error), in the order of JOBS."""
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            results[index] = ("ok", job())
        except (TransitionError, ValidationError) as exc:
            results[index] = ("refused", exc)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    assert all(result is not None and result[0] != "error" for result in results), results
    return results


def test_two_meetings_released_at_once_cannot_allocate_more_than_the_fund_has(
    personas, transactional_db, monkeypatch
):
    """The county's decisions are taken only by releasing a decision meeting. Two meetings,
    each approving 80000 of the same 100000-yuan fund (staging does not look at what the
    fund has left: the release does, under the fund's lock), are released by two leaders
    at the same moment: one goes through, the other is refused whole."""
    call = make_call(personas.officer)
    fund = make_fund(personas.officer, amount="100000")
    first = reviewed_application(personas.applicant_a, personas.officer, call)
    second = reviewed_application(personas.applicant_b, personas.officer, call)
    second_leader = make_user("lena", [Role.LEADER], personas.leader.bureau)
    meetings = []
    for application in (first, second):
        meeting = draft_meeting(personas.leader)
        stage(personas.leader, meeting, application, "80000", fund)
        meetings.append(meeting)
    both_inside = threading.Barrier(2, timeout=TIMEOUT)
    reserve = funds.reserve

    def reserve_once_both_releases_are_under_way(*args, **kwargs):
        # Both transactions are open and each holds its own meeting's and application's
        # locks; neither has looked at the fund yet. From here the fund's lock alone decides
        # the order.
        both_inside.wait()
        return reserve(*args, **kwargs)

    monkeypatch.setattr(funds, "reserve", reserve_once_both_releases_are_under_way)

    def release(leader, meeting):
        return lambda: MEETING_WORKFLOW.apply(leader, meeting, "release")

    results = race(release(personas.leader, meetings[0]), release(second_leader, meetings[1]))

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["ok", "refused"]
    [refusal] = [value for kind, value in results if kind == "refused"]
    assert refusal.code == "guard_refused"
    assert "20000" in refusal.message
    assert funds.allocated(fund) == Decimal("80000") <= Fund.objects.get(pk=fund.pk).amount
    assert Allocation.objects.count() == 1
    # The refused release changed nothing: its meeting is still being recorded, its
    # application still awaits a decision.
    states = sorted(Application.objects.filter(pk__in=(first.pk, second.pk)).values_list("state"))
    assert states == sorted([(A.IN_NOTICE,), (A.REVIEWED,)])
    released = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).values_list("state")
    assert sorted(released) == sorted([(Meeting.State.RELEASED,), (Meeting.State.DRAFT,)])
    assert AuditEvent.objects.filter(action="review.meeting.release").count() == 1
    assert AuditEvent.objects.filter(action="projects.application.decide_approve").count() == 1
    assert AuditEvent.objects.filter(action="funds.allocation.reserve").count() == 1


def test_two_officers_paying_tranches_at_once_cannot_pay_more_than_approved(
    personas, transactional_db, monkeypatch
):
    call = make_call(personas.officer)
    fund = make_fund(personas.officer, amount="100000")
    application = reviewed_application(personas.applicant_a, personas.officer, call)
    application = decide(personas, application, "80000", fund)  # a released meeting
    APPLICATION_WORKFLOW.apply(personas.officer, application, "confirm", automatic=True)
    project = Project.objects.get(application=application)
    assert project.approved_amount == Decimal("80000")
    both_inside = threading.Barrier(2, timeout=TIMEOUT)
    disbursed_total = funds.disbursed_total

    def slow_disbursed_total(locked_project):
        # Hold the gap between reading what was paid and saving the new tranche open a
        # moment, so that without the project's lock both racers would read 0 and pay.
        total = disbursed_total(locked_project)
        time.sleep(0.3)
        return total

    monkeypatch.setattr(funds, "disbursed_total", slow_disbursed_total)

    def pay(voucher, officer):
        def job():
            with transaction.atomic():
                # The transaction is open but takes nothing yet; both start it, then go.
                Project.objects.get(pk=project.pk)
                both_inside.wait()
                return funds.record_disbursement(
                    officer,
                    project,
                    {"amount": "50000", "paid_on": "2026-09-01", "voucher_number": voucher},
                )

        return job

    results = race(pay("记-101", personas.officer), pay("记-102", personas.city_officer))

    assert sorted(kind for kind, _ in results) == ["ok", "refused"]
    [refusal] = [value for kind, value in results if kind == "refused"]
    assert "30000" in refusal.message_dict["amount"][0]
    assert Disbursement.objects.count() == 1
    assert disbursed_total(project) == Decimal("50000") <= project.approved_amount
    assert AuditEvent.objects.filter(action="funds.disbursement.create").count() == 1
