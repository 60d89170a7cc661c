"""The certificate pages, the PDF download and the public verification page: who gets what."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.models import EmployeeType
from mooc.accounts.roles import ROLE_ADMIN
from mooc.accounts.tests.factories import UserFactory
from mooc.certificates.models import Certificate, CertificateState
from mooc.certificates.pdf import format_date_id
from mooc.certificates.services import certificate_revoke
from mooc.certificates.tests.support import (
    client_for,
    course_with_exam,
    pass_course,
    pdf_text,
    staff_of,
)
from mooc.certificates.views import VERIFY_LIMIT

pytestmark = pytest.mark.django_db

NIP = "198609262015051001"


@pytest.fixture
def issued(django_capture_on_commit_callbacks: Any) -> Certificate:
    course, exam = course_with_exam()
    holder = UserFactory.create(username=NIP)
    holder.full_name = "Rina Wulandari"
    holder.employee_type = EmployeeType.INTERNAL
    holder.save()
    with django_capture_on_commit_callbacks(execute=True):
        pass_course(holder, course, exam)
    return Certificate.objects.select_related("current_version", "course", "user").get()


# --- The holder -----------------------------------------------------------------------------


def test_the_holder_finishes_opens_the_certificate_page_and_downloads_the_pdf(
    issued: Certificate,
) -> None:
    client = client_for(issued.user)
    # "Selesai" on the result page leads to the certificate page.
    response = client.get(reverse("certificates:for_course", args=[issued.course.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:detail", args=[issued.pk])

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Download Sertifikat" in html
    assert issued.number and issued.number in html

    download = client.get(reverse("certificates:download", args=[issued.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    text = pdf_text(download.content)
    assert "Rina Wulandari" in text
    assert issued.course.title in text
    assert issued.number in text

    listing = client.get(reverse("certificates:list"))
    assert issued.course.title in listing.content.decode()


def test_the_issued_pdf_states_everything_and_its_qr_opens_the_verification_page(
    issued: Certificate,
) -> None:
    import pypdfium2 as pdfium
    import zxingcpp
    from django.conf import settings

    data = client_for(issued.user).get(reverse("certificates:download", args=[issued.pk])).content
    text = pdf_text(data)
    version = issued.current_version
    assert version is not None
    for expected in (
        "Rina Wulandari",
        "19860926 201505 1 001",  # the NIP, printed as it is usually written
        issued.course.title,
        f"{version.jp} Jam Pelajaran",
        issued.number,
        f"Lulus pada {format_date_id(version.passed_on)}",
    ):
        assert expected and expected in text, expected
    document = pdfium.PdfDocument(data)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    codes = [b.text for b in zxingcpp.read_barcodes(image)]
    assert codes == [settings.SITE_URL + f"/verifikasi/{issued.code}/"]
    assert Client().get(codes[0].removeprefix(settings.SITE_URL)).status_code == 200


def test_download_buttons_on_my_courses_and_the_course_page(issued: Certificate) -> None:
    client = client_for(issued.user)
    target = reverse("certificates:for_course", args=[issued.course.slug])
    my_courses = client.get(reverse("catalog:my_courses") + "?status=completed")
    assert target in my_courses.content.decode()
    course_page = client.get(issued.course.get_absolute_url())
    assert target in course_page.content.decode()


def test_a_learner_who_has_not_passed_gets_no_button_and_404(issued: Certificate) -> None:
    other = UserFactory.create()
    client = client_for(other)
    assert (
        client.get(reverse("certificates:for_course", args=[issued.course.slug])).status_code == 404
    )
    course_page = client.get(issued.course.get_absolute_url()).content.decode()
    assert "Download Sertifikat" not in course_page


@pytest.mark.parametrize("url_name", ["certificates:detail", "certificates:download"])
def test_nobody_else_sees_the_certificate(issued: Certificate, url_name: str) -> None:
    url = reverse(url_name, args=[issued.pk])
    # Another learner, and an instructor of another course: 404, as for a missing one.
    assert client_for(UserFactory.create()).get(url).status_code == 404
    other_course, _exam = course_with_exam()
    assert client_for(staff_of(other_course)).get(url).status_code == 404
    # A visitor is sent to log in.
    visitor = Client().get(url)
    assert visitor.status_code == 302 and "/login/" in visitor["Location"]
    # The course's own instructor and an admin may.
    assert client_for(staff_of(issued.course)).get(url).status_code == 200
    assert client_for(staff_of(issued.course, ROLE_ADMIN)).get(url).status_code == 200
    missing = reverse(url_name, args=[issued.pk + 1000])
    assert client_for(issued.user).get(missing).status_code == 404


def test_the_holder_cannot_pick_earlier_versions(issued: Certificate) -> None:
    url = reverse("certificates:download", args=[issued.pk]) + "?versi=1"
    assert client_for(issued.user).get(url).status_code == 404
    assert client_for(staff_of(issued.course)).get(url).status_code == 200


def test_a_revoked_certificate_downloads_with_its_revoked_mark(issued: Certificate) -> None:
    admin = staff_of(issued.course, ROLE_ADMIN)
    certificate_revoke(certificate=issued, actor=admin, reason="Salah peserta")
    download = client_for(issued.user).get(reverse("certificates:download", args=[issued.pk]))
    assert "DICABUT" in pdf_text(download.content)


def test_a_revoked_certificate_is_marked_on_the_cards_without_a_download_button(
    issued: Certificate,
) -> None:
    client = client_for(issued.user)
    detail_url = reverse("certificates:detail", args=[issued.pk])
    for_course = reverse("certificates:for_course", args=[issued.course.slug])
    pages = {
        "my courses": reverse("catalog:my_courses") + "?tab=selesai",
        "course page": issued.course.get_absolute_url(),
        "certificates": reverse("certificates:list"),
    }
    before = {name: client.get(url).content.decode() for name, url in pages.items()}
    assert all("Download Sertifikat" in html for html in before.values()), before.keys()
    assert not any('data-testid="certificate-revoked"' in html for html in before.values())

    admin = staff_of(issued.course, ROLE_ADMIN)
    certificate_revoke(certificate=issued, actor=admin, reason="Salah peserta")

    for name, url in pages.items():
        html = client.get(url).content.decode()
        assert "Download Sertifikat" not in html, name
        assert 'data-testid="certificate-revoked"' in html and "Dicabut" in html, name
        assert for_course in html or detail_url in html, name
    page = client.get(detail_url).content.decode()
    assert 'data-testid="revoked-explained"' in page
    assert "Salah peserta" in page and "tidak berlaku lagi" in page
    assert "Unduh salinan bertanda dicabut" in page


# --- Verification -------------------------------------------------------------------------------


def test_verification_by_code_shows_valid_and_masks_the_nip(issued: Certificate) -> None:
    response = Client().get(reverse("certificates:verify", args=[issued.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html or "Sah" in html
    assert "Rina Wulandari" in html
    assert issued.course.title in html
    assert NIP not in html
    assert "•" * 14 + NIP[-4:] in html


def test_verification_accepts_a_typed_code_with_spaces_and_lower_case(
    issued: Certificate,
) -> None:
    typed = " ".join(re.findall("....", issued.code.lower()))
    response = Client().get(reverse("certificates:verify_form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify", args=[issued.code])


def test_verification_of_a_revoked_certificate(issued: Certificate) -> None:
    admin = staff_of(issued.course, ROLE_ADMIN)
    certificate_revoke(certificate=issued, actor=admin, reason="Data peserta salah")
    response = Client().get(reverse("certificates:verify", args=[issued.code]))
    issued.refresh_from_db()
    assert issued.state == CertificateState.REVOKED
    html = response.content.decode()
    assert "dicabut" in html.lower()


def test_a_guessed_code_or_a_bare_number_finds_nothing(issued: Certificate) -> None:
    guessed = Client().get(reverse("certificates:verify", args=["A" * 16]))
    assert guessed.status_code == 404
    assert "tidak ditemukan" in guessed.content.decode()
    assert "Rina" not in guessed.content.decode()

    client = Client()
    bare = client.post(reverse("certificates:verify_form"), {"number": issued.number, "name": ""})
    assert "Rina" not in bare.content.decode()
    wrong_name = client.post(
        reverse("certificates:verify_form"), {"number": issued.number, "name": "Budi"}
    )
    assert "tidak ditemukan" in wrong_name.content.decode()
    assert "Rina" not in wrong_name.content.decode()


def test_number_and_name_find_it_with_or_without_academic_titles(issued: Certificate) -> None:
    version = issued.current_version
    assert version is not None
    version.holder_name = "Dr. Rina Wulandari, S.H., M.H."
    version.save()
    client = Client()
    for typed in ("Dr. Rina Wulandari, S.H., M.H.", "rina  wulandari", "RINA WULANDARI S.H."):
        response = client.post(
            reverse("certificates:verify_form"),
            {"number": issued.number.lower(), "name": typed},  # type: ignore[union-attr]
        )
        assert "Rina Wulandari" in response.content.decode(), typed
        assert "tidak ditemukan" not in response.content.decode()


def test_verification_is_rate_limited(issued: Certificate) -> None:
    client = Client()
    url = reverse("certificates:verify", args=["B" * 16])
    for _ in range(VERIFY_LIMIT):
        assert client.get(url).status_code == 404
    limited = client.get(url)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0


def test_verification_page_query_count(
    issued: Certificate, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    with django_assert_max_num_queries(3):
        client.get(reverse("certificates:verify", args=[issued.code]))


def test_certificate_page_query_count(
    issued: Certificate, django_assert_max_num_queries: Any
) -> None:
    client = client_for(issued.user)
    client.get(reverse("certificates:detail", args=[issued.pk]))  # warm the site settings cache
    with django_assert_max_num_queries(6):
        client.get(reverse("certificates:detail", args=[issued.pk]))


def test_a_page_opened_before_the_background_finished_completes_the_certificate() -> None:
    # Passed, but the after-commit work (snapshot, number, PDF, mail) has not run yet:
    # no on_commit callbacks are executed here.
    course, exam = course_with_exam()
    holder = UserFactory.create()
    pass_course(holder, course, exam)
    certificate = Certificate.objects.get(user=holder)
    assert certificate.current_version is None and certificate.number is None

    page = client_for(holder).get(reverse("certificates:detail", args=[certificate.pk]))
    assert page.status_code == 200
    certificate.refresh_from_db()
    assert certificate.number and certificate.number in page.content.decode()
    assert certificate.current_version is not None
    assert certificate.current_version.holder_name == holder.full_name


def test_certificate_list_query_count_does_not_grow_with_certificates(
    issued: Certificate, django_assert_max_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    holder = issued.user
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            course, exam = course_with_exam()
            pass_course(holder, course, exam)
    client = client_for(holder)
    client.get(reverse("certificates:list"))  # warm the site settings cache
    with django_assert_max_num_queries(5):
        response = client.get(reverse("certificates:list"))
    assert response.content.decode().count("Download Sertifikat") == 4
