"""Server CPU per request, one request at a time: an answer save against the ceiling.

The saturation run (`exam_day.py --saturate`) says how many saves per second the
machine serves and what share of the ceiling that is; its figures move with the
load generator sharing the cores, with how gunicorn's two workers happen to split
the connections, and with the neighbours of a virtual machine. This script takes
those out: gunicorn runs one worker with one thread pinned to the first CPU, this
client sends one request at a time from another CPU over a kept-alive connection,
and the CPU time that gunicorn and all of PostgreSQL's processes spend is read from
/proc before and after each batch. What is left is the server's cost of a request.
Last, the save statement alone is timed in PostgreSQL's backend against `SELECT 1`
and a one-row UPDATE, with and without waiting for the commit's WAL flush.

    .venv/bin/python bench/request_cost.py            # 4,000 of each, twice

Production settings as in exam_day.py, its own database (`mooc_cost`, dropped and
created) and Redis db 5.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import exam_day  # noqa: E402

PORT = 8079
_TOKEN = re.compile(r'data-save-token="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000, help="per batch")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database", default="mooc_cost")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    return parser.parse_args()


def cpu_seconds(pids: list[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended between listing and reading
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def pids_of(name: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    if name.encode() in cmdline.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def learner_session(exam_id: int) -> tuple[int, str, str, str]:
    """A logged-in learner with a running attempt: (attempt id, Cookie header, save
    token, CSRF token), made in this process against the same database and Redis as the server."""
    from django.test import Client

    from mooc.accounts.models import User
    from mooc.exams.models import Attempt

    user = User.objects.get(username="bench00001")
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.post(f"/ujian/{exam_id}/mulai/", secure=True)
    attempt = Attempt.objects.get(user=user)
    page = client.get(f"/ujian/percobaan/{attempt.pk}/soal/1/", secure=True)
    found = _TOKEN.search(page.content.decode())
    assert found, "the question page carries no save token"
    cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    csrf = client.cookies["csrftoken"].value
    return attempt.pk, cookies, html.unescape(found.group(1)), csrf


def main() -> None:
    args = parse_args()
    server_args = argparse.Namespace(
        port=PORT, database=args.database, redis=args.redis, workers=1, threads=1,
        worker_class="gthread", server_cpus="0", nodes=0, pg_url="postgres://postgres@127.0.0.1:5432",
    )  # fmt: skip
    env = exam_day.site_prepare(server_args)
    exam_id = exam_day.seed(3, 90)["exam_id"]
    attempt, cookies, token, csrf = learner_session(exam_id)
    from django.db import connections

    connections.close_all()

    os.sched_setaffinity(0, {(os.cpu_count() or 2) - 1})  # gunicorn has CPU 0
    exam_day.RESULTS.mkdir(parents=True, exist_ok=True)
    server = exam_day.gunicorn_start(server_args, env, exam_day.RESULTS / "request-cost.log")
    connection = http.client.HTTPConnection("127.0.0.1", PORT)
    seq = time.time_ns() // 1_000_000

    def save() -> None:
        nonlocal seq
        seq += 1
        body = f"position={seq % exam_day.QUESTIONS + 1}&client_seq={seq}&options={seq % 4}"
        connection.request(
            "POST",
            f"/ujian/percobaan/{attempt}/jawab/",
            body,
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": "10.0.0.1",
                "Cookie": cookies,
                "Origin": f"https://127.0.0.1:{PORT}",
                "X-CSRFToken": csrf,
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Save-Token": token,
            },
        )
        response = connection.getresponse()
        answer = response.read()
        assert response.status == 200 and b'"applied": true' in answer, answer[:300]

    def ceiling() -> None:
        connection.request(
            "GET",
            "/bench/ceiling/",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.1"},
        )
        response = connection.getresponse()
        answer = response.read()
        assert response.status == 200, answer[:300]

    print(f"ms of CPU per request, {args.requests} requests a batch, one at a time")
    print(f"{'':10} {'gunicorn':>9} {'postgres':>9} {'total':>9} {'wall':>9}")
    try:
        totals: dict[str, list[float]] = {"save": [], "ceiling": []}
        for _ in range(args.rounds):
            for name, send in (("save", save), ("ceiling", ceiling)):
                for _ in range(200):  # warm up: prepared statements, caches
                    send()
                gunicorn, postgres = pids_of("gunicorn"), pids_of("postgres")
                g0, p0, w0 = cpu_seconds(gunicorn), cpu_seconds(postgres), time.perf_counter()
                for _ in range(args.requests):
                    send()
                g = (cpu_seconds(gunicorn) - g0) / args.requests * 1e3
                p = (cpu_seconds(postgres) - p0) / args.requests * 1e3
                w = (time.perf_counter() - w0) / args.requests * 1e3
                totals[name].append(g + p)
                print(f"{name:10} {g:9.3f} {p:9.3f} {g + p:9.3f} {w:9.3f}")
        ratio = min(totals["ceiling"]) / min(totals["save"])
        print(f"ceiling's server CPU / save's (best batches): {ratio:.0%}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    statement_costs(attempt, args.requests)


def statement_costs(attempt_id: int, count: int) -> None:
    """PostgreSQL's own CPU per statement, one connection, prepared, sent from
    this process: the save statement against `SELECT 1` and against the cheapest
    durable write (one row updated and committed), each also with
    `synchronous_commit = off` to show the part that is the commit's WAL flush."""
    import datetime as dt
    import json

    import psycopg
    from django.conf import settings
    from django.db import connection

    from mooc.exams.models import Attempt
    from mooc.exams.services import answers, save_tokens

    attempt = Attempt.objects.select_related("user").get(pk=attempt_id)
    inner_pad, outer_pad = save_tokens.hmac_pads(settings.SECRET_KEY)
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"], autocommit=True
    ) as pg:
        cursor = pg.cursor()
        # An ordinary table: a temporary one would not be written to the WAL.
        cursor.execute("DROP TABLE IF EXISTS bench_counter")
        cursor.execute("CREATE TABLE bench_counter (id int PRIMARY KEY, n bigint)")
        cursor.execute("INSERT INTO bench_counter VALUES (1, 0)")
        backend = pg.info.backend_pid
        seq = time.time_ns() // 1_000_000 + 10**9  # above every save the HTTP part sent

        def save_params() -> dict[str, object]:
            nonlocal seq
            seq += 1
            return {
                "positions": json.dumps([seq % 4]),
                "client_seq": seq,
                "now": dt.datetime.now(dt.UTC),
                "attempt_id": attempt_id,
                "position": seq % exam_day.QUESTIONS,  # from 0, as stored
                "user_id": attempt.user_id,
                "highest": seq % 4,
                "chosen": 1,
                "inner_pad": inner_pad,
                "outer_pad": outer_pad,
                "save_key": attempt.save_key,
                "password_tag": save_tokens.password_tag(attempt.user.password),
            }

        statements = {
            "SELECT 1": ("SELECT 1", lambda: None),
            "one-row UPDATE": ("UPDATE bench_counter SET n = n + 1 WHERE id = 1", lambda: None),
            "answer save": (answers._UPSERT_AS_SQL, save_params),
        }
        print(f"\nms of PostgreSQL CPU per statement, {count} a batch, one connection")
        print(f"{'':16} {'durable':>9} {'no flush':>9}")
        for name, (sql, params) in statements.items():
            costs = []
            for synchronous in ("on", "off"):
                cursor.execute(f"SET synchronous_commit = {synchronous}")
                for _ in range(200):
                    cursor.execute(sql, params(), prepare=True)
                before = cpu_seconds([backend])
                for _ in range(count):
                    cursor.execute(sql, params(), prepare=True)
                    assert name == "one-row UPDATE" or cursor.fetchone() is not None, name
                costs.append((cpu_seconds([backend]) - before) / count * 1e3)
            print(f"{name:16} {costs[0]:9.3f} {costs[1]:9.3f}")
        cursor.execute("DROP TABLE bench_counter")


if __name__ == "__main__":
    main()
