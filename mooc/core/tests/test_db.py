from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from mooc.core.db import prepared_cursor, prepared_fetchone

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def test_statements_run_logged_and_counted() -> None:
    with CaptureQueriesContext(connection) as queries, prepared_cursor() as cursor:
        cursor.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3})
        assert cursor.fetchone() == (5,)
    assert len(queries) == 1
    assert "SELECT" in queries[0]["sql"]


@postgres_only
def test_a_statement_is_prepared_once_per_connection() -> None:
    statement = "SELECT %(n)s::int * 7 AS seven_times"
    for n in (1, 2, 3):
        with prepared_cursor() as cursor:
            cursor.execute(statement, {"n": n})
            assert cursor.fetchone() == (n * 7,)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%seven_times%"],
        )
        assert cursor.fetchone() == (1,)


@postgres_only
def test_without_preparing_statements_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """DB_PREPARED_STATEMENTS=false (PgBouncer in transaction mode before 1.21):
    prepare_threshold None, the statements are bound on the server, never prepared."""
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    statement = "SELECT %(n)s::int * 11 AS eleven_times"
    for n in (1, 2, 3):
        assert prepared_fetchone(statement, {"n": n}) == (n * 11,)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%eleven_times%"],
        )
        assert cursor.fetchone() == (0,)


@postgres_only
def test_database_errors_are_djangos() -> None:
    with prepared_cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE t_unique (n int UNIQUE)")
        cursor.execute("INSERT INTO t_unique VALUES (%(n)s)", {"n": 1})
        with pytest.raises(IntegrityError):
            cursor.execute("INSERT INTO t_unique VALUES (%(n)s)", {"n": 1})


def _end_backend(pid: int) -> None:
    """End a connection's backend from another connection, as a PostgreSQL restart
    or a proxy's idle timeout would."""
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def test_prepared_fetchone_returns_the_first_row() -> None:
    assert prepared_fetchone("SELECT %(n)s * 2", {"n": 21}) == (42,)
    assert prepared_fetchone("SELECT 1 WHERE %(n)s < 0", {"n": 1}) is None


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_prepared_fetchone_skips_the_health_check_round_trip() -> None:
    _backend_pid()  # a connection to reuse
    with mock.patch.object(
        connection, "close_if_health_check_failed", side_effect=AssertionError("checked")
    ):
        assert prepared_fetchone("SELECT %(n)s::int", {"n": 7}) == (7,)
        with pytest.raises(AssertionError, match="checked"), prepared_cursor():
            pass


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_prepared_fetchone_runs_again_on_a_new_connection_when_the_old_one_died() -> None:
    dead = _backend_pid()
    _end_backend(dead)
    assert prepared_fetchone("SELECT %(n)s::int", {"n": 5}) == (5,)
    assert _backend_pid() != dead


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_prepared_fetchone_inside_a_transaction_raises_on_a_dead_connection() -> None:
    with pytest.raises((OperationalError, InterfaceError)), transaction.atomic():
        _end_backend(_backend_pid())
        prepared_fetchone("SELECT %(n)s::int", {"n": 5})


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_prepared_fetchone_raises_a_real_error_without_running_again() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY SEQUENCE t_runs")
        cursor.execute("SET statement_timeout = '50ms'")
    try:
        with pytest.raises(OperationalError):
            prepared_fetchone("SELECT nextval('t_runs'), pg_sleep(%(s)s)", {"s": 2})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")
            cursor.execute("SELECT nextval('t_runs')")
            assert cursor.fetchone() == (2,)  # the first run took 1: it ran once
