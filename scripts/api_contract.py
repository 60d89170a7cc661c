"""Contract fuzzing of the REST API (docs/api.md): schemathesis against the running app.

Starts the site under gunicorn on a SQLite database of its own (a temporary folder),
seeds a learner enrolled in a course with materials, a final exam and a running
attempt, a passed course with its certificate, news and FAQ, and signs the learner's
"phone" in. Then schemathesis generates requests for every operation of
/api/v1/schema/, once with the learner's access token and once without, and fails on
any server error (5xx) or any response that breaks the schema.

Usage: .venv/bin/python scripts/api_contract.py [--max-examples N]
Run by .ci/run; about two minutes.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

SEED = r"""
from django.utils import timezone
from mooc.accounts.services.devices import device_sign_in
from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.certificates.tests.support import course_with_exam, pass_course
from mooc.content.models import News
from mooc.exams.services.attempts import attempt_start
from mooc.learning.tests.factories import AttachmentFactory, MaterialFactory, SectionFactory

learner = UserFactory.create(username="199001012019011001")
course, exam = course_with_exam(max_attempts=None)
section = SectionFactory.create(course=course)
material = MaterialFactory.create(section=section)
AttachmentFactory.create(material=material)
EnrollmentFactory.create(user=learner, course=course)
attempt_start(exam=exam, user=learner)
passed_course, passed_exam = course_with_exam()
pass_course(learner, passed_course, passed_exam)
CourseFactory.create()
News.objects.create(
    title="Berita", slug="berita", summary="Ringkas", body="<p>Isi</p>",
    is_published=True, published_at=timezone.now(),
)
print("TOKEN=" + device_sign_in(user=learner, label="schemathesis").access)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The app did not answer {url} within {timeout:.0f} s.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mooc-contract-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            "REDIS_URL": "",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": f"{folder}/media",
            "PRIVATE_MEDIA_ROOT": f"{folder}/private",
            # Generated sign-ins must not lock the seeded learner out mid-run.
            "LOGIN_FAILURE_LIMIT": "100000",
        }
        manage = [str(BIN / "python"), str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, cwd=ROOT)  # noqa: S603
        seeded = subprocess.run(  # noqa: S603
            [*manage, "shell", "-c", SEED],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
        token = next(line[6:] for line in seeded.splitlines() if line.startswith("TOKEN="))
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        failed = False
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(f"{base}/api/v1/schema/")
            for label, headers in (
                # Signing out (or signing this device out) would end the token for the
                # rest of the run: those two are fuzzed in the anonymous run.
                (
                    "signed in",
                    [
                        "-H",
                        f"Authorization: Bearer {token}",
                        "--exclude-name",
                        "POST /api/v1/auth/logout/",
                        "--exclude-name",
                        "DELETE /api/v1/me/devices/{device_id}/",
                    ],
                ),
                ("anonymous", []),
            ):
                print(f"schemathesis, {label}:", flush=True)
                result = subprocess.run(  # noqa: S603
                    [
                        str(BIN / "schemathesis"),
                        "run",
                        f"{base}/api/v1/schema/",
                        "--checks",
                        "not_a_server_error,response_schema_conformance",
                        "--max-examples",
                        str(args.max_examples),
                        "--seed",
                        "19",
                        "--request-timeout",
                        "30",
                        "--suppress-health-check",
                        "all",
                        *headers,
                    ],
                    env={**env, "NO_COLOR": "1"},
                    cwd=folder,  # its cache folder (.schemathesis) goes with the rest
                    check=False,
                )
                failed = failed or result.returncode != 0
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
