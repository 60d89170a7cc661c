"""Exam-day benchmark: N learners log in, take the same 20-question exam, and submit.

    .venv/bin/python bench/exam_day.py --users 3000          # the exam-day run
    .venv/bin/python bench/exam_day.py --users 200 --saturate  # saves with no think time
    .venv/bin/python bench/exam_day.py --users 1000 --nodes 2  # two app nodes behind nginx
    .venv/bin/python bench/exam_day.py --users 300 --nodes 2 --fault node-kill

Everything runs on this machine against the local PostgreSQL and Redis, with the
production settings (DEBUG off) and gunicorn; locust (in its own virtualenv, see
bench/README.md) plays the learners. At the end the database is checked (every
acknowledged answer stored, every attempt graded once with a grade that includes
them) and a report is printed. Not a test: nothing here runs in CI.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import faults, nginx_conf, services  # noqa: E402

RESULTS = ROOT / "bench" / "results"
QUESTIONS = 20
# (start, end) time spans, in seconds since the epoch
Windows = list[tuple[float, float]]
LOGIN_TRIES = 4  # captchas stored per learner (bench/locustfile.py uses one per try)
PASSWORD = "Ujian2026Bench"  # noqa: S105 - the benchmark learners' shared password


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--saturate", action="store_true", help="saves with no think time")
    parser.add_argument(
        "--phase", type=float, default=40, help="seconds of saves and of the ceiling, each"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=10,
        help="saturation: the phases alternate in this many rounds (1: all saves, then "
        "all ceiling)",
    )
    parser.add_argument(
        "--api",
        action="store_true",
        help="saturation: also save through the REST API (save lane, and bearer only), "
        "in windows of their own alternating with the web's saves and the ceiling",
    )
    parser.add_argument(
        "--api-drf",
        action="store_true",
        help="with --api: also windows of the same save in Django REST framework "
        "(bench/drf_api.py, bearer only; needs requirements/bench-server.txt in .venv)",
    )
    parser.add_argument("--ceiling-users", type=int, default=64)
    parser.add_argument("--spawn-rate", type=float, default=100)
    parser.add_argument("--start-window", type=float, default=60)
    parser.add_argument("--think-min", type=float, default=4)
    parser.add_argument("--think-max", type=float, default=12)
    parser.add_argument("--time-limit", type=int, default=90, help="exam time limit, minutes")
    parser.add_argument(
        "--passing-grade",
        type=float,
        default=60,
        help="the exam's passing grade (0: everybody passes and gets a certificate)",
    )
    parser.add_argument(
        "--no-certificates", action="store_true", help="the course gives no certificate"
    )
    parser.add_argument(
        "--submit-together",
        type=float,
        default=0,
        metavar="SECONDS",
        help="everybody submits within this many seconds once all have answered, "
        "as when the time runs out (0: each submits when done)",
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--save-pool",
        type=int,
        default=None,
        metavar="WORKERS",
        help="exam mode: answer saves go to a second gunicorn with this many workers on "
        "--port + 1, as nginx routes them in docs/operations.md (default 2; 0: one "
        "server for everything, as always in saturate mode)",
    )
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument(
        "--synchronous-commit",
        default="on",
        choices=["on", "off"],
        help="diagnosis only: 'off' shows what waiting for the WAL flush costs",
    )
    parser.add_argument(
        "--nodes",
        type=int,
        default=0,
        help="app nodes behind a real nginx configured from docs/operations.md (each a "
        "main gunicorn and a save pool on its own ports); 0: no nginx, the client talks "
        "to gunicorn directly (the single-node layout of earlier runs)",
    )
    parser.add_argument(
        "--fault",
        choices=faults.KINDS,
        default=None,
        help="inject this fault during the exam (bench/README.md, 'Faults')",
    )
    parser.add_argument(
        "--fault-after",
        type=float,
        default=30,
        help="seconds after the start window closed (everybody is answering)",
    )
    parser.add_argument(
        "--node-restart-after",
        type=float,
        default=30,
        help="node-kill: start the killed node again this many seconds later (0: never)",
    )
    parser.add_argument(
        "--drop-seconds", type=float, default=30, help="network: how long the network is down"
    )
    parser.add_argument(
        "--drop-share", type=float, default=0.1, help="network: share of learners cut off"
    )
    parser.add_argument(
        "--pg-port",
        type=int,
        default=None,
        help="run the benchmark's own PostgreSQL cluster on this port (created and "
        "dropped by the run); 0: the shared server on 5432. Default: 5440 with --nodes "
        "or --fault, else 0",
    )
    parser.add_argument(
        "--redis-port",
        type=int,
        default=None,
        help="run the benchmark's own redis-server on this port; 0: --redis. Default: "
        "6390 with --nodes or --fault, else 0",
    )
    parser.add_argument("--database", default="mooc_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--locust", default=str(ROOT / ".venv-bench" / "bin" / "locust"))
    parser.add_argument(
        "--locust-cpus", default="", help="pin locust to these CPUs with taskset (e.g. 1)"
    )
    parser.add_argument("--server-cpus", default="", help="pin gunicorn with taskset (e.g. 0,1)")
    parser.add_argument(
        "--page-nice",
        type=int,
        default=0,
        help="with a save pool, run the main pool (pages) at this nice value (e.g. 5: "
        "answer saves, PostgreSQL, Redis and nginx go first when the cores are full, "
        "the option docs/operations.md section 6.1 describes; session 9's default); "
        "0: all alike, as mooc-web.service runs",
    )
    parser.add_argument(
        "--locust-nice",
        type=int,
        default=0,
        help="run locust at this nice value (e.g. -5: ahead of the server, as browsers on "
        "their own machines are; the report says how long it waited for a core)",
    )
    return parser.parse_args()


def front(args: argparse.Namespace) -> str:
    """Where the learners' requests go: nginx (HTTPS, the name it serves) with
    --nodes, else the main gunicorn."""
    if args.nodes:
        return f"https://localhost:{args.port}"
    return f"http://127.0.0.1:{args.port}"


def node_ports(args: argparse.Namespace, number: int) -> tuple[int, int]:
    """Node `number`'s main and save-pool ports (nginx has --port and --port + 1)."""
    return args.port + 10 + 2 * number, args.port + 11 + 2 * number


