"""Production smoke test: run with a virtualenv that has requirements/base.txt ONLY.

CI (`.ci/run`) creates such a virtualenv, so a runtime dependency that only the
development requirements bring (as `packaging` was for kombu's Redis transport)
breaks CI instead of production. It runs the site as production does:

- DEBUG off, PostgreSQL (a database of its own, created and dropped here), Redis
  (a database number and key prefix of its own);
- `check --deploy`, `migrate`, `collectstatic`;
- gunicorn, and a Celery worker on the Redis broker;
- a local SMTP sink (started here) as the mail server;
- nginx imitated: requests come from 127.0.0.1 (a trusted proxy) with
  `X-Forwarded-Proto: https` and the public host name.

Then a learner registers through the real form (the image captcha's answer is read
from the database, as no test mode exists in production), the activation mail must
arrive over SMTP within a minute, its link must activate the account, and /healthz
must answer 200. Exits non-zero, saying which step failed.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/x REDIS_URL=redis://127.0.0.1:6379/0 \
       .venv-base/bin/python scripts/smoke_production.py
Only the server of DATABASE_URL is used (the database name is replaced), and only the
database number given by SMOKE_REDIS_DB (default 3) of the REDIS_URL server.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import os
import re
import secrets
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
HOST = "smoke.example.go.id"
SMOKE_DB = "mooc_smoke"


class Failure(Exception):
    pass


# --- A local SMTP sink --------------------------------------------------------
class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for Django's SMTP backend (no TLS, no auth)."""

    def _reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        self._reply("220 smoke ESMTP")
        recipients: list[str] = []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            command = raw.decode("latin-1").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 smoke")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines: list[bytes] = []
                while True:
                    line = self.rfile.readline(1 << 20)
                    if line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                self.server.messages.append((recipients, message))  # type: ignore[attr-defined]
                self._reply("250 OK queued")
            elif verb == "RSET" or verb == "NOOP":
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


class SMTPSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []


# --- Helpers --------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_dsn(database_url: str, dbname: str) -> str:
    parts = urllib.parse.urlsplit(database_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + dbname))


