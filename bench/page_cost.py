"""CPU per page of a learner's exam, in-process: start, question page, submit page,
submit, result.

On exam day these are the requests that come in storms (everybody starts within a
minute; many submit within a few minutes at the end), and on two cores their CPU
decides how long everything else, answer saves included, waits in those minutes.
This script runs each learner's five requests through Django's test client (the
whole middleware stack, no HTTP server) against PostgreSQL and Redis with the
production settings of exam_day.py, and prints the median CPU time of this
process per request (PostgreSQL's own time is not in it).

    .venv/bin/python bench/page_cost.py                      # 60 learners
    .venv/bin/python bench/page_cost.py --profile result     # and cProfile one step

Its own database (`mooc_pages`, dropped and created) and Redis db 4.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import exam_day  # noqa: E402

STEPS = ("start", "question page", "submit page", "submit", "result")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=60)
    parser.add_argument("--profile", choices=STEPS, action="append", default=[])
    parser.add_argument(
        "--sort", default="cumulative", help="cProfile's order: cumulative or tottime"
    )
    parser.add_argument("--database", default="mooc_pages")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/4")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    server_args = argparse.Namespace(
        port=8090, database=args.database, redis=args.redis, workers=1, threads=1,
        worker_class="gthread", server_cpus="", nodes=0, pg_url="postgres://postgres@127.0.0.1:5432",
    )  # fmt: skip
    exam_day.site_prepare(server_args)
    exam_id = exam_day.seed(args.learners, 90)["exam_id"]

    from django.db import connection
    from django.test import Client

    from mooc.accounts.models import User
    from mooc.exams.models import Attempt

    times: dict[str, list[float]] = {step: [] for step in STEPS}
    queries: dict[str, list[int]] = {step: [] for step in STEPS}
    profiles = {step: cProfile.Profile() for step in args.profile}

    def measured(step: str, status: int, send: Callable[..., Any], path: str, **data: str) -> Any:
        profile = profiles.get(step)
        statements = 0

        def count(execute: Callable[..., Any], *rest: Any) -> Any:
            nonlocal statements
            statements += 1
            return execute(*rest)

        began = time.process_time()
        if profile:
            profile.enable()
        with connection.execute_wrapper(count):
            response = send(path, data, secure=True)
        if profile:
            profile.disable()
        times[step].append(time.process_time() - began)
        queries[step].append(statements)
        assert response.status_code == status, (step, response.status_code)
        return response

    for user in User.objects.filter(username__startswith="bench0").order_by("pk"):
        client = Client(
            HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1"
        )
        client.force_login(user)
        client.get("/", secure=True)  # the CSRF cookie, as the exam's course page gives it
        measured("start", 302, client.post, f"/ujian/{exam_id}/mulai/")
        base = f"/ujian/percobaan/{Attempt.objects.get(user=user).pk}"
        measured("question page", 200, client.get, f"{base}/soal/1/")
        measured("submit page", 200, client.get, f"{base}/kirim/")
        token = client.cookies["csrftoken"].value
        measured("submit", 302, client.post, f"{base}/kirim/", csrfmiddlewaretoken=token)
        measured("result", 200, client.get, f"{base}/hasil/")

    print(f"\nms of CPU per request (this process), median of {args.learners} learners")
    print(f"{'step':14} {'ms':>7} {'SQL statements':>15}")
    for step, spent in times.items():
        spent.sort()
        counted = sorted(queries[step])
        print(f"{step:14} {spent[len(spent) // 2] * 1e3:7.1f} {counted[len(counted) // 2]:15d}")
    for step, profile in profiles.items():
        print(f"\n===== {step} (under cProfile: slower than above)")
        pstats.Stats(profile).sort_stats(args.sort).print_stats(40)


if __name__ == "__main__":
    main()
