from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from mooc.core.periodic import JOBS

pytestmark = pytest.mark.django_db


def test_beat_runs_every_registered_job() -> None:
    assert set(settings.CELERY_BEAT_SCHEDULE) == {job.name for job in JOBS}
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == "mooc.core.tasks.clear_expired_sessions"


def test_run_periodic_jobs_runs_them_once_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    past = timezone.now() - dt.timedelta(days=1)
    future = timezone.now() + dt.timedelta(days=1)
    Session.objects.create(session_key="old", session_data="x", expire_date=past)
    Session.objects.create(session_key="live", session_data="x", expire_date=future)

    call_command("run_periodic_jobs")

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert "clear-expired-sessions: ok" in capsys.readouterr().out


def test_an_unknown_job_name_is_refused() -> None:
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_periodic_jobs", job=["no-such-job"])


def test_a_job_that_ran_is_not_due_again_until_its_interval_passed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("run_periodic_jobs")
    call_command("run_periodic_jobs")
    out = capsys.readouterr().out
    assert out.count("clear-expired-sessions: ok") == 1
    assert "clear-expired-sessions: not due" in out

    call_command("run_periodic_jobs", force=True)
    assert "clear-expired-sessions: ok" in capsys.readouterr().out
