"""Server CPU per exam page, one request at a time through gunicorn: what a learner's
login page, login, start, question page, submit page, submit and result cost gunicorn
and PostgreSQL.

`page_cost.py` times the pages in-process (Django's test client, this process's CPU
only); this script adds what that leaves out — gunicorn's HTTP handling, the request
log, and PostgreSQL's own CPU — the way `request_cost.py` does for the answer save:
one gunicorn worker with one thread pinned to the first CPU, one request at a time
from another CPU over a kept-alive connection, CPU read from /proc per batch.

    .venv/bin/python bench/page_server_cost.py                 # 200 learners

Production settings as in exam_day.py, its own database (`mooc_pagecost`) and Redis db 5.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import exam_day  # noqa: E402
from bench.request_cost import cpu_seconds, pids_of  # noqa: E402

PORT = 8081


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--database", default="mooc_pagecost")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    return parser.parse_args()


def sessions(count: int) -> list[tuple[str, str]]:
    """(Cookie header, CSRF token) of `count` signed-in learners, made in this process."""
    from django.test import Client

    from mooc.accounts.models import User

    found = []
    for user in User.objects.filter(username__startswith="bench0").order_by("pk")[:count]:
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
        client.force_login(user)
        client.get("/", secure=True)
        cookies = "; ".join(f"{name}={m.value}" for name, m in client.cookies.items())
        found.append((cookies, client.cookies["csrftoken"].value))
    return found


def main() -> None:
    args = parse_args()
    server_args = argparse.Namespace(
        port=PORT, database=args.database, redis=args.redis, workers=1, threads=args.threads,
        worker_class="gthread", server_cpus="0", nodes=0,
        pg_url="postgres://postgres@127.0.0.1:5432",
    )  # fmt: skip
    env = exam_day.site_prepare(server_args)
    # One at a time is faster than the start queue's turns a second; its Redis calls
    # are still made (a turn is taken each time).
    env["EXAM_START_ADMISSION_RATE"] = "100000"
    exam_id = exam_day.seed(args.learners, 90)["exam_id"]
    learners = sessions(args.learners)
    from django.db import connections

    connections.close_all()
    os.sched_setaffinity(0, {(os.cpu_count() or 2) - 1})  # gunicorn has CPU 0
    exam_day.RESULTS.mkdir(parents=True, exist_ok=True)
    server = exam_day.gunicorn_start(server_args, env, exam_day.RESULTS / "page-server-cost.log")
    connection = http.client.HTTPConnection("127.0.0.1", PORT)
    attempts: dict[int, str] = {}

    def send(
        method: str, path: str, cookies: str, csrf: str, body: str = "", client: int = 0
    ) -> Any:
        headers = {
            "X-Forwarded-Proto": "https",
            # One address per learner, as in exam_day.py: the login's limits are per address.
            "X-Forwarded-For": f"10.{client // 65536}.{client // 256 % 256}.{client % 256}",
            "Cookie": cookies,
            "Origin": f"https://127.0.0.1:{PORT}",
            "X-CSRFToken": csrf,
        }
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        response.read()
        return response

    def start(i: int, cookies: str, csrf: str) -> None:
        response = send("POST", f"/ujian/{exam_id}/mulai/", cookies, csrf)
        assert response.status == 302, response.status
        attempts[i] = response.getheader("Location", "").split("/soal/")[0]

    anonymous: dict[int, tuple[str, str]] = {}

    def login_page(i: int, _cookies: str, _csrf: str) -> None:
        response = send("GET", "/login/", "", "", client=i)
        assert response.status == 200, response.status
        token = response.getheader("Set-Cookie", "").split("csrftoken=")[1].split(";")[0]
        anonymous[i] = (f"csrftoken={token}", token)

    def login(i: int, _cookies: str, _csrf: str) -> None:
        cookies, token = anonymous[i]
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": f"bench{i:05d}",
                "password": exam_day.PASSWORD,
                "captcha_0": f"bench-{i:05d}-0",
                "captcha_1": "bench",
            }
        )
        response = send("POST", "/login/", cookies, token, body, client=i)
        assert response.status == 302, response.status

    steps = {
        "login page": login_page,
        "login": login,
        "start": start,
        "question page": lambda i, c, t: send("GET", f"{attempts[i]}/soal/1/", c, t),
        "submit page": lambda i, c, t: send("GET", f"{attempts[i]}/kirim/", c, t),
        "submit": lambda i, c, t: send(
            "POST", f"{attempts[i]}/kirim/", c, t, f"csrfmiddlewaretoken={t}"
        ),
        "result": lambda i, c, t: send("GET", f"{attempts[i]}/hasil/", c, t),
    }
    print(f"ms of CPU per request, {len(learners)} learners, one request at a time")
    print(f"{'':14} {'gunicorn':>9} {'postgres':>9} {'total':>9} {'wall':>9}")
    try:
        for name, step in steps.items():
            gunicorn, postgres = pids_of("gunicorn"), pids_of("postgres")
            g0, p0, w0 = cpu_seconds(gunicorn), cpu_seconds(postgres), time.perf_counter()
            for i, (cookies, csrf) in enumerate(learners):
                step(i, cookies, csrf)
            n = len(learners)
            g = (cpu_seconds(gunicorn) - g0) / n * 1e3
            p = (cpu_seconds(postgres) - p0) / n * 1e3
            w = (time.perf_counter() - w0) / n * 1e3
            print(f"{name:14} {g:9.2f} {p:9.2f} {g + p:9.2f} {w:9.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
