"""Upkeep of the database itself."""

from django.db import connections


def optimize(*, full: bool = False, using: str = "default") -> None:
    """Bring SQLite's planner statistics up to date: `PRAGMA optimize` (cheap, analyses only
    tables whose statistics are stale), or a full `ANALYZE` after a bulk load. Nothing to do
    on PostgreSQL, whose autovacuum analyses by itself."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if full else "PRAGMA optimize")