def production_environment(args: argparse.Namespace) -> dict[str, str]:
    run_dir = RESULTS / "var"
    if args.nodes:
        # Behind nginx: the documented layout. nginx serves "localhost" over TLS and
        # passes X-Forwarded-For / -Proto; the application trusts loopback (section 5).
        return {
            **_common_environment(args, run_dir),
            "ALLOWED_HOSTS": "localhost",
            "SITE_URL": front(args),
            "TRUSTED_PROXIES": "127.0.0.1,::1",
        }
    return _common_environment(args, run_dir)


def _common_environment(args: argparse.Namespace, run_dir: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{args.port}",
        # The client plays nginx: it says the request came over HTTPS, and Django
        # believes it from loopback, as in production behind the proxy.
        "TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": f"{args.pg_url}/{args.database}",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": "bench",
        "STATIC_ROOT": str(run_dir / "static"),
        "MEDIA_ROOT": str(run_dir / "media"),
        "PRIVATE_MEDIA_ROOT": str(run_dir / "private"),
        "LOG_LEVEL": "INFO",
    }


# --- Database ------------------------------------------------------------------------


def database_create(server: str, name: str, synchronous_commit: str) -> None:
    import psycopg

    assert name not in {"mooc_ci", "test_mooc_ci"}, "that database belongs to CI"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
        connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = {synchronous_commit}')


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def site_prepare(args: argparse.Namespace, *, synchronous_commit: str = "on") -> dict[str, str]:
    """The production environment for `args` (its port, database and Redis db), with
    the database dropped, created and migrated, the static files collected (the pages
    need their manifest) and the Redis db flushed; Django is set up in this process
    with the same environment (and so the same SECRET_KEY) as the server gets."""
    env = production_environment(args)
    database_create(args.pg_url, args.database, synchronous_commit)
    django_setup(env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    import redis

    redis.Redis.from_url(args.redis).flushdb()
    return env


def gift_bank(size: int) -> str:
    lines = []
    for i in range(1, size + 1):
        lines.append(
            f"::Soal {i}:: Pertanyaan nomor {i} tentang kebijakan publik? "
            f"{{=Jawaban benar {i} ~Jawaban salah A{i} ~Jawaban salah B{i} ~Jawaban salah C{i}}}\n"
        )
    return "\n".join(lines)


def seed(
    users: int, time_limit: int, *, passing_grade: float = 60, certificates: bool = True
) -> dict[str, Any]:
    """One published course with a 24-question bank, its final exam and N enrolled learners."""
    import datetime as dt

    from captcha.models import CaptchaStore
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from mooc.accounts.models import User
    from mooc.catalog.models import Category, Course, Enrollment
    from mooc.catalog.services import course_publication_set
    from mooc.exams.models import Exam
    from mooc.exams.services.banks import question_file_parse, questions_import

    now = timezone.now()
    admin = User.objects.create_superuser(
        username="bench-admin",
        password=secrets.token_urlsafe(16),
        full_name="Bench Admin",
        email="admin@bench.invalid",
        activated_at=now,
    )
    category, _ = Category.objects.get_or_create(slug="umum", defaults={"name": "Umum"})
    course = Course.objects.create(
        slug="ujian-bench",
        title="Kursus Uji Beban",
        summary="Uji beban.",
        category=category,
        jp=2,
        gives_certificate=certificates,
    )
    course_publication_set(actor=admin, courses=Course.objects.filter(pk=course.pk), published=True)
    parsed = question_file_parse(data=gift_bank(24).encode(), filename="bank.gift")
    questions_import(course=course, result=parsed, actor=admin)
    exam = Exam.objects.create(
        course=course,
        title="Ujian Akhir",
        is_final=True,
        question_count=QUESTIONS,
        time_limit_minutes=time_limit,
        passing_grade=passing_grade,
    )
    # One hash for everybody: hashing N Argon2 passwords here would take minutes.
    # The logins, which are measured, each verify the hash as usual.
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(
        (
            User(
                username=f"bench{i:05d}",
                password=hashed,
                full_name=f"Peserta {i}",
                email=f"bench{i:05d}@bench.invalid",
                activated_at=now,
            )
            for i in range(users)
        ),
        batch_size=1000,
    )
    learners = list(User.objects.filter(username__startswith="bench0").values_list("pk", flat=True))
    Enrollment.objects.bulk_create(
        (Enrollment(user_id=pk, course=course, jp=course.jp) for pk in learners), batch_size=1000
    )
    # Each learner "reads" their own captcha: the answers are known in advance. A few
    # each: a learner whose login failed (a 502/504 from nginx) tries again with a new one.
    CaptchaStore.objects.bulk_create(
        (
            CaptchaStore(
                challenge="BENCH",
                response="bench",
                hashkey=f"bench-{i:05d}-{k}",
                expiration=now + dt.timedelta(hours=3),
            )
            for i in range(users)
            for k in range(LOGIN_TRIES)
        ),
        batch_size=1000,
    )
    return {"exam_id": exam.pk, "course_id": course.pk}


# --- Processes -------------------------------------------------------------------------


def celery_start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """One Celery worker, as in production: it numbers, renders and mails certificates.
    At the lowest CPU priority (docs/operations.md: background work must not take
    the cores from the learners' requests on a shared host)."""
    command = [
        "nice",
        "-n",
        "19",
        str(ROOT / ".venv" / "bin" / "celery"),
        "-A",
        "config",
        "worker",
        "--concurrency",
        "1",
        "--loglevel",
        "WARNING",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )


def certificates_wait(course_id: int, timeout: float = 300) -> float:
    """Seconds until the worker has completed every certificate of the course."""
    from django.db.models import Q

    from mooc.certificates.models import Certificate

    began = time.time()
    while time.time() - began < timeout:
        pending = Certificate.objects.filter(course_id=course_id).filter(
            Q(number__isnull=True) | Q(current_version__isnull=True)
        )
        if not pending.exists():
            break
        time.sleep(1)
    return time.time() - began


def gunicorn_start(
    args: argparse.Namespace,
    env: dict[str, str],
    log: Path,
    *,
    port: int | None = None,
    workers: int | None = None,
    nice: int = 0,
) -> subprocess.Popen[bytes]:
    port = port or args.port
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers or args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--backlog",
        "4096",
        # Like nginx in front of browsers: a learner's connection stays open between
        # answers (a client sending just as the server closes an idle one would fail).
        "--keep-alive",
        "75",
        "--worker-connections",
        "4000",
        "--timeout",
        "120",
        "--graceful-timeout",
        "10",
        "--worker-tmp-dir",
        "/dev/shm",  # noqa: S108 - gunicorn's heartbeat files, as in production
        "--no-control-socket",
    ]
    if nice:
        command = ["nice", "-n", str(nice), *command]  # exec's gunicorn: same pid
    if args.server_cpus:
        command = ["taskset", "--cpu-list", args.server_cpus, *command]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    services.register(f"gunicorn on {port}", lambda: _stop_gunicorn(process))
    deadline = time.time() + 60
    probe = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": env["ALLOWED_HOSTS"].split(",")[0]}
    )
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(probe, timeout=2):  # noqa: S310 - loopback
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer; see {log}")


