"""Uploads from course authors: videos and attachments are judged by name and bytes,
images are re-encoded; hostile files are refused with a message and nothing is saved."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from mooc.accounts.tests.factories import SuperuserFactory
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.models import Instructor
from mooc.catalog.tests.factories import CourseFactory
from mooc.catalog.uploads import (
    attachment_validate,
    cover_image_clean,
    instructor_photo_clean,
    video_validate,
)
from mooc.learning.models import Material
from mooc.learning.tests.factories import SectionFactory

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 64
)
MKV = WEBM.replace(b"\x84webm", b"\x88matroska")
OGG = b"OggS\x00\x02" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def office_file(*parts: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for part in parts:
            archive.writestr(part, "<x/>")
    return out.getvalue()


def image_bytes(size: tuple[int, int], fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def refusal(check: object, file: SimpleUploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check(file)  # type: ignore[operator]
    return caught.value


# --- Videos --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("kuliah.mp4", MP4), ("Kuliah.MP4", MP4), ("kuliah.webm", WEBM), ("kuliah.ogv", OGG)],
)
def test_real_videos_are_accepted(name: str, content: bytes) -> None:
    video_validate(upload(name, content))


def test_an_html_page_renamed_mp4_is_refused() -> None:
    error = refusal(video_validate, upload("kuliah.mp4", HTML))

    assert error.code == "mismatch"
    assert "do not match its .mp4 extension" in error.messages[0]


def test_a_matroska_file_renamed_webm_is_refused() -> None:
    assert refusal(video_validate, upload("kuliah.webm", MKV)).code == "mismatch"


@pytest.mark.parametrize("name", ["kuliah.avi", "kuliah.exe", "kuliah.mp4.exe", "kuliah"])
def test_other_video_types_are_refused_by_name(name: str) -> None:
    error = refusal(video_validate, upload(name, MP4))

    assert error.messages == ["Upload a video in MP4, WebM or Ogg format."]


def test_an_empty_video_is_refused() -> None:
    assert refusal(video_validate, upload("kuliah.mp4", b"")).messages == ["The file is empty."]


@override_settings(MAX_VIDEO_UPLOAD_MB=1)
def test_a_video_over_the_configured_limit_is_refused() -> None:
    just_fits = MP4 + b"\x00" * (1024 * 1024 - len(MP4))
    video_validate(upload("kuliah.mp4", just_fits))

    error = refusal(video_validate, upload("kuliah.mp4", just_fits + b"\x00"))

    assert error.messages == ["The video is too large: at most 1 MB."]


# --- Attachments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("modul.pdf", PDF),
        ("modul.docx", office_file("word/document.xml")),
        ("nilai.xlsx", office_file("xl/workbook.xml")),
        ("paparan.pptx", office_file("ppt/presentation.xml")),
        ("catatan.txt", "Catatan pelatihan — sesi 1\n".encode()),
        ("bahan.zip", office_file("bab1.txt")),
    ],
)
def test_the_allowed_attachment_types_are_accepted(name: str, content: bytes) -> None:
    attachment_validate(upload(name, content))


def test_a_program_renamed_pdf_is_refused() -> None:
    error = refusal(attachment_validate, upload("modul.pdf", EXE))

    assert error.code == "mismatch"
    assert "do not match its .pdf extension" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("modul.docx", EXE),
        ("modul.docx", office_file("xl/workbook.xml")),  # a workbook renamed .docx
        ("bahan.zip", b"PK\x03\x04 not really a zip archive"),
        ("catatan.txt", EXE),
    ],
)
def test_other_disguised_attachments_are_refused(name: str, content: bytes) -> None:
    assert refusal(attachment_validate, upload(name, content)).code == "mismatch"


@pytest.mark.parametrize("name", ["setup.exe", "makro.docm", "halaman.html", "skrip.js"])
def test_other_attachment_types_are_refused_by_name(name: str) -> None:
    error = refusal(attachment_validate, upload(name, PDF))

    assert error.code == "type"
    assert "Upload a PDF, Word (.docx)" in error.messages[0]


def test_an_empty_attachment_is_refused() -> None:
    assert refusal(attachment_validate, upload("modul.pdf", b"")).code == "empty"


@override_settings(MAX_ATTACHMENT_UPLOAD_MB=1)
def test_an_attachment_over_the_configured_limit_is_refused() -> None:
    error = refusal(attachment_validate, upload("modul.pdf", PDF + b"\x00" * 1024 * 1024))

    assert error.messages == ["The file is too large: at most 1 MB."]


# --- Images ---------------------------------------------------------------------------------


def test_a_cover_is_re_encoded_and_scaled_to_1600_pixels() -> None:
    cover = cover_image_clean(upload("sampul.png", image_bytes((3200, 1000), "PNG")))

    with Image.open(cover) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1600, 500)


def test_an_instructor_photo_is_scaled_to_600_pixels() -> None:
    photo = instructor_photo_clean(upload("foto.jpg", image_bytes((1200, 900))))

    with Image.open(photo) as stored:
        assert max(stored.size) == 600


@pytest.mark.parametrize(
    ("name", "content"), [("sampul.jpg", HTML), ("sampul.jpg", EXE), ("sampul.jpg", b"")]
)
def test_what_is_not_an_image_is_refused(name: str, content: bytes) -> None:
    with pytest.raises(ValidationError):
        cover_image_clean(upload(name, content))


def test_an_image_over_5_mb_is_refused() -> None:
    big = upload("sampul.jpg", image_bytes((10, 10)) + b"\x00" * (5 * 1024 * 1024))

    error = refusal(cover_image_clean, big)

    assert error.messages == ["The image is too large: at most 5 MB."]


# --- Through the admin forms ------------------------------------------------------------------


@pytest.fixture
def root_client(client: Client, db: None) -> Client:
    return logged_in(client, SuperuserFactory.create(username="root", full_name="Root"))


def material_form(section_id: int, **data: object) -> dict[str, object]:
    return {
        "section": section_id,
        "title": "Video pembuka",
        "order": 1,
        "body": "",
        "video_url": "",
        "duration_minutes": "",
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
        **data,
    }


def test_the_material_form_refuses_an_html_page_posing_as_a_video(root_client: Client) -> None:
    section = SectionFactory.create(course=CourseFactory.create(is_published=False))

    response = root_client.post(
        reverse("admin:learning_material_add"),
        material_form(section.pk, video_file=upload("pembuka.mp4", HTML)),
    )

    assert response.status_code == 200
    assert "do not match its .mp4 extension" in response.content.decode()
    assert not Material.objects.exists()


def test_the_material_form_stores_a_real_video_privately_and_shows_it_again(
    root_client: Client,
) -> None:
    section = SectionFactory.create(course=CourseFactory.create(is_published=False))

    response = root_client.post(
        reverse("admin:learning_material_add"),
        material_form(section.pk, video_file=upload("pembuka.mp4", MP4)),
    )

    assert response.status_code == 302
    material = Material.objects.get()
    assert material.video_file.storage.exists(material.video_file.name)
    # The change page names the private file without trying to link it.
    page = root_client.get(reverse("admin:learning_material_change", args=[material.pk]))
    assert page.status_code == 200
    assert "pembuka" in page.content.decode()


def test_the_material_form_refuses_a_program_attached_as_a_pdf(root_client: Client) -> None:
    section = SectionFactory.create(course=CourseFactory.create(is_published=False))

    response = root_client.post(
        reverse("admin:learning_material_add"),
        material_form(
            section.pk,
            **{
                "attachments-TOTAL_FORMS": 1,
                "attachments-0-title": "Modul",
                "attachments-0-order": 1,
                "attachments-0-file": upload("modul.pdf", EXE),
            },
        ),
    )

    assert response.status_code == 200
    assert "do not match its .pdf extension" in response.content.decode()
    assert not Material.objects.exists()


def test_the_material_form_accepts_only_youtube_or_vimeo_links(root_client: Client) -> None:
    section = SectionFactory.create(course=CourseFactory.create(is_published=False))

    response = root_client.post(
        reverse("admin:learning_material_add"),
        material_form(section.pk, video_url="https://evil.example/video"),
    )

    assert "Give a YouTube or Vimeo link." in response.content.decode()
    assert not Material.objects.exists()


def test_the_instructor_photo_is_stored_re_encoded(root_client: Client) -> None:
    response = root_client.post(
        reverse("admin:catalog_instructor_add"),
        {
            "name": "Dr. Sari Wulandari",
            "title": "Widyaiswara Ahli Madya",
            "bio": "",
            "user": "",
            "photo": upload("sari.png", image_bytes((1800, 1200), "PNG")),
        },
    )

    assert response.status_code == 302
    instructor = Instructor.objects.get()
    assert instructor.photo.name.endswith(".jpg")
    with instructor.photo.open("rb") as handle, Image.open(handle) as stored:
        assert max(stored.size) == 600
