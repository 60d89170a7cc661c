"""More than one app node (docs/operations.md, section 16): the nodes share only
PostgreSQL, Redis and the environment, so a learner logged in and taking an exam
through one node goes on through another, also after Redis lost everything; and the
guide's nginx configuration, with every node in its upstreams, is valid (the
exam-day benchmark generates it from the guide: bench/nginx_conf.py)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from bench import nginx_conf
from mooc.exams.tests.helpers import running_attempt, stored

_SAVE_TOKEN = re.compile(r'data-save-token="([^"]+)"')


@pytest.mark.django_db
def test_a_learner_goes_on_through_another_node_after_redis_was_flushed() -> None:
    attempt = running_attempt()
    node1 = Client()
    node1.force_login(attempt.user, backend="mooc.accounts.backends.AccountBackend")
    page = node1.get(reverse("exams:question", args=[attempt.pk, 1]))
    assert page.status_code == 200
    found = _SAVE_TOKEN.search(page.content.decode())
    assert found is not None
    token = html.unescape(found.group(1))

    cache.clear()  # Redis restarted empty: the sessions' cached copies are gone
    node2 = Client()
    node2.cookies = node1.cookies  # the browser's cookies, sent to the other node

    assert node2.get(reverse("exams:question", args=[attempt.pk, 1])).status_code == 200
    saved = node2.post(
        reverse("exams:save", args=[attempt.pk]),
        {"position": 1, "options": ["2"], "client_seq": 7},
        HTTP_ACCEPT="application/json",
        HTTP_X_SAVE_TOKEN=token,
    )
    assert saved.status_code == 200
    assert saved.json()["ok"] is True
    assert stored(attempt, 0) == ([2], 7)


def test_sessions_survive_a_cache_loss_by_configuration() -> None:
    # cached_db: read from the cache, written through to the database
    # (mooc/core/session_store.py; its behaviour in test_session_store.py).
    from importlib import import_module

    from django.contrib.sessions.backends.cached_db import SessionStore as CachedDb

    assert issubclass(import_module(settings.SESSION_ENGINE).SessionStore, CachedDb)


def test_the_guides_nginx_configuration_with_two_nodes(tmp_path: Path) -> None:
    if not nginx_conf.DEBIAN_NGINX_CONF.exists():
        pytest.skip("Debian's nginx is not installed")
    main = nginx_conf.render(
        tmp_path,
        https_port=18443,
        http_port=18080,
        nodes=[nginx_conf.Node(18001, 18002), nginx_conf.Node(18011, 18012)],
        static_root=tmp_path / "static",
        private_root=tmp_path / "private",
        media_root=tmp_path / "media",
    )
    site = (tmp_path / "sites-enabled" / "mooc").read_text(encoding="utf-8")
    app = site[site.index("upstream mooc_app {") : site.index("}")]
    saves = site[site.index("upstream mooc_saves {") :]
    saves = saves[: saves.index("}")]
    assert "server 127.0.0.1:18001;" in app
    assert "server 127.0.0.1:18011;" in app
    assert "server 127.0.0.1:18002;" in saves
    assert "server 127.0.0.1:18012;" in saves
    # The rest is the guide's text: the save location and its limits are there.
    assert "proxy_pass http://mooc_saves;" in site
    assert "limit_req zone=mooc_login burst=300 nodelay;" in site
    assert "worker_connections 16384;" in main.read_text(encoding="utf-8")
    binary = shutil.which("nginx")
    if binary is None:
        pytest.skip("nginx is not installed")
    checked = subprocess.run(
        [binary, "-t", "-q", "-c", str(main), "-g", f"error_log {tmp_path}/t.log;"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_the_benchmark_reads_each_step_from_nginxs_access_log(tmp_path: Path) -> None:
    """bench/exam_day.py's servers'-side table: the guide's `mooc` log format, one line
    per request, read back as [step, end, ms, ok]."""
    from bench.exam_day import nginx_records

    log = tmp_path / "mooc.access.log"
    log.write_text(
        '127.0.0.1 - - [06/Dec/2026:18:09:11 +0700] "POST /ujian/percobaan/33/jawab/ '
        'HTTP/1.1" 200 48 "-" "python/gevent-http-client-2.6.1" rt=0.066 urt=0.065 rid=a\n'
        '127.0.0.1 - - [06/Dec/2026:18:09:12 +0700] "GET /ujian/percobaan/33/soal/1/ '
        'HTTP/1.1" 503 10 "-" "-" rt=1.250 urt=1.249 rid=b\n'
        '127.0.0.1 - - [06/Dec/2026:18:09:12 +0700] "GET /static/css/site.css '
        'HTTP/1.1" 200 10 "-" "-" rt=0.001 urt=- rid=c\n'
        "not a log line\n",
        encoding="utf-8",
    )
    records = nginx_records(log)
    assert [(r[0], round(r[2]), r[3]) for r in records] == [
        ("5 save answer", 66, True),
        ("4 question page", 1250, False),  # a 5xx is an error
    ]
    assert records[0][1] == 1796555351.0  # 11:09:11 UTC
    assert nginx_records(tmp_path / "missing.log") == []
