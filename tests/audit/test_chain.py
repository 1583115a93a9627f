"""The audit chain names the first event that was edited, removed, reordered or inserted."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from keguan.audit import services as audit
from keguan.audit import triggers
from keguan.audit.chain import verify
from keguan.audit.guard import AuditBypassError
from keguan.audit.models import AuditEvent
from tests.factories import make_bureau, make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(db):
    bureau = make_bureau("361127", "县科技局")
    for n in range(4):
        make_organization(bureau, f"单位{n}")
    assert AuditEvent.objects.count() == 5
    return bureau


def tamper(sql: str, params=()) -> None:
    """Run SQL on the audit table with its append-only triggers out of the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            # Dropped inside the test's transaction: rolled back with it.
            triggers.drop(connection)
            cursor.execute(sql, params)


def assert_verify_names(seq: int, capsys=None) -> None:
    result = verify()
    assert not result.ok
    assert result.broken_seq == seq
    with pytest.raises(CommandError, match=f"broken at event {seq}"):
        call_command("audit", "verify")


def test_an_untouched_chain_verifies(chain, capsys):
    assert verify().ok
    call_command("audit", "verify")
    assert capsys.readouterr().out.strip() == "ok: 5 events"


def test_editing_an_event_is_named(chain):
    tamper("UPDATE audit_auditevent SET actor_username = 'mallory' WHERE seq = 3")
    assert_verify_names(3)


def test_deleting_an_event_is_named(chain):
    tamper("DELETE FROM audit_auditevent WHERE seq = 2")
    assert_verify_names(3)


def test_deleting_the_last_event_is_noticed_by_the_head(chain):
    tamper("DELETE FROM audit_auditevent WHERE seq = 5")
    assert_verify_names(5)


def test_reordering_events_is_named(chain):
    tamper("UPDATE audit_auditevent SET seq = -1 WHERE seq = 2")
    tamper("UPDATE audit_auditevent SET seq = 2 WHERE seq = 4")
    tamper("UPDATE audit_auditevent SET seq = 4 WHERE seq = -1")
    assert_verify_names(2)


def test_inserting_an_event_with_raw_sql_is_named(chain):
    last = AuditEvent.objects.get(seq=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (seq, at, actor_username, roles, action, object_type,"
            " object_id, result, prev_hash, hash) VALUES (%s, %s, 'mallory', '', 'forged', '',"
            " '', 'ok', %s, %s)",
            [6, last.at, last.hash, "f" * 64],
        )
    assert_verify_names(6)


def test_the_database_refuses_to_update_or_delete_events(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=1).delete()
    assert verify().ok


def test_an_audited_model_cannot_change_without_an_event(chain):
    org = make_organization(chain, "丙单位")
    org.name = "改名"
    with pytest.raises(AuditBypassError):
        org.save()
    with pytest.raises(AuditBypassError):
        type(org).objects.filter(pk=org.pk).update(name="改名")
    with pytest.raises(AuditBypassError), audit.writing():
        org.save()  # inside the door but recording nothing: rolled back
    org.refresh_from_db()
    assert org.name == "丙单位"


def test_a_change_and_its_event_roll_back_together(chain):
    org = make_organization(chain, "丁单位")
    count = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), audit.writing():
        org.name = "改名"
        org.save()
        audit.record("test.change", obj=org)
        raise RuntimeError("the disk is full")
    org.refresh_from_db()
    assert org.name == "丁单位"
    assert AuditEvent.objects.count() == count
    assert verify().ok


def test_recorded_values_hold_no_secrets_and_no_full_id_numbers(chain):
    event = audit.record(
        "test.redact",
        object_type="x",
        after={"password": "hunter2", "token": "abc", "id_number": "36112719800101123X", "ok": 1},
    )
    assert event.after == {"id_number": "361***********123X", "ok": 1}
