from __future__ import annotations

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from mooc.core.db import prepared_cursor

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
def test_database_errors_are_djangos() -> None:
    with prepared_cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE t_unique (n int UNIQUE)")
        cursor.execute("INSERT INTO t_unique VALUES (%(n)s)", {"n": 1})
        with pytest.raises(IntegrityError):
            cursor.execute("INSERT INTO t_unique VALUES (%(n)s)", {"n": 1})