def _stop_gunicorn(process: subprocess.Popen[bytes]) -> None:
    workers = services.children(process.pid)
    services.terminate(process, 30)
    for pid in workers:  # only left when the master was killed
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def locust_run(
    args: argparse.Namespace, *, mode: str, users: int, exam_id: int, out: Path, run_time: int
) -> dict[str, Any]:
    env = {
        **os.environ,
        "BENCH_MODE": mode,
        "BENCH_USERS": str(users),
        "BENCH_EXAM_ID": str(exam_id),
        "BENCH_QUESTIONS": str(QUESTIONS),
        "BENCH_PASSWORD": PASSWORD,
        "BENCH_START_WINDOW": str(args.start_window),
        "BENCH_THINK_MIN": str(args.think_min),
        "BENCH_THINK_MAX": str(args.think_max),
        "BENCH_PHASE": str(args.phase),
        "BENCH_ROUNDS": str(args.rounds),
        "BENCH_OUT": str(out),
        "BENCH_ORIGIN": front(args).replace("http://", "https://"),
        "BENCH_SUBMIT_TOGETHER": str(args.submit_together),
        "BENCH_SAVE_HOST": (
            f"http://127.0.0.1:{args.port + 1}" if args.save_pool and not args.nodes else ""
        ),
        "BENCH_API": "1" if getattr(args, "api", False) else "",
        "BENCH_API_DRF": "1" if getattr(args, "api_drf", False) else "",
        "BENCH_CLOCK_FILE": str(out.with_suffix(".clock")),
        "BENCH_LOGIN_TRIES": str(LOGIN_TRIES),
        "BENCH_DROP_AT": (
            str(args.start_window + args.fault_after)
            if args.fault == "network" and mode == "exam"
            else ""
        ),
        "BENCH_DROP_SECONDS": str(args.drop_seconds),
        "BENCH_DROP_SHARE": str(args.drop_share),
    }
    command = [
        args.locust,
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--host",
        front(args),
        "--run-time",
        f"{run_time}s",
        "--stop-timeout",
        "30",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    if args.locust_cpus:
        command = ["taskset", "--cpu-list", args.locust_cpus, *command]
    if args.locust_nice:
        command = ["nice", "-n", str(args.locust_nice), *command]
    with (out.with_suffix(".log")).open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT / "bench", env=env, stdout=log, stderr=log)
        sched = (0.0, 0.0)
        while process.poll() is None:
            sched = _sched_seconds(process.pid) or sched
            time.sleep(1)
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    data["locust_sched"] = {"cpu": sched[0], "wait": sched[1]}
    return data


def _sched_seconds(pid: int) -> tuple[float, float] | None:
    """CPU seconds and seconds spent runnable but waiting for a core, over every thread
    of `pid` (/proc/<pid>/task/*/schedstat); None once it has exited. A load generator
    that waits for a core reports the server slower than it is."""
    cpu = wait = 0
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            with open(f"{task.path}/schedstat", encoding="ascii") as stat:
                fields = stat.read().split()
            cpu += int(fields[0])
            wait += int(fields[1])
    except OSError:
        return None
    return cpu / 1e9, wait / 1e9


