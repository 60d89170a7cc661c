"""Reports benchmark: each report page's and export's time on a big institution.

    nice .venv/bin/python bench/reports.py                       # 50,000 learners, ~3 min
    nice .venv/bin/python bench/reports.py --learners 500 --enrolments 3000 --units 50  # smoke

On the local PostgreSQL (127.0.0.1:5432, user postgres) it creates a database of its own
(`mooc_bench_reports`), migrates it, seeds it with INSERT … SELECT (a unit tree, learners,
courses, enrolments spread over two years, certificates of which 1% revoked, training
done elsewhere), then times each page with Django's test client in this process (the
median of --repeat runs, after one warm-up) and each export streamed to nowhere, with
the Python memory peak (tracemalloc) of the biggest ones. The database is dropped at
the end (--keep to keep it). Not a test: nothing here runs in CI.

DEBUG is on (no collected static files needed); that makes the figures a little
pessimistic, never optimistic.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ADMIN_DB = "postgres://postgres@127.0.0.1:5432/postgres"
# Exports whose Python memory peak is measured (a second run, under tracemalloc).
MEMORY_CHECKED = {("learners", "csv"), ("learners", "xlsx")}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="mooc_bench_reports")
    parser.add_argument("--learners", type=int, default=50_000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--courses", type=int, default=200)
    parser.add_argument("--enrolments", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def database(name: str, *, create: bool) -> None:
    import psycopg

    assert name.startswith("mooc_bench"), "only a benchmark database may be dropped"
    with psycopg.connect(ADMIN_DB, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup(args: argparse.Namespace) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
            "REDIS_URL": "",
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "WARNING",
            "REPORTS_EXPORT_SYNC_ROWS": str(10**9),
            "PRIVATE_MEDIA_ROOT": tempfile.mkdtemp(prefix="mooc-bench-reports-"),
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(
    label: str, work: Callable[[], Any], results: list[tuple[str, float, str]], note: str = ""
) -> Any:
    start = time.perf_counter()
    value = work()
    results.append((label, (time.perf_counter() - start) * 1000, note))
    return value


# --- Seeding --------------------------------------------------------------------------------


def seed(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from mooc.accounts.models import Unit, User
    from mooc.catalog.models import Category, Course

    # The tree: one ministry, offices under it, units under each office.
    # --units in all: the first offices take one unit more when they do not divide evenly.
    offices = max(1, round((args.units - 1) ** 0.5))
    below, extra = divmod(max(0, args.units - 1 - offices), offices)
    units = [
        Unit(
            path=Unit._get_path(None, 1, 1),
            depth=1,
            numchild=offices,
            code="KEM",
            name="Kementerian",
        )
    ]
    for o in range(1, offices + 1):
        office_path = Unit._get_path(units[0].path, 2, o)
        per_office = below + (1 if o <= extra else 0)
        units.append(
            Unit(
                path=office_path,
                depth=2,
                numchild=per_office,
                code=f"KW{o}",
                name=f"Kantor Wilayah {o:03d}",
            )
        )
        for u in range(1, per_office + 1):
            units.append(
                Unit(
                    path=Unit._get_path(office_path, 3, u),
                    depth=3,
                    numchild=0,
                    code=f"KW{o}-U{u}",
                    name=f"Unit {o:03d}.{u:03d}",
                )
            )
    Unit.objects.bulk_create(units, batch_size=1000)
    category = Category.objects.create(name="Umum", slug="umum")
    Course.objects.bulk_create(
        Course(
            slug=f"kursus-{n}",
            title=f"Pelatihan {n:03d}",
            summary="-",
            category=category,
            jp=2 + n % 24,
            is_published=True,
        )
        for n in range(args.courses)
    )
    per_user = max(1, args.enrolments // args.learners)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_user (password, is_superuser, username, employee_type,
                nip_kind, unit_id, instansi, full_name, email, phone, jabatan, photo, is_staff,
                is_active, activated_at, lock_reason, date_joined, updated_at)
            SELECT '!', false, 'b' || g,
                CASE WHEN g %% 20 = 0 THEN 'external' ELSE 'internal' END, '',
                ids[1 + g %% array_length(ids, 1)], '', 'Peserta ' || g,
                'b' || g || '@example.go.id', '', '', '', false, true, now(), '', now(), now()
            FROM generate_series(1, %s) AS g,
                 (SELECT array_agg(id ORDER BY id) AS ids
                  FROM accounts_unit WHERE numchild = 0) AS leaves
            """,
            [args.learners],
        )
        # Each learner takes `per_user` distinct courses; 60% passed, 20% failed, 20% active,
        # finished on days spread over 2025 and 2026.
        cursor.execute(
            """
            WITH u AS (SELECT array_agg(id ORDER BY id) AS ids
                       FROM accounts_user WHERE username LIKE 'b%%'),
                 c AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(jp ORDER BY id) AS jps
                       FROM catalog_course),
                 rows AS (
                    SELECT g, (g - 1) / %s AS ui,
                           ((g - 1) %% %s) * (%s / %s) + ((g - 1) / %s) %% (%s / %s) AS ci,
                           timestamptz '2025-01-01 03:00+00'
                             + ((g * 37) %% 700) * interval '1 day' AS done
                    FROM generate_series(1, %s) AS g)
            INSERT INTO catalog_enrollment (user_id, course_id, status, result, final_score,
                completed_at, jp, unit_id, created_at, updated_at)
            SELECT u.ids[1 + rows.ui], c.ids[1 + rows.ci],
                   CASE WHEN g %% 10 < 8 THEN 'completed' ELSE 'active' END,
                   CASE WHEN g %% 10 < 6 THEN 'passed' WHEN g %% 10 < 8 THEN 'failed' ELSE '' END,
                   CASE WHEN g %% 10 < 6 THEN 70 + g %% 31 WHEN g %% 10 < 8 THEN 30 + g %% 40 END,
                   CASE WHEN g %% 10 < 8 THEN rows.done END,
                   c.jps[1 + rows.ci], NULL, rows.done - interval '12 days', rows.done
            FROM rows, u, c
            WHERE rows.ui < array_length(u.ids, 1)
            """,
            [
                per_user,
                per_user,
                args.courses,
                per_user,
                per_user,
                args.courses,
                per_user,
                args.enrolments,
            ],
        )
        cursor.execute(
            """
            INSERT INTO certificates_certificate (enrollment_id, user_id, course_id, number,
                series, year, sequence, code, state, passed_at, issued_at, revoked_reason)
            SELECT id, user_id, course_id, 'B/' || id, 'B', 2026, id, 'C' || id,
                   CASE WHEN id %% 100 = 0 THEN 'revoked' ELSE 'valid' END,
                   completed_at, completed_at, ''
            FROM catalog_enrollment WHERE result = 'passed' AND id %% 3 = 0
            """,
            [],
        )
        cursor.execute(
            """
            INSERT INTO reports_externaltraining (user_id, title, organiser, starts_on, ends_on,
                jp, certificate_number, evidence, reason, created_at)
            SELECT id, 'Diklat luar', 'LAN', date '2026-03-01', date '2026-03-05', 8, '',
                   'x.pdf', '-', now()
            FROM accounts_user WHERE username LIKE 'b%%' AND id %% 10 = 0
            """,
            [],
        )
        cursor.execute("ANALYZE")
    admin = User.objects.create_superuser("bench.admin", "x", full_name="Bench Admin")
    office = Unit.objects.get(code="KW1")
    viewer = User.objects.create_user(
        "bench.viewer", "x", is_staff=True, unit=office, activated_at=admin.activated_at
    )
    from django.contrib.auth.models import Group

    from mooc.accounts.roles import ROLE_REPORT_VIEWER, roles_sync

    roles_sync()
    viewer.groups.add(Group.objects.get(name=ROLE_REPORT_VIEWER))
    from mooc.catalog.models import Enrollment

    return {
        "admin": admin,
        "viewer": viewer,
        "office": office,
        "course": Course.objects.first(),
        "learner": User.objects.filter(username="b7").first(),
        "counts": (
            User.objects.count(),
            Unit.objects.count(),
            Course.objects.count(),
            Enrollment.objects.count(),
        ),
    }


