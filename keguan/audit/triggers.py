"""The database triggers that make the audit table append-only.

UPDATE is always refused; DELETE only of events younger than the retention period
(180 days); TRUNCATE always (PostgreSQL). Installed by migration 0001.
"""

SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
       WHEN OLD.at > datetime('now', '-180 days')
       BEGIN SELECT RAISE(ABORT, 'audit events younger than 180 days cannot be deleted'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
POSTGRES_INSTALL = [
    """CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           RAISE EXCEPTION 'audit events are append-only';
         END IF;
         IF OLD.at > now() - interval '180 days' THEN
           RAISE EXCEPTION 'audit events younger than 180 days cannot be deleted';
         END IF;
         RETURN OLD;
       END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent",
    """CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON audit_auditevent
       FOR EACH ROW EXECUTE FUNCTION audit_event_guard()""",
    """CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_guard ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
]


def _run(connection, statements_by_vendor) -> None:
    with connection.cursor() as cursor:
        for sql in statements_by_vendor.get(connection.vendor, []):
            cursor.execute(sql)


def install(connection) -> None:
    _run(connection, {"sqlite": SQLITE_INSTALL, "postgresql": POSTGRES_INSTALL})


def drop(connection) -> None:
    """Only for wiping a whole test database; production never calls this."""
    _run(connection, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})