# --- Where the CPU goes ------------------------------------------------------------------

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Process names (/proc/<pid>/comm) grouped as the report shows them.
_GROUPS = {
    "gunicorn": "gunicorn",
    "postgres": "postgres",
    "redis-server": "redis",
    "locust": "locust",
    "celery": "celery",
    "nginx": "nginx",
}


def _locust_wait_line(data: dict[str, Any], args: argparse.Namespace) -> str:
    sched = data.get("locust_sched") or {}
    cpu, wait = float(sched.get("cpu", 0.0)), float(sched.get("wait", 0.0))
    share = wait / (cpu + wait) if cpu + wait else 0.0
    return (
        f"locust (nice {args.locust_nice}): {cpu:.0f} s on a core, {wait:.0f} s runnable "
        f"but waiting for one ({share:.0%} of its time)"
    )


def cpu_by_process() -> dict[int, tuple[str, float]]:
    """Every process's group and CPU seconds (user + system) used so far."""
    found: dict[int, tuple[str, float]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                raw = stat.read()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        group = next((g for prefix, g in _GROUPS.items() if name.startswith(prefix)), "other")
        found[int(entry.name)] = (group, (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS)
    return found


class CpuSampler(threading.Thread):
    """Samples `cpu_by_group` twice a second, so the report can say, per phase, how
    much of the machine each part used."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, dict[int, tuple[str, float]]]] = []
        self.loads: list[float] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append((time.time(), cpu_by_process()))
            self.loads.append(os.getloadavg()[0])
            self.stopped.wait(0.5)

    def _used(self, start: float, end: float) -> tuple[dict[int, tuple[str, float]], float]:
        """CPU seconds per process between start and end, summed over consecutive
        samples (so short-lived processes, like database backends recycled every
        minute, count while they lived), and the seconds covered."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        used: dict[int, tuple[str, float]] = {}
        for (_t0, before), (_t1, after) in itertools.pairwise(inside):
            for pid, (group, seconds) in after.items():
                if pid in before:
                    total = used.get(pid, (group, 0.0))[1]
                    used[pid] = (group, total + seconds - before[pid][1])
        span = inside[-1][0] - inside[0][0] if len(inside) >= 2 else 0.0
        return used, span

    def _used_in(self, windows: Windows) -> tuple[dict[int, tuple[str, float]], float]:
        """`_used` summed over several (start, end) windows."""
        used: dict[int, tuple[str, float]] = {}
        covered = 0.0
        for start, end in windows:
            part, span = self._used(start, end)
            covered += span
            for pid, (group, seconds) in part.items():
                used[pid] = (group, used.get(pid, (group, 0.0))[1] + seconds)
        return used, covered

    def share(self, windows: Windows) -> dict[str, float]:
        """Cores used by each group in the windows (2.0 = two full cores)."""
        used, span = self._used_in(windows)
        if span <= 0:
            return {}
        totals: dict[str, float] = defaultdict(float)
        for group, seconds in used.values():
            totals[group] += seconds
        return {g: v / span for g, v in totals.items()}

    def per_process(self, group: str, windows: Windows) -> list[float]:
        """Cores used by each process of `group` in the windows, busiest first (shows
        whether the gunicorn workers share the load)."""
        used, span = self._used_in(windows)
        if span <= 0:
            return []
        cores = [seconds / span for name, seconds in used.values() if name == group]
        return sorted((c for c in cores if c >= 0.005), reverse=True)


def cpu_lines(title: str, sampler: CpuSampler, windows: Windows) -> list[str]:
    share = sampler.share(windows)
    if not share:
        return []
    parts = ", ".join(f"{g} {v:.2f}" for g, v in sorted(share.items(), key=lambda i: -i[1]))
    workers = " + ".join(f"{v:.2f}" for v in sampler.per_process("gunicorn", windows))
    return [f"cores used, {title}: {parts} (gunicorn processes {workers})"]


# --- Checking and reporting --------------------------------------------------------------


def verify(
    acked: list[list[Any]],
    *,
    exam_id: int,
    expect_graded: bool,
    chosen: list[list[Any]] | None = None,
) -> dict[str, int]:
    """Every acknowledged save stored; every attempt graded once, with a grade that
    counts exactly the stored answers; and every learner's last choice per question
    (acknowledged or not: after a fault the client's retries must bring it in) stored."""
    from mooc.exams.grading import GradedQuestion, attempt_score
    from mooc.exams.models import Attempt, AttemptAnswer, AttemptQuestion

    latest: dict[tuple[int, int], tuple[int, list[int]]] = {}
    for attempt_id, position, options, seq in acked:
        key = (attempt_id, position)
        if key not in latest or latest[key][0] < seq:
            latest[key] = (seq, options)
    stored = {
        (row["attempt_question__attempt_id"], row["attempt_question__position"]): (
            row["client_seq"],
            row["option_positions"],
        )
        for row in AttemptAnswer.objects.filter(attempt_question__attempt__exam_id=exam_id).values(
            "attempt_question__attempt_id",
            "attempt_question__position",
            "client_seq",
            "option_positions",
        )
    }
    lost = 0
    for key, (seq, options) in latest.items():
        found = stored.get(key)
        if found is None or found[0] < seq or (found[0] == seq and found[1] != options):
            lost += 1
    last_chosen: dict[tuple[int, int], tuple[int, list[int]]] = {}
    for attempt_id, position, options, seq in chosen or []:
        key = (attempt_id, position)
        if key not in last_chosen or last_chosen[key][0] < seq:
            last_chosen[key] = (seq, options)
    chosen_missing = sum(
        1
        for key, (seq, options) in last_chosen.items()
        if key not in stored or stored[key][0] != seq or stored[key][1] != options
    )
    attempts = list(Attempt.objects.filter(exam_id=exam_id))
    per_user: dict[int, int] = defaultdict(int)
    for attempt in attempts:
        per_user[attempt.user_id] += 1
    graded = [a for a in attempts if a.state == "graded" and a.graded_at is not None]
    wrong_grade = 0
    if expect_graded:
        questions = AttemptQuestion.objects.filter(attempt__exam_id=exam_id).select_related(
            "snapshot"
        )
        by_attempt: dict[int, list[GradedQuestion]] = defaultdict(list)
        for question in questions:
            key = (question.attempt_id, question.position)
            by_attempt[question.attempt_id].append(
                GradedQuestion(
                    qtype=question.qtype,
                    weights=question.weights,
                    chosen=stored[key][1] if key in stored else [],
                    max_points=question.max_points,
                )
            )
        wrong_grade = sum(1 for a in graded if a.score != attempt_score(by_attempt[a.pk]))
    return {
        "acknowledged saves": len(acked),
        "answers to check (latest per question)": len(latest),
        "lost answers": lost,
        "last choices (per question) not stored": chosen_missing,
        "attempts": len(attempts),
        "learners with more than one attempt": sum(1 for n in per_user.values() if n > 1),
        "attempts graded": len(graded),
        "attempts not graded": len(attempts) - len(graded) if expect_graded else 0,
        "grades not matching the stored answers": wrong_grade,
        **_certificate_checks(exam_id),
    }


def _certificate_checks(exam_id: int) -> dict[str, int]:
    """Passed enrolments and their certificates: one each, numbered 1..n without a gap."""
    from mooc.catalog.models import Enrollment
    from mooc.certificates.models import Certificate
    from mooc.exams.models import Exam

    course_id = Exam.objects.values_list("course_id", flat=True).get(pk=exam_id)
    passed = Enrollment.objects.filter(course_id=course_id, result="passed").count()
    sequences = sorted(
        Certificate.objects.filter(course_id=course_id).values_list("sequence", flat=True),
        key=lambda n: n or 0,
    )
    numbered = [n for n in sequences if n is not None]
    return {
        "passed enrolments": passed,
        "certificates": len(sequences),
        "certificates without a number": len(sequences) - len(numbered),
        "gaps or repeats in the numbers": 0 if numbered == list(range(1, len(numbered) + 1)) else 1,
    }


def _loads(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def step_table(records: list[list[Any]]) -> list[str]:
    by_step: dict[str, list[tuple[float, float, bool]]] = defaultdict(list)
    for name, end, rt, ok in records:
        by_step[name].append((end, rt, ok))
    lines = [
        f"{'step':<18}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}"
    ]
    for name in sorted(by_step):
        rows = by_step[name]
        times = [rt for _, rt, _ in rows]
        ends = [end for end, _, _ in rows]
        span = max(ends) - min(e - rt / 1000 for e, rt, _ in rows) if rows else 0
        rate = len(rows) / span if span > 0 else 0.0
        lines.append(
            f"{name:<18}{len(rows):>9}{sum(1 for *_, ok in rows if not ok):>8}{rate:>9.1f}"
            f"{percentile(times, 50):>9.0f}{percentile(times, 95):>9.0f}"
            f"{percentile(times, 99):>9.0f}{max(times):>9.0f}"
        )
    return lines


# nginx's access log (docs/operations.md's `mooc` format): local time, request, status
# and $request_time (from reading the request's first bytes to sending the last).
_NGINX_LINE = re.compile(
    r'\[(\d+/\w+/\d+:\d+:\d+:\d+ [+-]\d{4})\] "(\w+) (\S+) [^"]*" (\d{3}) .*? rt=([\d.]+)'
)
_NGINX_STEPS = (
    ("GET", re.compile(r"^/login/"), "1 login page"),
    ("POST", re.compile(r"^/login/"), "2 login"),
    ("POST", re.compile(r"^/ujian/\d+/mulai/"), "3 start exam"),
    ("GET", re.compile(r"^/ujian/percobaan/\d+/soal/"), "4 question page"),
    ("POST", re.compile(r"^/ujian/percobaan/\d+/jawab/"), "5 save answer"),
    ("GET", re.compile(r"^/ujian/percobaan/\d+/kirim/"), "6 submit page"),
    ("POST", re.compile(r"^/ujian/percobaan/\d+/kirim/"), "7 submit"),
    ("GET", re.compile(r"^/ujian/percobaan/\d+/hasil/"), "8 result page"),
    ("GET", re.compile(r"^/bench/ceiling/"), "9 ceiling view"),
)


def nginx_records(log: Path) -> list[list[Any]]:
    """Each request of the run as nginx saw it, as [step, end, ms, ok] like locust's
    records (the end to the second: nginx's time has no fraction)."""
    import datetime as dt

    records: list[list[Any]] = []
    if not log.exists():
        return records
    with log.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            found = _NGINX_LINE.search(line)
            if found is None:
                continue
            when, method, path, status, seconds = found.groups()
            step = next(
                (name for m, pattern, name in _NGINX_STEPS if m == method and pattern.match(path)),
                None,
            )
            if step is None:
                continue
            end = dt.datetime.strptime(when, "%d/%b/%Y:%H:%M:%S %z").timestamp()
            records.append([step, end, float(seconds) * 1000, int(status) < 500])
    return records


def measured(clock: dict[str, Any], kind: str) -> Windows:
    """The measured part of each saturation window of `kind` ("saves" or
    "ceiling"): the first window of the run leaves out two seconds of warm-up, the
    others half a second (the switch from the other kind)."""
    windows = clock.get("windows", [])
    return [
        (start + (2.0 if number == 0 else 0.5), end)
        for number, (name, start, end) in enumerate(windows)
        if name == kind
    ]


def rate_in(records: list[list[Any]], name: str, windows: Windows) -> float:
    """Completed requests per second of `name` within the windows."""
    ends = sorted(t for n, t, _, ok in records if n == name and ok)
    count = sum(
        bisect.bisect_right(ends, end) - bisect.bisect_left(ends, start) for start, end in windows
    )
    span = sum(end - start for start, end in windows)
    return count / span if span > 0 else 0.0


def round_ratios(records: list[list[Any]], clock: dict[str, Any]) -> list[float]:
    """Saves / ceiling in each round of a saturation run (a save window and the
    ceiling window beside it)."""
    saves, ceiling = measured(clock, "saves"), measured(clock, "ceiling")
    ratios = []
    for save_window, ceiling_window in zip(saves, ceiling, strict=False):
        top = rate_in(records, "9 ceiling view", [ceiling_window])
        if top:
            ratios.append(rate_in(records, "5 save answer", [save_window]) / top)
    return ratios


def busiest(records: list[list[Any]], name: str, width: float = 10) -> float:
    buckets: dict[int, int] = defaultdict(int)
    for n, t, _, ok in records:
        if n == name and ok:
            buckets[int(t // width)] += 1
    return max(buckets.values(), default=0) / width


def main() -> None:
    args = parse_args()
    if args.save_pool is None:
        args.save_pool = 0 if args.saturate else 2
    if args.save_pool and args.saturate:
        raise SystemExit(
            "--save-pool is for exam mode: saturation compares saves and the ceiling on one server"
        )
    if args.saturate and (args.nodes or args.fault):
        raise SystemExit("--nodes and --fault are for exam mode")
    if args.fault and not args.nodes:
        raise SystemExit("--fault needs --nodes (the documented layout behind nginx)")
    if args.fault == "node-kill" and args.nodes < 2:
        raise SystemExit("--fault node-kill needs --nodes 2 or more")
    if args.nodes and not args.save_pool:
        raise SystemExit("--nodes: each node has its save pool (--save-pool 1 or more)")
    multi = bool(args.nodes or args.fault)
    if args.pg_port is None:
        args.pg_port = 5440 if multi else 0
    if args.redis_port is None:
        args.redis_port = 6390 if multi else 0
    if args.fault == "pg-restart" and not args.pg_port:
        raise SystemExit("--fault pg-restart needs the benchmark's own cluster (--pg-port)")
    if args.fault == "redis-restart" and not args.redis_port:
        raise SystemExit("--fault redis-restart needs the benchmark's own Redis (--redis-port)")
    services.install_handlers()
    try:
        run(args)
    finally:
        services.cleanup()


def run(args: argparse.Namespace) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    began = time.time()
    load_before = os.getloadavg()
    open_files = services.raise_file_limit()
    needed = args.users * (1 if args.nodes else 2) + 200
    if open_files < needed:
        print(f"warning: {open_files} open files allowed, locust needs about {needed}")

    pg: services.PgCluster | None = None
    if args.pg_port:
        threads = args.threads * (args.workers + args.save_pool) * max(1, args.nodes)
        pg = services.PgCluster(args.pg_port, max_connections=max(200, threads + 50))
        print(f"Creating PostgreSQL cluster {pg.version}/{pg.name} on {pg.port}…", flush=True)
        pg.create()
        args.pg_url = pg.url
    else:
        args.pg_url = "postgres://postgres@127.0.0.1:5432"
    redis_server: services.RedisServer | None = None
    if args.redis_port:
        redis_server = services.RedisServer(args.redis_port, RESULTS / "var" / "redis")
        redis_server.start()
        args.redis = redis_server.url(0)

    print(f"Preparing database {args.database} and {args.users} learners…", flush=True)
    env = site_prepare(args, synchronous_commit=args.synchronous_commit)
    seeded = seed(
        args.users,
        args.time_limit,
        passing_grade=args.passing_grade,
        certificates=not args.no_certificates,
    )

    from django.db import connections

    connections.close_all()  # the server gets every connection slot
    servers: list[subprocess.Popen[bytes]] = []
    # node number -> (main pool, save pool)
    nodes: dict[int, list[subprocess.Popen[bytes]]] = {}
    nginx: services.Nginx | None = None

    # Pages yield to answer saves only where saves have a pool of their own.
    page_nice = args.page_nice if args.save_pool and not args.saturate else 0

    def node_start(number: int) -> list[subprocess.Popen[bytes]]:
        app_port, saves_port = node_ports(args, number)
        pools = [
            gunicorn_start(
                args,
                env,
                RESULTS / f"{stamp}-node{number + 1}-gunicorn.log",
                port=app_port,
                nice=page_nice,
            ),
            gunicorn_start(
                args,
                env,
                RESULTS / f"{stamp}-node{number + 1}-gunicorn-saves.log",
                port=saves_port,
                workers=args.save_pool,
            ),
        ]
        servers.extend(pools)
        return pools

    if args.nodes:
        for number in range(args.nodes):
            nodes[number] = node_start(number)
        config = nginx_conf.render(
            RESULTS / "var" / "nginx",
            https_port=args.port,
            http_port=args.port + 1,
            nodes=[nginx_conf.Node(*node_ports(args, n)) for n in range(args.nodes)],
            static_root=Path(env["STATIC_ROOT"]),
            private_root=Path(env["PRIVATE_MEDIA_ROOT"]),
            media_root=Path(env["MEDIA_ROOT"]),
        )
        nginx = services.Nginx(config, args.port)
        nginx.start()
    else:
        servers.append(gunicorn_start(args, env, RESULTS / f"{stamp}-gunicorn.log", nice=page_nice))
        if args.save_pool:
            servers.append(
                gunicorn_start(
                    args,
                    env,
                    RESULTS / f"{stamp}-gunicorn-saves.log",
                    port=args.port + 1,
                    workers=args.save_pool,
                )
            )
    worker = celery_start(env, RESULTS / f"{stamp}-celery.log")
    services.register("celery worker", lambda: services.terminate(worker, 30))
    sampler = CpuSampler()
    sampler.start()

    def fault_action(times: dict[str, float]) -> None:
        if args.fault == "node-kill":
            for pool in nodes[0]:
                os.kill(pool.pid, signal.SIGKILL)
            if args.node_restart_after:
                time.sleep(args.node_restart_after)
                times["node 1 started again"] = time.time()
                nodes[0] = node_start(0)
                times["node 1 answers again"] = time.time()
        elif args.fault == "pg-restart":
            assert pg is not None
            pg.restart()
        elif args.fault == "redis-restart":
            assert redis_server is not None
            redis_server.restart_flushed()

    mode = "saturate" if args.saturate else "exam"
    out = RESULTS / f"{stamp}-{mode}.json"
    runner: faults.FaultRunner | None = None
    if args.fault:
        runner = faults.FaultRunner(
            args.fault,
            out.with_suffix(".clock"),
            start_window=args.start_window,
            after=args.fault_after,
            action=fault_action,
        )
        runner.start()
    try:
        exam_budget = int(args.start_window + QUESTIONS * (args.think_max + 5) + 120)
        if args.fault:
            exam_budget += int(args.node_restart_after + args.drop_seconds + 120)
        # Only a safety cap: locust quits by itself when every learner is done. It
        # allows for the spawning (--spawn-rate), a login storm at 0.5 logins a second
        # (Django's Argon2 on two cores shared with other work: 0.8/s was measured),
        # the exam, and the saturation phases.
        spawning = args.users / args.spawn_rate
        run_time = int(
            spawning + args.users * 2 + exam_budget + 2 * (args.phase + args.rounds) + 60
        )
        print(f"Running locust ({mode}, {args.users} learners)…", flush=True)
        data = locust_run(
            args,
            mode=mode,
            users=args.users,
            exam_id=seeded["exam_id"],
            out=out,
            run_time=run_time,
        )
        if mode == "exam":
            print(f"Running the ceiling view ({args.ceiling_users} clients)…", flush=True)
            ceiling = locust_run(
                args,
                mode="ceiling",
                users=args.ceiling_users,
                exam_id=seeded["exam_id"],
                out=RESULTS / f"{stamp}-ceiling.json",
                run_time=int(args.phase + 60),
            )
        else:
            ceiling = data
        drained = certificates_wait(seeded["course_id"])
    finally:
        sampler.stopped.set()
        if runner is not None:
            runner.stopped.set()
            runner.join(timeout=120)
        if nginx is not None:
            nginx.stop()
        for running in servers:
            _stop_gunicorn(running)
        services.terminate(worker, 30)
    load_after = os.getloadavg()

    checks = verify(
        data["acked"],
        exam_id=seeded["exam_id"],
        expect_graded=mode == "exam",
        chosen=data.get("chosen", []),
    )
    records = data["records"]
    clock = data["clock"]
    # Logins that got in (a "Menunggu giliran…" page is not one: locustfile._queued_post).
    logins = [r for r in records if r[0] == "2 login, incl. queue" and r[3]]
    login_rate = (
        len(logins) / (clock["all_logged_in"] - clock["first_login"])
        if "all_logged_in" in clock
        else 0.0
    )
    save_windows = measured(clock, "saves")
    busiest_window = max((rate_in(records, "5 save answer", [w]) for w in save_windows), default=0)
    if mode == "saturate":
        save_rate = rate_in(records, "5 save answer", save_windows)
    else:
        saves = [r for r in records if r[0] == "5 save answer"]
        first = min((r[1] - r[2] / 1000 for r in saves), default=0.0)
        last = max((r[1] for r in saves), default=0.0)
        save_rate = len([r for r in saves if r[3]]) / (last - first) if last > first else 0.0
    cclock = ceiling["clock"]
    ceiling_rate = rate_in(ceiling["records"], "9 ceiling view", measured(cclock, "ceiling"))
    ratios = round_ratios(records, clock) if mode == "saturate" else []
    api_lines: list[str] = []
    if mode == "saturate" and args.api:
        for kind, name, label in (
            ("api", "5b api save", "API saves per second (save token, lane)"),
            ("api-bearer", "5c api save (bearer only)", "API saves per second (bearer only)"),
            *(
                [
                    (
                        "api-drf-bearer",
                        "5d api save, DRF (bearer only)",
                        "API saves/s, DRF (bearer only)",
                    )
                ]
                if args.api_drf
                else []
            ),
        ):
            rate = rate_in(records, name, measured(clock, kind))
            api_lines.append(f"{label:<44}{rate:>10.1f}")
            api_lines.append(f"{'  / web saves':<44}{rate / save_rate if save_rate else 0:>10.0%}")
            per_round = [
                rate_in(records, name, [api]) / web
                for api, web_window in zip(measured(clock, kind), save_windows, strict=False)
                if (web := rate_in(records, "5 save answer", [web_window]))
            ]
            api_lines.append(
                f"{'  / web saves, each round':<44}" + " ".join(f"{r:.0%}" for r in per_round)
            )
    if mode == "saturate" and args.api and args.api_drf:
        # The frameworks head to head: the same save, both bearer only.
        ninja_name, drf_name = "5c api save (bearer only)", "5d api save, DRF (bearer only)"
        ninja = rate_in(records, ninja_name, measured(clock, "api-bearer"))
        drf = rate_in(records, drf_name, measured(clock, "api-drf-bearer"))
        api_lines.append(
            f"{'DRF / ninja (both bearer only)':<44}{drf / ninja if ninja else 0:>10.0%}"
        )
        per_round = [
            rate_in(records, drf_name, [d]) / n
            for d, n_window in zip(
                measured(clock, "api-drf-bearer"), measured(clock, "api-bearer"), strict=False
            )
            if (n := rate_in(records, ninja_name, [n_window]))
        ]
        api_lines.append(f"{'  each round':<44}" + " ".join(f"{r:.0%}" for r in per_round))
    errors = sum(1 for r in records if not r[3])
    if mode == "saturate":
        cpu = cpu_lines("saves", sampler, measured(clock, "saves"))
    else:
        first_start = min((r[1] for r in records if r[0] == "3 start exam"), default=0.0)
        cpu = cpu_lines("first 3 minutes", sampler, [(first_start, first_start + 180)])
        cpu += cpu_lines("after", sampler, [(first_start + 180, clock.get("all_done", 0.0))])
    cpu += cpu_lines("ceiling", sampler, measured(cclock, "ceiling"))
    nginx_log = RESULTS / "var" / "nginx" / "logs" / "mooc.access.log"
    if args.nodes and nginx_log.exists():
        # The next run with nginx starts the log anew: keep this run's beside its records.
        shutil.copyfile(nginx_log, RESULTS / f"{stamp}-nginx-access.log")

    lines = [
        "",
        f"Exam-day benchmark — {mode}, {args.users} learners, {os.cpu_count()} CPUs, "
        + (
            f"{args.nodes} app node(s) behind nginx (docs/operations.md), each "
            if args.nodes
            else ""
        )
        + f"gunicorn {args.workers} × {args.worker_class}"
        + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
        + (f", answer saves on their own pool of {args.save_pool}" if args.save_pool else "")
        + (
            f", pages at nice {args.page_nice}"
            if args.save_pool and not args.saturate and args.page_nice
            else ""
        ),
        f"think time {args.think_min:g}–{args.think_max:g} s, start window {args.start_window:g} s"
        + f", passing grade {args.passing_grade:g}, certificates "
        + ("off" if args.no_certificates else "on")
        + (f", everybody submits within {args.submit_together:g} s" if args.submit_together else "")
        if mode == "exam"
        else f"{args.phase:g} s of saves and of the ceiling view in {args.rounds} alternating "
        "rounds, no think time",
        "",
        *step_table(records + (ceiling["records"] if mode == "exam" else [])),
        "",
        *(
            [
                "the same steps as nginx saw them ($request_time, from reading a request to "
                "sending its answer: the servers' side, without the load generator's own waits "
                "for a core; errors: 5xx)",
                *step_table(nginx_records(nginx_log)),
                "",
            ]
            if args.nodes
            else []
        ),
        f"{'answer saves per second':<44}{save_rate:>10.1f}"
        + ("  (mean over the exam)" if mode == "exam" else "  (saturated)"),
        (
            f"{'answer saves per second, busiest 10 s':<44}"
            f"{busiest(records, '5 save answer'):>10.1f}"
            if mode == "exam"
            else f"{'answer saves per second, busiest window':<44}" + f"{busiest_window:>10.1f}"
        ),
        f"{'ceiling view per second (one query)':<44}{ceiling_rate:>10.1f}",
        f"{'saves / ceiling':<44}{save_rate / ceiling_rate if ceiling_rate else 0:>10.0%}",
        *api_lines,
        *(
            [f"{'saves / ceiling, each round':<44}" + " ".join(f"{r:.0%}" for r in ratios)]
            if len(ratios) > 1
            else []
        ),
        f"{'logins per second (Argon2 per login)':<44}{login_rate:>10.1f}",
        f"{'errors (all steps, before the retries)':<44}{errors:>10}",
        *faults.client_lines(data.get("client", {})),
        *(
            faults.fault_report(
                args.fault,
                records,
                runner.times if runner else {},
                data.get("client", {}),
                clock,
                data.get("failures", []),
            )
            if args.fault
            else []
        ),
        *([f"fault runner error: {runner.error}"] if runner is not None and runner.error else []),
        *cpu,
        _locust_wait_line(data, args),
        f"load average (1/5/15 min): before {_loads(load_before)}, highest 1-min during "
        f"{max(sampler.loads, default=0.0):.1f}, after {_loads(load_after)}",
        f"database: {'own cluster on ' + str(args.pg_port) if args.pg_port else 'shared 5432'}"
        f", Redis: {args.redis}",
        "",
        *(f"{name:<44}{value:>10}" for name, value in checks.items()),
        f"{'certificates completed by the worker, s after':<44}{drained:>10.0f}",
        "",
        f"wall time {time.time() - began:.0f} s; records in {RESULTS}",
    ]
    report = "\n".join(lines)
    print(report)
    (RESULTS / f"{stamp}-{mode}-report.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
