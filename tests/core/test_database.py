"""The suite runs on the database it was asked for: SQLite, or the PostgreSQL the test
command starts."""

import os

import pytest
from django.db import DatabaseError, connection, transaction

pytestmark = pytest.mark.django_db


def test_the_suite_runs_on_the_configured_database():
    expected = "postgresql" if os.environ.get("KEGUAN_DATABASE_URL") else "sqlite"
    assert connection.vendor == expected


@pytest.mark.skipif(not os.environ.get("KEGUAN_DATABASE_URL"), reason="PostgreSQL only")
def test_postgresql_refuses_to_truncate_the_audit_trail():
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")


@pytest.mark.django_db
def test_optimize_gives_sqlite_planner_statistics_and_is_harmless_elsewhere(personas):
    from django.db import connection

    from keguan.core.database import optimize

    optimize(full=True)
    optimize()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1")
            assert cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_migrate_leaves_sqlite_with_planner_statistics(personas):
    """An index a migration adds is used well only once SQLite has statistics for it."""
    from django.core.management import call_command

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum analyses by itself")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'accounts_user'")
        assert cursor.fetchone()[0] > 0
