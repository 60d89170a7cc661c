"""A cursor for the few statements that run thousands of times a minute, and what a
database that is away for a moment means for a request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper

# Seconds a client is told to wait when the database is briefly unreachable (a restart
# or a fail-over takes a few seconds; exam.js retries sooner by its own backoff).
DATABASE_RETRY_AFTER = 5


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached right now (a restart, a
    fail-over, a dropped connection): a retry a few seconds later succeeds."""
    return isinstance(exc, (OperationalError, InterfaceError))


class _StatementLogged(CursorDebugWrapper):
    """Logs the statement as written (with its %(name)s placeholders): Django asks
    the client-binding cursor for the merged text, which a server-binding one lacks."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)


@contextmanager
def prepared_cursor(
    using: str = DEFAULT_DB_ALIAS, *, health_check: bool = True
) -> Iterator[CursorWrapper]:
    """A Django cursor whose statements PostgreSQL parses and plans only once per
    connection.

    Django binds parameters on the client and never prepares, which is right for the
    ORM's endless variety of queries; for the answer save, planning cost more than
    running it (0.25 of 0.44 ms of PostgreSQL CPU per save). This cursor binds on the
    server, and psycopg prepares each statement on its first run on a connection
    (`prepare_threshold` 0, set in settings) and keeps up to 100 of them. It is
    Django's wrapper all the same: errors are translated and queries are counted and
    logged as usual. Off PostgreSQL it is the ordinary cursor; with
    DB_PREPARED_STATEMENTS=false psycopg binds on the server without preparing.

    `health_check=False` skips Django's check of a reused connection (CONN_HEALTH_CHECKS:
    a `SELECT 1` round trip before the request's first statement); see
    `prepared_fetchone`.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    # What BaseDatabaseWrapper._cursor() does, with another cursor class.
    if health_check:
        connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    wrapped = (
        _StatementLogged(raw, connection)
        if connection.queries_logged
        else CursorWrapper(raw, connection)
    )
    with wrapped:
        yield wrapped


def prepared_fetchone(
    sql: str, params: dict[str, Any], using: str = DEFAULT_DB_ALIAS
) -> tuple[Any, ...] | None:
    """Run one prepared statement that may safely run twice, and return its first row.

    For the statements of the busiest requests (the answer save): Django checks a
    reused connection with a `SELECT 1` round trip before a request's first statement,
    half of the round trips of a save. Here the statement itself is the check: if it
    fails because the connection turned out dead (PostgreSQL restarted, a proxy closed
    it), it runs once more on a new connection, as the health check would have done.
    Inside a transaction, or when the connection still works (a real error), the
    error is raised as usual.
    """
    connection = connections[using]
    try:
        with prepared_cursor(using, health_check=False) as cursor:
            cursor.execute(sql, params)
            row: tuple[Any, ...] | None = cursor.fetchone()
            return row
    except (OperationalError, InterfaceError):
        if connection.in_atomic_block or (
            connection.connection is not None and connection.is_usable()
        ):
            raise
        connection.close()
    with prepared_cursor(using) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return row
