"""Locust scenario for the exam-day benchmark; started by bench/exam_day.py, which
passes the parameters in BENCH_* environment variables (see bench/README.md).

Modes:
- "exam": every learner logs in (the login storm); when all are logged in the clock
  starts, each starts the exam within BENCH_START_WINDOW seconds, opens the question
  page (it carries every question, as for a browser with exam.js), then for each
  question thinks and saves an answer, and finally submits and opens the result.
- "ceiling": only the ceiling phase of "saturate", anonymous.
- "saturate": every learner logs in and starts the exam, then all save answers with
  no think time and all call the one-query ceiling view, BENCH_PHASE seconds of
  each on the same connections, alternating in BENCH_ROUNDS rounds (see _windows).

Answer saves follow mooc/static/js/exam.js exactly: a choice becomes the pending
save and is sent at once; a failed save (network error, or any answer other than
200 with ok / 409 / 400 / 403 / 404) is retried after min(30 s, 1 s × 2^(n-1)) +
up to 0.5 s of jitter; a 409 closes the attempt, a 400/403/404 is not retried; a
save that succeeds while a newer choice waits sends the newer one; moving on (Next)
while an answer is unconfirmed sends it again at once and stays on the question —
the simulated learner presses Next again every CLICK_AGAIN seconds; coming back
online sends at once. Pages (login, start, question, submit, result) that fail with
a network error or a 500/502/503/504 are loaded again after PAGE_RETRY_WAIT seconds,
as a learner pressing reload would. Every such retry is counted.

With BENCH_DROP_AT set (the "network" fault), a share of the learners is offline for
BENCH_DROP_SECONDS from that many seconds after the last login: their requests fail
at once, as fetch() does in an offline browser, and the browser's "online" event at
the end sends the pending save at once, as exam.js does.

The client plays browser and TLS proxy at once: it sends X-Forwarded-Proto: https
(gunicorn and Django trust it from 127.0.0.1, as behind nginx) and keeps the cookies
itself, because the production cookies are Secure and a cookie jar would not send
them over the plain-HTTP loopback.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import time
from typing import Any

import gevent
import gevent.ssl
from gevent.event import Event
from geventhttpclient.response import HTTPConnectionClosed
from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpSession, FastHttpUser
from locust.exception import StopUser

MODE = os.environ.get("BENCH_MODE", "exam")
USERS = int(os.environ.get("BENCH_USERS", "10"))
FIRST_USER = int(os.environ.get("BENCH_FIRST_USER", "0"))
EXAM_ID = int(os.environ.get("BENCH_EXAM_ID", "0"))
QUESTIONS = int(os.environ.get("BENCH_QUESTIONS", "20"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
START_WINDOW = float(os.environ.get("BENCH_START_WINDOW", "60"))
THINK_MIN = float(os.environ.get("BENCH_THINK_MIN", "2"))
THINK_MAX = float(os.environ.get("BENCH_THINK_MAX", "6"))
PHASE = float(os.environ.get("BENCH_PHASE", "30"))
ROUNDS = max(1, int(os.environ.get("BENCH_ROUNDS", "1")))
# Idle seconds between two windows of "saturate", so one kind's last requests are
# answered before the other kind starts.
SWITCH_GAP = 1.0
OUT = os.environ.get("BENCH_OUT", "locust-records.json")
ORIGIN = os.environ.get("BENCH_ORIGIN", "https://127.0.0.1:8000")
# > 0: once everybody has answered, all submit within this many seconds (the deadline).
SUBMIT_TOGETHER = float(os.environ.get("BENCH_SUBMIT_TOGETHER", "0"))
# Set: answer saves go to this server (a separate gunicorn pool for the save URL, as
# nginx would route them; docs/operations.md), everything else to --host.
SAVE_HOST = os.environ.get("BENCH_SAVE_HOST", "")
# Set ("1"): saturation also saves through the REST API (mooc/api) in windows of its own:
# "api" with the attempt's save token (the save lane), "api-bearer" with the access
# token only (the full stack, the framework and the token lookup).
API = os.environ.get("BENCH_API", "") == "1"
# Set ("1", with API): also "api-drf-bearer" windows, the same save in Django REST
# framework (bench/drf_api.py, /bench/drf/v1/…) with the access token only, to compare
# the frameworks with "api-bearer" (django-ninja, mooc/api) in the same run.
API_DRF = API and os.environ.get("BENCH_API_DRF", "") == "1"
# The request name of each API save window in the records (bench/exam_day.py reads them).
API_SAVE_NAMES = {
    "api": "5b api save",
    "api-bearer": "5c api save (bearer only)",
    "api-drf-bearer": "5d api save, DRF (bearer only)",
}
# The exam's clock, written when the last learner has logged in (bench/faults.py).
CLOCK_FILE = os.environ.get("BENCH_CLOCK_FILE", "")
LOGIN_TRIES = int(os.environ.get("BENCH_LOGIN_TRIES", "1"))
DROP_AT = float(os.environ.get("BENCH_DROP_AT") or -1)
DROP_SECONDS = float(os.environ.get("BENCH_DROP_SECONDS", "30"))
DROP_SHARE = float(os.environ.get("BENCH_DROP_SHARE", "0.1"))
# A learner whose answer is unconfirmed presses Next again after this many seconds
# (exam.js then sends it again at once and stays on the question).
CLICK_AGAIN = 5.0
# A learner who gets an error page (or no answer) loads it again after this long,
# at most PAGE_TRIES times in all.
PAGE_RETRY_WAIT = 5.0
PAGE_TRIES = 12
RETRYABLE_PAGE = {0, 500, 502, 503, 504}
# A page request that fails this way on a kept-alive connection (the server closed it
# while idle just as the request went out) is sent again at once on a new connection,
# without surfacing an error, as browsers do for any method (Chromium's
# HttpNetworkTransaction::ShouldResendRequest: a reused connection, no answer yet).
# Such resends are counted and recorded under STALE_NAME, not as the step's.
STALE_ERRORS = (HTTPConnectionClosed, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)
STALE_NAME = "0 resent: kept-alive connection closed"
# A learner waits at most this long for an answer to be confirmed, then moves on
# (counted as unconfirmed; exam.js itself never gives up).
GIVE_UP_AFTER = 600.0

_ATTEMPT = re.compile(r"/percobaan/(\d+)/")
# The "Menunggu giliran…" page: its wait and its ticket (mooc/templates/core/admission_wait.html).
_QUEUE_WAIT = re.compile(r'data-queue-wait="(\d+)"')
_QUEUE_TICKET = re.compile(r'name="ticket" value="([^"]+)"')
_SAVE_TOKEN = re.compile(r'data-save-token="([^"]+)"')

_serial = itertools.count(FIRST_USER)
_logged_in = 0
_started = 0
_finished = 0
_all_logged_in = Event()
_all_started = Event()
_answered = 0
_all_answered = Event()
_clock: dict[str, Any] = {}
# (step, end time, response time in ms, ok)
_records: list[tuple[str, float, float, bool]] = []
# (attempt id, position from 0, options, client_seq) of every acknowledged save
_acked: list[tuple[int, int, list[int], int]] = []
# The same for every choice made (exam mode): the last per question must be stored.
_chosen: list[tuple[int, int, list[int], int]] = []
# (step, time, what went wrong) of every failed request
_failures: list[tuple[str, float, str]] = []
# The client's own counts: retries by step, and what never got through.
_retries: dict[str, int] = {}
_client: dict[str, Any] = {
    "retries": _retries,
    "unconfirmed": 0,
    "refused": 0,
    "gave_up": 0,
    "dropped": 0,
    "resent": 0,
}


@events.request.add_listener
def _record(name: str, response_time: float, exception: BaseException | None, **_kw: Any) -> None:
    _records.append((name, time.time(), response_time, exception is None))
    if exception is not None:
        _failures.append((name, time.time(), str(exception)[:60]))


@events.quitting.add_listener
def _dump(**_kw: Any) -> None:
    with open(OUT, "w", encoding="utf-8") as out:
        json.dump(
            {
                "records": _records,
                "acked": _acked,
                "chosen": _chosen,
                "failures": _failures,
                "client": _client,
                "clock": _clock,
            },
            out,
        )


def _logged_out(response: Any, name: str) -> bool:
    """A redirect to the login page on a step taken logged in: the session was lost."""
    if response.status_code != 302 or name in {"1 login page", "2 login"}:
        return False
    return "/login/" in ((response.headers or {}).get("Location", "") or "")


def _retried(name: str) -> None:
    _retries[name] = _retries.get(name, 0) + 1


def _write_clock() -> None:
    if CLOCK_FILE:
        with open(CLOCK_FILE, "w", encoding="utf-8") as out:
            json.dump(_clock, out)


def _windows(begin: float) -> list[tuple[str, float, float]]:
    """The (kind, start, end) windows of a saturation run starting at `begin`, also
    kept in the clock for the report.

    "saturate" alternates saves and the ceiling view in ROUNDS rounds of PHASE/ROUNDS
    seconds each, the order flipping every round (saves, ceiling, ceiling, saves,
    saves, …): a virtual machine's neighbours and the server's own drift then weigh
    on both kinds alike, where one long phase of each can land one in a slow minute.
    "ceiling" is one window of the ceiling view.
    """
    if "windows" not in _clock:
        kinds = ["ceiling"] if MODE == "ceiling" else ["saves", "ceiling"]
        if API and MODE != "ceiling":
            kinds = ["saves", "api", "api-bearer", "ceiling"]
            if API_DRF:
                kinds = ["saves", "api", "api-bearer", "api-drf-bearer", "ceiling"]
        rounds = 1 if MODE == "ceiling" else ROUNDS
        length = PHASE / rounds
        windows: list[tuple[str, float, float]] = []
        at = begin
        for number in range(rounds):
            for kind in kinds if number % 2 == 0 else kinds[::-1]:
                windows.append((kind, at, at + length))
                at += length + SWITCH_GAP
        _clock["windows"] = windows
    windows_kept: list[tuple[str, float, float]] = _clock["windows"]
    return windows_kept


def _mark(name: str) -> None:
    _clock.setdefault(name, time.time())


def _done_one() -> None:
    global _finished
    _finished += 1
    if _finished == USERS:
        _mark("all_done")
        runner = Learner.environment_ref.runner if Learner.environment_ref else None
        if runner is not None:
            gevent.spawn_later(0.5, runner.quit)


_SSL_CONTEXT: Any = None


def _shared_ssl_context(*_args: Any, **_kwargs: Any) -> Any:
    """One TLS context for every learner's connections. Locust's default makes one per
    connection pool and loads the CA bundle into each (the certificate is not checked
    anyway: it is the run's self-signed one): with 10,000 learners that was 7.5 GB and a
    whole core of the load generator's, logging learners in at 8 a second."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = gevent.ssl._create_unverified_context()
    return _SSL_CONTEXT


class Learner(FastHttpUser):
    wait_time = constant(0)
    # A browser waits minutes before giving up; a login storm must queue, not fail.
    network_timeout = 600.0
    connection_timeout = 600.0
    # Keep-alive connections, one per learner (like one browser each).
    concurrency = 1
    ssl_context_factory = _shared_ssl_context
    environment_ref: Any = None

    def on_start(self) -> None:
        Learner.environment_ref = self.environment
        self.index = next(_serial)
        self.cookies: dict[str, str] = {}
        # Whether the learner's page connection has carried a request (a kept-alive one).
        self.connected = False
        self.save_token = ""
        self.api_access = ""
        self.api_save_token = ""
        self.api_headers: dict[str, dict[str, str]] = {}
        # The save's headers, built once: a save is the request the benchmark is
        # about, and locust shares the two cores with the server.
        self.save_headers: dict[str, str] = {}
        # A second kept-alive connection, to the save pool, when there is one.
        self.save_client = (
            FastHttpSession(
                base_url=SAVE_HOST,
                request_event=self.environment.events.request,
                user=self,
                network_timeout=self.network_timeout,
                connection_timeout=self.connection_timeout,
                concurrency=1,
            )
            if SAVE_HOST
            else self.client
        )
        # Distinct client addresses, as from many offices (the lockout counts per user + IP).
        self.address = f"10.{(self.index >> 16) & 255}.{(self.index >> 8) & 255}.{self.index & 255}"
        # exam.js's save state (see the module's docstring).
        self.pending: tuple[int, int, list[int], int] | None = None
        self.in_flight = False
        self.save_attempt = 0
        self.retry_timer: Any = None
        self.closed = False
        self.settled = Event()
        self.settled.set()
        self.dropped = DROP_AT >= 0 and random.Random(self.index).random() < DROP_SHARE

    # --- The network fault ------------------------------------------------------------

    def _offline(self) -> bool:
        if not self.dropped or "drop_from" not in _clock:
            return False
        return bool(_clock["drop_from"] <= time.time() < _clock["drop_until"])

    def _offline_failure(self, name: str, method: str = "GET") -> None:
        """What fetch() or a page load does offline: fails at once, nothing sent."""
        self.environment.events.request.fire(
            request_type=method,
            name=name,
            response_time=0.0,
            response_length=0,
            exception=ConnectionError("offline"),
            context={},
            url="",
            response=None,
        )

    def _back_online(self) -> None:
        """exam.js: window "online" -> clearTimeout(retryTimer); send()."""
        gevent.sleep(max(0.0, _clock["drop_until"] - time.time()))
        if self.retry_timer is not None:
            self.retry_timer.kill(block=False)
            self.retry_timer = None
        self._send()

    # --- HTTP helpers -----------------------------------------------------------------

    def _headers(
        self, extra: dict[str, str] | None = None, *, anonymous: bool = False
    ) -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address}
        if self.cookies and not anonymous:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if extra:
            headers.update(extra)
        return headers

    def _keep_cookies(self, response: Any) -> None:
        if response.headers is None:
            return
        for field, value in response.headers.items():
            if field.lower() != "set-cookie":
                continue
            pair, _, attributes = value.partition(";")
            name, _, content = pair.strip().partition("=")
            expired = "max-age=0" in attributes.lower() or "1970" in attributes
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = content.strip('"')
            self.save_headers = {}

    def _stale(self, response: Any) -> bool:
        """Whether `response` is a kept-alive connection found closed, to be sent again
        at once (see STALE_ERRORS); if so it is recorded under STALE_NAME."""
        reused, self.connected = self.connected, True
        if not (reused and response.status_code == 0):
            return False
        if not isinstance(getattr(response, "error", None), STALE_ERRORS):
            return False
        _client["resent"] += 1
        response.request_meta["name"] = STALE_NAME
        response.success()
        return True

    def _get(
        self, url: str, name: str, *, expect: tuple[int, ...] = (200,), anonymous: bool = False
    ) -> Any:
        return self._request("GET", url, name, self._headers(anonymous=anonymous), expect=expect)

    def _post(
        self,
        url: str,
        name: str,
        data: list[tuple[str, str]],
        *,
        expect: tuple[int, ...],
    ) -> Any:
        extra = {
            "Origin": ORIGIN,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }
        body = "&".join(f"{k}={v}" for k, v in data)
        return self._request("POST", url, name, self._headers(extra), expect=expect, data=body)

    def _request(
        self,
        method: str,
        url: str,
        name: str,
        headers: dict[str, str],
        *,
        expect: tuple[int, ...],
        data: str | None = None,
    ) -> Any:
        """One request of a page, failed unless its status is in `expect` (or it found
        the learner logged out); sent again at once if its kept-alive connection was
        found closed (see STALE_ERRORS)."""
        for tried in range(2):
            with self.client.request(
                method,
                url,
                name=name,
                data=data,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if not tried and self._stale(response):
                    continue
                self._keep_cookies(response)
                if response.status_code not in expect:
                    response.failure(f"HTTP {response.status_code}")
                elif _logged_out(response, name):
                    response.failure("logged out")
                else:
                    response.success()
            break
        return response

    # --- The journey ------------------------------------------------------------------

    def _page(
        self,
        method: str,
        url: str,
        name: str,
        *,
        data: list[tuple[str, str]] | None = None,
        expect: tuple[int, ...] = (200,),
        anonymous: bool = False,
    ) -> Any:
        """A page as a learner loads it: after a network error or a 5xx, again after
        PAGE_RETRY_WAIT seconds (a reload), at most PAGE_TRIES times."""
        response: Any = None
        for tried in range(PAGE_TRIES):
            if tried:
                _retried(name)
                gevent.sleep(PAGE_RETRY_WAIT)
            if self._offline():
                self._offline_failure(name, method)
                continue
            if method == "GET":
                response = self._get(url, name, expect=expect, anonymous=anonymous)
            else:
                response = self._post(url, name, data or [], expect=expect)
            if response.status_code not in RETRYABLE_PAGE:
                return response
        _client["gave_up"] += 1
        return response

    def _login(self) -> bool:
        username = f"bench{self.index:05d}"
        for tried in range(LOGIN_TRIES):
            if tried:
                _retried("2 login")
                gevent.sleep(PAGE_RETRY_WAIT)
            page = self._page("GET", "/login/", "1 login page")
            if page is None or page.status_code != 200:
                continue
            # A new captcha each try: a try that nginx gave up on may have used it.
            key = f"bench-{self.index:05d}" + (f"-{tried}" if LOGIN_TRIES > 1 else "")
            if self._offline():
                self._offline_failure("2 login", "POST")
                continue
            fields = [
                ("username", username),
                ("password", PASSWORD),
                ("captcha_0", key),
                ("captcha_1", "bench"),
            ]
            response = self._queued_post("/login/", "2 login", fields)
            if response.status_code == 302:
                return True
            if response.status_code not in RETRYABLE_PAGE:
                return False
        _client["gave_up"] += 1
        return False

    def _queued_post(self, url: str, name: str, fields: list[tuple[str, str]]) -> Any:
        """POST as a browser on the "Menunggu giliran…" page does (mooc/core/admission.py):
        while the answer is the queue page, wait the seconds it says and post again with
        its ticket. The whole wait is reported as "<name>, incl. queue"."""
        began = time.time()
        ticket: list[tuple[str, str]] = []
        waits = 0
        while True:
            csrf = [("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))]
            response = self._post(url, name, csrf + fields + ticket, expect=(302, 200))
            queued = (
                _QUEUE_WAIT.search(response.text or "") if response.status_code == 200 else None
            )
            if queued is None or waits >= 20:
                break
            waits += 1
            found = _QUEUE_TICKET.search(response.text or "")
            ticket = [("ticket", found.group(1))] if found else []
            gevent.sleep(int(queued.group(1)) + random.random() * 0.8)
        self.environment.events.request.fire(
            request_type="QUEUE",
            name=f"{name}, incl. queue",
            response_time=(time.time() - began) * 1000,
            response_length=0,
            exception=None if response.status_code == 302 else Exception("not admitted"),
            context={"waits": waits},
        )
        return response

    def _start(self) -> int | None:
        response: Any = None
        for tried in range(PAGE_TRIES):
            if tried:
                _retried("3 start exam")
                gevent.sleep(PAGE_RETRY_WAIT)
            if self._offline():
                self._offline_failure("3 start exam", "POST")
                continue
            response = self._queued_post(f"/ujian/{EXAM_ID}/mulai/", "3 start exam", [])
            if response.status_code not in RETRYABLE_PAGE:
                break
        location = (
            (response.headers or {}).get("Location", "")
            if response is not None and response.status_code == 302
            else ""
        )
        found = _ATTEMPT.search(location or "")
        return int(found.group(1)) if found else None

    def _question(self, attempt: int, number: int) -> None:
        response = self._page(
            "GET", f"/ujian/percobaan/{attempt}/soal/{number}/", "4 question page"
        )
        ok = response is not None and response.status_code == 200
        found = _SAVE_TOKEN.search(response.text or "") if ok else None
        if found:
            self.save_token = html.unescape(found.group(1))
            self.save_headers = {}

    def _save(self, attempt: int, number: int, *, seq: int) -> bool:
        """Saturation: one save, no retry."""
        options = [random.randrange(4)]
        status, answer = self._post_save(attempt, number, options, seq)
        if answer.get("applied"):
            _acked.append((attempt, number - 1, options, seq))
        return status == 200

    # --- exam.js's autosave -------------------------------------------------------------

    def _choose(self, attempt: int, number: int) -> None:
        """A change event: the choice becomes the pending save, sent at once."""
        options = [random.randrange(4)]
        seq = time.time_ns() // 1_000_000
        self.pending = (attempt, number, options, seq)
        _chosen.append((attempt, number - 1, options, seq))
        self.settled.clear()
        self._send()

    def _send(self) -> None:
        if self.pending is None or self.in_flight or self.closed:
            return
        if self.save_attempt > 0:
            _retried("5 save answer")
        self.in_flight = True
        gevent.spawn(self._send_job, self.pending)

    def _send_job(self, job: tuple[int, int, list[int], int]) -> None:
        attempt, number, options, seq = job
        try:
            if self._offline():
                self._offline_failure("5 save answer", "POST")
                status, answer = 0, {}
            else:
                status, answer = self._post_save(attempt, number, options, seq)
        except Exception:  # noqa: BLE001 - a failed fetch, as in the browser
            status, answer = 0, {}
        self.in_flight = False
        if status == 409:
            self.closed = True
            self.pending = None
        elif status in (400, 403, 404):
            _client["refused"] += 1
            self.pending = None
        elif status == 200 and answer.get("ok"):
            self.save_attempt = 0
            _acked.append((attempt, number - 1, options, seq))
            if self.pending is job:
                self.pending = None
            else:
                self._send()  # a newer choice was made meanwhile
        else:
            self.save_attempt += 1
            delay = min(30.0, 2.0 ** (self.save_attempt - 1)) + random.random() * 0.5
            if self.retry_timer is not None:
                self.retry_timer.kill(block=False)
            self.retry_timer = gevent.spawn_later(delay, self._send)
        if self.pending is None and not self.in_flight:
            self.settled.set()

    def _next(self) -> None:
        """Next: moves on only once the answer is confirmed (exam.js's go()); until
        then each press sends the pending save again."""
        began = time.time()
        while not self.settled.wait(CLICK_AGAIN):
            if time.time() - began > GIVE_UP_AFTER:
                _client["unconfirmed"] += 1
                return
            self._send()

    def _post_save(
        self, attempt: int, number: int, options: list[int], client_seq: int
    ) -> tuple[int, dict[str, Any]]:
        """What exam.js sends: the form fields, JSON wanted, the page's save token."""
        if not self.save_headers:
            self.save_headers = self._headers(
                {
                    "Origin": ORIGIN,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": self.cookies.get("csrftoken", ""),
                    "Accept": "application/json",
                    "X-Save-Token": self.save_token,
                }
            )
        body = f"position={number}&client_seq={client_seq}&options={options[0]}"
        with self.save_client.post(
            f"/ujian/percobaan/{attempt}/jawab/",
            name="5 save answer",
            data=body,
            headers=self.save_headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.headers is not None and "set-cookie" in response.headers:
                self._keep_cookies(response)
            try:
                answer = json.loads(response.content) if response.content else {}
            except ValueError:
                answer = {}
            if not isinstance(answer, dict):
                answer = {}
            status = response.status_code
            if status != 200 or not answer.get("ok"):
                response.failure(f"HTTP {status}")
                return status, answer
            response.success()
        if answer.get("save_token"):
            self.save_token = answer["save_token"]
            self.save_headers = {}
        return status, answer

    # --- The REST API (BENCH_API) ------------------------------------------------------

    def _api_prepare(self, attempt: int) -> None:
        """Sign this learner's "phone" in and read the attempt (its save token)."""
        headers = self._headers({"Content-Type": "application/json"}, anonymous=True)
        body = json.dumps(
            {"username": f"bench{self.index:05d}", "password": PASSWORD, "device": "bench"}
        )
        with self.client.post(
            "/api/v1/auth/login/",
            name="2b api login",
            data=body,
            headers=headers,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            self.api_access = json.loads(response.content)["access_token"]
        auth = {"Authorization": f"Bearer {self.api_access}"}
        with self.client.get(
            f"/api/v1/attempts/{attempt}/",
            name="3b api attempt",
            headers=self._headers(auth, anonymous=True),
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            self.api_save_token = json.loads(response.content)["save_token"]
        base = self._headers(
            {"Content-Type": "application/json", "Accept": "application/json", **auth},
            anonymous=True,
        )
        self.api_headers = {
            "api": {**base, "X-Save-Token": self.api_save_token},
            "api-bearer": base,
            "api-drf-bearer": base,
        }

    def _api_save(self, attempt: int, number: int, *, seq: int, kind: str) -> bool:
        options = [random.randrange(4)]
        body = json.dumps({"position": number, "options": options, "client_seq": seq})
        prefix = "/bench/drf/v1" if kind == "api-drf-bearer" else "/api/v1"
        with self.client.post(
            f"{prefix}/attempts/{attempt}/answers/",
            name=API_SAVE_NAMES[kind],
            data=body,
            headers=self.api_headers[kind],
            catch_response=True,
        ) as response:
            try:
                answer = json.loads(response.content) if response.status_code == 200 else {}
            except ValueError:
                answer = {}
            if "applied" not in answer:
                response.failure(f"HTTP {response.status_code}")
                return False
            response.success()
        if answer.get("applied"):
            _acked.append((attempt, number - 1, options, seq))
        return True

    def _wait_all(self, counter: str) -> None:
        global _logged_in, _started
        if counter == "login":
            _logged_in += 1
            if _logged_in == USERS:
                _mark("all_logged_in")
                if DROP_AT >= 0:
                    _clock["drop_from"] = _clock["all_logged_in"] + DROP_AT
                    _clock["drop_until"] = _clock["drop_from"] + DROP_SECONDS
                _write_clock()
                _all_logged_in.set()
            _all_logged_in.wait()
        else:
            _started += 1
            if _started == USERS:
                _mark("all_started")
                _all_started.set()
            _all_started.wait()

    @task
    def journey(self) -> None:
        if MODE == "ceiling":
            self._wait_all("start")
            self._saturate(None)
            _done_one()
            raise StopUser
        _mark("first_login")
        logged_in = self._login()
        self._wait_all("login")
        attempt: int | None = None
        if MODE == "exam":
            gevent.sleep(random.uniform(0, START_WINDOW))
        if logged_in:
            attempt = self._start()
        if MODE == "saturate":
            if attempt is not None:
                self._question(attempt, 1)
                if API:
                    self._api_prepare(attempt)
            self._wait_all("start")
            self._saturate(attempt)
        elif attempt is not None:
            self._take_exam(attempt)
        _done_one()
        raise StopUser

    def _take_exam(self, attempt: int) -> None:
        # One page load carries every question; exam.js moves between them in place.
        self._question(attempt, 1)
        if self.dropped and "drop_until" in _clock:
            _client["dropped"] += 1
            gevent.spawn(self._back_online)
        for number in range(1, QUESTIONS + 1):
            gevent.sleep(random.uniform(THINK_MIN, THINK_MAX))
            self._choose(attempt, number)
            self._next()
            if self.closed:
                break
        # exam.js asks "Submit your answers?" in place (the question page carries it): no
        # submit page is loaded; without JavaScript a browser would load it.
        if SUBMIT_TOGETHER > 0:
            global _answered
            _answered += 1
            if _answered == USERS:
                _mark("all_answered")
                _all_answered.set()
            _all_answered.wait()
            gevent.sleep(random.uniform(0, SUBMIT_TOGETHER))
        self._page(
            "POST",
            f"/ujian/percobaan/{attempt}/kirim/",
            "7 submit",
            data=[("csrfmiddlewaretoken", self.cookies.get("csrftoken", ""))],
            expect=(302,),
        )
        self._page("GET", f"/ujian/percobaan/{attempt}/hasil/", "8 result page")

    def _saturate(self, attempt: int | None) -> None:
        _mark("saves_from")
        windows = _windows(_clock["saves_from"])
        seq = 1
        for kind, start, end in windows:
            gevent.sleep(max(0.0, start - time.time()))
            while time.time() < end:
                if kind == "saves" and attempt is not None:
                    self._save(attempt, seq % QUESTIONS + 1, seq=seq)
                    seq += 1
                elif kind in API_SAVE_NAMES and attempt is not None and self.api_headers:
                    self._api_save(attempt, seq % QUESTIONS + 1, seq=seq, kind=kind)
                    seq += 1
                elif kind == "ceiling":
                    self._get("/bench/ceiling/", "9 ceiling view", anonymous=True)
                else:
                    break