def recreate_database(database_url: str) -> None:
    with psycopg.connect(server_dsn(database_url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SMOKE_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SMOKE_DB}")


def drop_database(database_url: str) -> None:
    with psycopg.connect(server_dsn(database_url, "postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SMOKE_DB} WITH (FORCE)")


class Browser:
    """A cookie-keeping client that talks to gunicorn as nginx would."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Accept-Language": "id",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def wait_for_http(browser: Browser, path: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _, _ = browser.request("GET", path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise Failure(f"gunicorn did not answer {path} with 200 within {seconds:.0f} s")


def step(title: str) -> None:
    print(f"smoke: {title}", flush=True)


@contextmanager
def process(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise Failure(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def captcha_answer(database_url: str, page: str) -> tuple[str, str]:
    match = re.search(r'name="captcha_0"[^>]*value="([0-9a-f]+)"', page) or re.search(
        r'value="([0-9a-f]+)"[^>]*name="captcha_0"', page
    )
    if not match:
        raise Failure("the registration page has no image captcha")
    hashkey = match.group(1)
    with psycopg.connect(server_dsn(database_url, SMOKE_DB)) as conn:
        row = conn.execute(
            "SELECT response FROM captcha_captchastore WHERE hashkey = %s", (hashkey,)
        ).fetchone()
    if row is None:
        raise Failure("the captcha shown is not in the database")
    return hashkey, str(row[0])


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise Failure("the page has no CSRF token")
    return match.group(1)


def wait_for_mail(sink: SMTPSink, to: str, seconds: float) -> email.message.EmailMessage:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for recipients, message in sink.messages:
            if to in recipients:
                return message
        time.sleep(0.5)
    raise Failure(f"no mail reached {to} over SMTP within {seconds:.0f} s")


def mail_text(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


# --- The run ------------------------------------------------------------------
def run(database_url: str, redis_url: str, workdir: Path) -> None:
    sink = SMTPSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    port = free_port()
    redis_parts = urllib.parse.urlsplit(redis_url)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "TRUSTED_PROXIES": "127.0.0.1",
        "DATABASE_URL": server_dsn(database_url, SMOKE_DB),
        "REDIS_URL": urllib.parse.urlunsplit(
            redis_parts._replace(path="/" + os.environ.get("SMOKE_REDIS_DB", "3"))
        ),
        "CACHE_KEY_PREFIX": f"mooc-smoke-{os.getpid()}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.server_address[1]),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "DEFAULT_FROM_EMAIL": "MOOC ASN <noreply@smoke.example.go.id>",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in ("CAPTCHA_TEST_MODE", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    bin_dir = Path(sys.executable).parent

    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # a broker queue left by an earlier run
    step("check --deploy")
    manage(env, "check", "--deploy", "--fail-level", "WARNING")
    step("migrate and collectstatic on a new PostgreSQL database")
    recreate_database(database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")

    gunicorn = [str(bin_dir / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"]
    celery = [str(bin_dir / "celery"), "-A", "config", "worker", "-l", "info", "-c", "1"]
    with (
        process(gunicorn, env, workdir / "gunicorn.log") as web,
        process(celery, env, workdir / "celery.log") as worker,
    ):
        browser = Browser(port)
        step("gunicorn answers /healthz")
        wait_for_http(browser, "/healthz", 60)
        time.sleep(1)
        if worker.poll() is not None:
            raise Failure("the Celery worker exited:\n" + (workdir / "celery.log").read_text())

        step("a learner registers")
        status, _, page = browser.request("GET", "/daftar/")
        if status != 200:
            raise Failure(f"GET /daftar/ answered {status}")
        hashkey, answer = captcha_answer(database_url, page)
        address = f"smoke-{secrets.token_hex(4)}@example.go.id"
        form = {
            "csrfmiddlewaretoken": csrf_token(page),
            "employee_type": "external",
            "instansi": "Pemerintah Kota Contoh",
            "full_name": "Peserta Uji Asap",
            "username": f"smoke{secrets.token_hex(3)}",
            "email": address,
            "phone": "081234567890",
            "jabatan": "Analis",
            "password1": "Rahasia123Kuat",
            "password2": "Rahasia123Kuat",
            "consent": "on",
            "captcha_0": hashkey,
            "captcha_1": answer,
        }
        status, _, page = browser.request("POST", "/daftar/", form)
        if status != 302:
            raise Failure(f"registration answered {status}, not a redirect:\n{page[:2000]}")

        step("the activation mail arrives over SMTP")
        message = wait_for_mail(sink, address, 60)
        link = re.search(rf"https://{re.escape(HOST)}(/\S+)", mail_text(message))
        if not link:
            raise Failure("the activation mail holds no link:\n" + mail_text(message))
        status, _, page = browser.request("GET", link.group(1))
        if status != 200:
            raise Failure(f"the activation link answered {status}")
        with psycopg.connect(server_dsn(database_url, SMOKE_DB)) as conn:
            row = conn.execute(
                "SELECT activated_at IS NOT NULL FROM accounts_user WHERE email = %s", (address,)
            ).fetchone()
        if not row or not row[0]:
            raise Failure("the account is not activated after following the link")

        step("/healthz answers 200")
        status, _, _ = browser.request("GET", "/healthz")
        if status != 200:
            raise Failure(f"/healthz answered {status}")
        if web.poll() is not None or worker.poll() is not None:
            raise Failure("gunicorn or the Celery worker exited during the run")
    sink.shutdown()


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis"):
        print("smoke: DATABASE_URL (PostgreSQL) and REDIS_URL must be set", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="mooc-smoke-"))
    try:
        run(database_url, redis_url, workdir)
    except Failure as failure:
        print(f"smoke: FAILED: {failure}", file=sys.stderr)
        for log in sorted(workdir.glob("*.log")):
            print(f"--- {log.name} (last 60 lines)", file=sys.stderr)
            print("\n".join(log.read_text(errors="replace").splitlines()[-60:]), file=sys.stderr)
        return 1
    finally:
        try:
            drop_database(database_url)
        except psycopg.Error as error:
            print(f"smoke: could not drop {SMOKE_DB}: {error}", file=sys.stderr)
    print("smoke: production smoke test passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
