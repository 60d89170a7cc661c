"""Admins add training done elsewhere: validated, audited, counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from mooc.accounts.tests.helpers import signed_in
from mooc.core.models import AuditLog
from mooc.reports.models import ExternalTraining
from mooc.reports.selectors.ledger import jp_of_user
from mooc.reports.tests.support import report_admin, report_learner, report_unit, report_viewer

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 bukti pelatihan"


def form(**override: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Pelatihan Kepemimpinan Pengawas",
        "organiser": "LAN RI",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-06",
        "jp": "40",
        "certificate_number": "LAN/PKP/2026/77",
        "evidence": SimpleUploadedFile("sertifikat.pdf", PDF, content_type="application/pdf"),
        "reason": "Sertifikat diserahkan unit kepegawaian.",
    }
    data.update(override)
    return data


@pytest.fixture
def learner() -> Any:
    return report_learner(unit=report_unit("Kanwil"))


def url(learner: Any) -> str:
    return reverse("reports:external_training_new", args=[learner.pk])


def test_an_admin_adds_training_done_elsewhere_and_it_counts_and_is_audited(
    client: Client, learner: Any
) -> None:
    admin = signed_in(client, report_admin())

    response = client.post(url(learner), form())

    assert response.status_code == 302
    training = ExternalTraining.objects.get()
    assert training.created_by == admin and training.jp == 40
    assert jp_of_user(user=learner, year=2026) == 40
    entry = AuditLog.objects.get(action="reports.external_training_add")
    assert entry.reason == "Sertifikat diserahkan unit kepegawaian." and entry.after["jp"] == 40  # type: ignore[index]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"jp": "0"}, "jp"),
        ({"jp": "-3"}, "jp"),
        ({"ends_on": "2026-03-01"}, "ends_on"),
        ({"reason": "  "}, "reason"),
        (
            {"evidence": SimpleUploadedFile("besar.pdf", PDF + b"0" * (20 * 1024 * 1024))},
            "evidence",
        ),
        ({"evidence": SimpleUploadedFile("skrip.pdf", b"<html><script>")}, "evidence"),
        ({"evidence": SimpleUploadedFile("program.exe", b"MZ\x90\x00")}, "evidence"),
    ],
)
def test_bad_input_gets_a_clear_error_and_nothing_is_saved(
    client: Client, learner: Any, override: dict[str, Any], field: str
) -> None:
    signed_in(client, report_admin())

    response = client.post(url(learner), form(**override))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ExternalTraining.objects.exists()
    assert not AuditLog.objects.filter(action="reports.external_training_add").exists()


def test_a_report_viewer_may_not_add_training(client: Client, learner: Any) -> None:
    signed_in(client, report_viewer(learner.unit))

    assert client.get(url(learner)).status_code == 403
    assert client.post(url(learner), form()).status_code == 403


def test_staff_in_scope_download_the_evidence_and_others_get_404(client: Client) -> None:
    from mooc.reports.tests.support import external_training_for

    jabar, jatim = report_unit("Jawa Barat"), report_unit("Jawa Timur")
    training = external_training_for(report_learner(unit=jabar))
    url = reverse("reports:external_training_evidence", args=[training.pk])

    signed_in(client, report_admin())
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert url in client.get(reverse("reports:learner", args=[training.user_id])).content.decode()
    signed_in(client, report_viewer(jatim))
    assert client.get(url).status_code == 404
    signed_in(client, training.user)
    assert client.get(url).status_code == 403