# --- Timing ---------------------------------------------------------------------------------


def drain(response: Any) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def signed_in(user: Any) -> Any:
    """A client signed in as staff past the second step, as the verify page leaves a
    session (django_otp.login: a confirmed device's id in the session)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "B"})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def page_times(args: argparse.Namespace, world: dict[str, Any]) -> list[tuple[str, float, str]]:
    from django.db import connection, reset_queries
    from django.urls import reverse

    admin, viewer = signed_in(world["admin"]), signed_in(world["viewer"])
    year: dict[str, Any] = {"year": 2026}
    pages: list[tuple[str, Any, str, dict[str, Any]]] = [
        ("Ringkasan (admin)", admin, reverse("reports:summary"), year),
        ("Ringkasan (viewer, one office)", viewer, reverse("reports:summary"), year),
        ("Per kursus (200 courses)", admin, reverse("reports:courses"), year),
        (
            "Per kursus: one course",
            admin,
            reverse("reports:course", args=[world["course"].pk]),
            year,
        ),
        ("Per unit: roll-up of the whole tree", admin, reverse("reports:units"), year),
        ("Per unit (viewer, one office)", viewer, reverse("reports:units"), year),
        ("Per peserta (page 1)", admin, reverse("reports:learners"), year),
        (
            "Per peserta: search by name",
            admin,
            reverse("reports:learners"),
            {**year, "q": "Peserta 4999"},
        ),
        (
            "Per peserta: one learner",
            admin,
            reverse("reports:learner", args=[world["learner"].pk]),
            year,
        ),
        ("Di bawah target (page 1)", admin, reverse("reports:below_target"), year),
        ("Di bawah target (viewer)", viewer, reverse("reports:below_target"), year),
        ("Ekspor SIASN page", admin, reverse("reports:siasn"), {}),
    ]
    results = []
    for label, client, url, params in pages:
        response = client.get(url, params)
        assert response.status_code == 200, (label, response.status_code)
        runs = []
        for _ in range(args.repeat):
            reset_queries()
            start = time.perf_counter()
            drain(client.get(url, params))
            runs.append((time.perf_counter() - start) * 1000)
        results.append((label, statistics.median(runs), f"{len(connection.queries)} queries"))
    return results


def export_times(world: dict[str, Any]) -> list[tuple[str, float, str]]:
    import datetime as dt

    from django.urls import reverse

    from mooc.reports.selectors.scope import Scope
    from mooc.reports.selectors.siasn import siasn_batch_rows
    from mooc.reports.services.exports import export_start
    from mooc.reports.services.siasn import siasn_batch_create, siasn_file_write

    admin = signed_in(world["admin"])
    results: list[tuple[str, float, str]] = []
    for report, fmt in (
        ("summary", "xlsx"),
        ("courses", "xlsx"),
        ("units", "csv"),
        ("below_target", "csv"),
        ("below_target", "xlsx"),
        ("learners", "csv"),
        ("learners", "xlsx"),
    ):
        url = reverse("reports:export", args=[report, fmt])
        start = time.perf_counter()
        size = drain(admin.get(url, {"year": 2026}))
        elapsed = (time.perf_counter() - start) * 1000
        note = f"{size / 1e6:.1f} MB"
        if (report, fmt) in MEMORY_CHECKED:
            # Again under tracemalloc (which slows Python down): the peak of Python memory.
            tracemalloc.start()
            drain(admin.get(url, {"year": 2026}))
            note += f", Python memory peak {tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB"
            tracemalloc.stop()
        results.append((f"Export {report}.{fmt}", elapsed, note))

    class Devnull:
        size = 0

        def write(self, data: bytes) -> int:
            self.size += len(data)
            return len(data)

    def siasn(fmt: str, batch: Any) -> None:
        sink = Devnull()
        start = time.perf_counter()
        siasn_file_write(siasn_batch_rows(batch), fmt, sink)  # type: ignore[arg-type]
        elapsed = (time.perf_counter() - start) * 1000
        # Again under tracemalloc (which slows Python down): the peak of Python memory.
        tracemalloc.start()
        siasn_file_write(siasn_batch_rows(batch), fmt, Devnull())  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        note = f"{batch.row_count} rows, {sink.size / 1e6:.1f} MB"
        note += f", Python memory peak {peak / 1e6:.1f} MB"
        results.append((f"SIASN file {fmt} (all passes)", elapsed, note))

    batch = timed(
        "SIASN batch: record every pass of two years",
        lambda: siasn_batch_create(
            scope=Scope(is_admin=True),
            actor=world["admin"],
            date_from=dt.date(2025, 1, 1),
            date_to=dt.date(2026, 12, 31),
            unit=None,
            only_new=True,
        ),
        results,
    )
    results[-1] = (*results[-1][:2], f"{batch.row_count} rows")
    siasn("csv", batch)
    siasn("jsonl", batch)
    # Without a broker the task runs in this process as soon as the job is recorded.
    timed(
        "Background export job: learners.xlsx",
        lambda: export_start(
            report="learners", fmt="xlsx", params={"year": "2026"}, user=world["admin"]
        ),
        results,
    )
    return results


def main() -> None:
    args = parse_args()
    database(args.database, create=True)
    try:
        setup(args)
        started = time.perf_counter()
        world = seed(args)
        users, units, courses, enrolments = world["counts"]
        print(
            f"seeded {users} users, {units} units, {courses} courses, {enrolments} enrolments "
            f"in {time.perf_counter() - started:.0f} s"
        )
        rows = page_times(args, world) + export_times(world)
        width = max(len(label) for label, _ms, _note in rows)
        print(f"\n{'what':<{width}}  {'ms':>8}  notes")
        for label, ms, note in rows:
            print(f"{label:<{width}}  {ms:>8.0f}  {note}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database(args.database, create=False)


if __name__ == "__main__":
    main()
