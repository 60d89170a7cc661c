"""The learner's data export: requested on "Data pribadi", built by the task, read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from mooc.core.models import AuditLog
from mooc.privacy.models import DataExport, DataExportState
from mooc.privacy.tests.support import (
    NIP,
    OTHER_NIP,
    PHOTO_BYTES,
    History,
    client_for,
    history,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(django_capture_on_commit_callbacks: Any) -> tuple[History, History]:
    with django_capture_on_commit_callbacks(execute=True):
        mine = history()
        theirs = history(
            username=OTHER_NIP,
            full_name="Joko Prasetyo",
            email="joko@example.go.id",
            phone="089999999999",
            jabatan="Pranata Komputer",
            course_exam=(mine.course, mine.exam),
        )
    mine.certificate.refresh_from_db()
    theirs.certificate.refresh_from_db()
    return mine, theirs


def _request_and_download(client: Client, capture: Any) -> zipfile.ZipFile:
    with capture(execute=True):
        response = client.post(reverse("privacy:export_request"))
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.state == DataExportState.DONE, export.error
    page = client.get(reverse("privacy:personal_data")).content.decode()
    download_url = reverse("privacy:export_download", args=[export.pk])
    assert download_url in page
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    assert "private" in download["Cache-Control"]
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_zip_holds_all_of_the_learners_data_and_none_of_another_learners(
    two: tuple[History, History], django_capture_on_commit_callbacks: Any
) -> None:
    mine, theirs = two
    archive = _request_and_download(client_for(mine.user), django_capture_on_commit_callbacks)
    names = set(archive.namelist())

    documents = {name: json.loads(archive.read(name)) for name in names if name.endswith(".json")}
    assert set(documents) == {
        "profile.json",
        "enrolments.json",
        "progress.json",
        "favorites.json",
        "attempts.json",
        "evaluations.json",
        "certificates.json",
        "deletion_requests.json",
        "audit_log.json",
    }
    assert "README.txt" in names

    profile = documents["profile.json"]
    assert profile["username"] == NIP
    assert profile["full_name"] == "Rina Wulandari"
    assert profile["email"] == "rina.wulandari@example.go.id"
    assert profile["phone"] == "081234567890"
    assert profile["jabatan"] == "Analis Kepegawaian"
    assert profile["photo"] == "files/photo.jpg"
    assert archive.read("files/photo.jpg") == PHOTO_BYTES

    [enrolment] = documents["enrolments.json"]
    assert enrolment["course"]["slug"] == mine.course.slug and enrolment["result"] == "passed"
    assert documents["progress.json"][0]["material"] == "Materi Pengantar"
    assert documents["favorites.json"][0]["course"]["slug"] == mine.course.slug

    attempts = documents["attempts.json"]
    assert [(a["number"], a["passed"]) for a in attempts] == [(1, False), (2, True)]
    first = attempts[0]["questions"][0]
    assert first["question"].startswith("<p>Q") and first["chosen"]
    # The answer key stays out: options carry their text and place only.
    assert all(set(option) == {"position", "text"} for option in first["options"])

    [certificate] = documents["certificates.json"]
    assert certificate["number"] == mine.certificate.number
    assert certificate["versions"][0]["holder_name"] == "Rina Wulandari"
    assert certificate["pdf"] in names
    assert archive.read(certificate["pdf"]).startswith(b"%PDF")

    actions = {entry["action"] for entry in documents["audit_log.json"]}
    assert "privacy.export_requested" in actions
    assert all(entry["by"] in {"you", "staff", "system"} for entry in documents["audit_log.json"])

    # Nothing of the other learner, anywhere in the zip.
    everything = b"".join(archive.read(name) for name in names)
    for value in (OTHER_NIP, "Joko Prasetyo", "joko@example.go.id", "089999999999"):
        assert value.encode() not in everything
    assert theirs.certificate.number
    assert theirs.certificate.number.encode() not in everything

    # The request and the download are in the audit log.
    logged = AuditLog.objects.filter(target_id=str(mine.user.pk)).values_list("action", flat=True)
    assert {"privacy.export_requested", "privacy.export_downloaded"} <= set(logged)


def test_another_user_gets_404_for_an_export_and_a_visitor_goes_to_login(
    two: tuple[History, History], django_capture_on_commit_callbacks: Any
) -> None:
    mine, theirs = two
    _request_and_download(client_for(mine.user), django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    url = reverse("privacy:export_download", args=[export.pk])

    assert client_for(theirs.user).get(url).status_code == 404
    visitor = Client().get(url)
    assert visitor.status_code == 302 and "/login/" in visitor["Location"]
    assert (
        client_for(theirs.user).get(reverse("privacy:personal_data")).content.decode().count(url)
        == 0
    )


def test_an_expired_export_is_not_downloadable(
    two: tuple[History, History], django_capture_on_commit_callbacks: Any
) -> None:
    mine, _ = two
    client = client_for(mine.user)
    _request_and_download(client, django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    response = client.get(reverse("privacy:export_download", args=[export.pk]))
    assert response.status_code == 404


@override_settings(DATA_EXPORT_DAYS=3)
def test_an_export_expires_after_the_configured_days(
    two: tuple[History, History], django_capture_on_commit_callbacks: Any
) -> None:
    mine, _ = two
    _request_and_download(client_for(mine.user), django_capture_on_commit_callbacks)
    export = DataExport.objects.get()
    assert export.finished_at is not None
    assert export.expires_at - export.finished_at == dt.timedelta(days=3)


@override_settings(DATA_EXPORTS_PER_DAY=2)
def test_exports_are_rate_limited_per_learner(
    two: tuple[History, History], django_capture_on_commit_callbacks: Any
) -> None:
    mine, theirs = two
    client = client_for(mine.user)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("privacy:export_request"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export_request"), follow=True)
    assert DataExport.objects.filter(user=mine.user).count() == 2
    assert "24 jam terakhir" in response.content.decode()
    # The limit is per learner.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(theirs.user).post(reverse("privacy:export_request"))
    assert DataExport.objects.filter(user=theirs.user).count() == 1


def test_a_second_request_while_one_is_being_prepared_is_refused(
    two: tuple[History, History],
) -> None:
    mine, _ = two
    client = client_for(mine.user)
    client.post(reverse("privacy:export_request"))  # the task waits for the commit
    response = client.post(reverse("privacy:export_request"), follow=True)
    assert DataExport.objects.count() == 1
    assert "masih disiapkan" in response.content.decode()


def test_the_page_is_reached_from_the_profile_and_needs_a_login(
    two: tuple[History, History],
) -> None:
    mine, _ = two
    url = reverse("privacy:personal_data")
    assert url in client_for(mine.user).get(reverse("accounts:profile")).content.decode()
    assert Client().get(url).status_code == 302
    assert not mail.outbox or all("data" not in m.subject.lower() for m in mail.outbox)


def test_an_export_left_unfinished_by_a_dead_worker_does_not_block_a_new_one(
    two: tuple[History, History], django_capture_on_commit_callbacks: Any
) -> None:
    mine, _ = two
    client = client_for(mine.user)
    client.post(reverse("privacy:export_request"))  # queued; the worker never finishes it
    DataExport.objects.update(
        state=DataExportState.RUNNING, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export_request"))
    states = list(DataExport.objects.order_by("pk").values_list("state", flat=True))
    assert states == [DataExportState.FAILED, DataExportState.DONE]
