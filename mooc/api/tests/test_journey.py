"""The whole learner journey through the API: login → enrol → materials → exam →
certificate PDF, as the mobile app walks it."""

from __future__ import annotations

import pytest
from django.test import Client

from mooc.accounts.tests.factories import UserFactory
from mooc.api.tests.support import API, Api
from mooc.certificates.tests.support import course_with_exam
from mooc.exams.models import Attempt
from mooc.exams.tests.helpers import right_positions
from mooc.learning.tests.factories import AttachmentFactory, MaterialFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_login_enrol_study_pass_and_download_the_certificate() -> None:
    course, exam = course_with_exam()
    section = SectionFactory.create(course=course, title="Bab 1")
    first = MaterialFactory.create(section=section, title="Pengantar", order=1)
    second = MaterialFactory.create(section=section, title="Inti", order=2)
    attachment = AttachmentFactory.create(material=first)
    learner = UserFactory.create()
    api = Api(learner)

    catalogue = api.get("/courses/")
    assert catalogue.status_code == 200
    assert [c["slug"] for c in catalogue.json()["results"]] == [course.slug]

    enrol = api.post(f"/courses/{course.slug}/enrol/")
    assert enrol.status_code == 201 and enrol.json()["created"] is True
    assert api.post(f"/courses/{course.slug}/enrol/").status_code == 200  # twice is harmless

    outline = api.get(f"/courses/{course.slug}/outline/")
    assert outline.status_code == 200
    data = outline.json()
    assert [m["id"] for m in data["sections"][0]["materials"]] == [first.pk, second.pk]
    assert data["done"] == 0 and data["next_material_id"] == first.pk
    assert data["exams"][0]["id"] == exam.pk

    material = api.get(f"/courses/{course.slug}/materials/{first.pk}/").json()
    assert material["body_html"] == "<p>Isi</p>" and material["next_id"] == second.pk
    link = material["attachments"][0]["url"]
    download = Client().get(link)  # a signed link: no token needed
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Modul pelatihan"  # type: ignore[attr-defined]
    ranged = Client().get(link, HTTP_RANGE="bytes=0-4")
    assert ranged.status_code == 206
    assert b"".join(ranged.streaming_content) == b"Modul"  # type: ignore[attr-defined]
    assert attachment.pk == material["attachments"][0]["id"]

    for item in (first, second):
        done = api.post(f"/courses/{course.slug}/materials/{item.pk}/done/")
        assert done.status_code == 200 and done.json()["done"] is True
    assert api.get(f"/courses/{course.slug}/outline/").json()["all_done"] is True

    landing = api.get(f"/exams/{exam.pk}/").json()
    assert landing["may_start"] is True and landing["attempts_used"] == 0
    started = api.post(f"/exams/{exam.pk}/attempts/")
    assert started.status_code == 201
    state = started.json()
    assert len(state["questions"]) == 5 and 0 < state["remaining_seconds"] <= 30 * 60
    assert "weight" not in started.content.decode() and "is_key" not in started.content.decode()
    attempt = Attempt.objects.get(pk=state["id"])
    for seq, (position, option) in enumerate(right_positions(attempt).items(), start=1):
        saved = api.post(
            f"/attempts/{attempt.pk}/answers/",
            {"position": position + 1, "options": [option], "client_seq": seq},
        )
        assert saved.status_code == 200 and saved.json()["applied"] is True

    result = api.post(f"/attempts/{attempt.pk}/submit/")
    assert result.status_code == 200
    assert result.json()["attempt"]["passed"] is True
    assert api.get("/me/attempts/").json()[0]["attempt_id"] == attempt.pk

    certificates = api.get("/me/certificates/").json()
    assert len(certificates) == 1 and certificates[0]["number"]
    pdf_link = api.get(f"/me/certificates/{certificates[0]['id']}/pdf/").json()["url"]
    pdf = Client().get(pdf_link)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    verified = Client().get(f"{API}/verify/{certificates[0]['code']}/").json()
    assert verified["found"] is True and verified["number"] == certificates[0]["number"]
