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
