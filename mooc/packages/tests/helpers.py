"""Builders shared by the course-package tests (no tests here).

Packages are written into tmp_path as a real user would make them: a folder
with course.yaml and files, or a zip of it.
"""

from __future__ import annotations

import copy
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from PIL import Image

from mooc.accounts.models import User
from mooc.accounts.roles import roles_sync
from mooc.catalog.models import Category, Course, Instructor
from mooc.core.models import AuditLog
from mooc.learning.models import Attachment, Material, Section
from mooc.packages.demo import DEMO_COURSES_DIR

# The head of the demo's real WebM video: enough for the type checks.
WEBM = (
    DEMO_COURSES_DIR / "literasi-digital-keamanan-informasi/video/tanda-phishing.webm"
).read_bytes()
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png(colour: str = "navy", size: tuple[int, int] = (40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def manifest(**course: Any) -> dict[str, Any]:
    """A small valid manifest; keyword arguments replace course fields."""
    data: dict[str, Any] = {
        "format_version": 1,
        "course": {
            "slug": "tata-naskah-dinas",
            "title": "Tata Naskah Dinas",
            "summary": "Menyusun surat dinas yang benar dan rapi.",
            "description": "Kursus **singkat** tentang naskah dinas.",
            "category": {"slug": "administrasi", "name": "Administrasi Perkantoran"},
            "level": "dasar",
            "jp": 4,
            "published": True,
            "instructors": [{"id": "ani-lestari", "name": "Ani Lestari", "bio": "Arsiparis."}],
        },
        "sections": [
            {
                "id": "dasar",
                "title": "Dasar-Dasar",
                "materials": [
                    {"id": "pengantar", "title": "Pengantar", "body": "Selamat datang."},
                    {"id": "jenis-naskah", "title": "Jenis Naskah", "body": "## Surat\n\nIsi."},
                ],
            },
            {
                "id": "praktik",
                "title": "Praktik",
                "materials": [
                    {"id": "surat-undangan", "title": "Surat Undangan", "body": "Contoh."},
                ],
            },
        ],
    }
    data["course"].update(course)
    return data


def full_manifest() -> tuple[dict[str, Any], dict[str, bytes]]:
    """Every field used once, with the files it names."""
    data = manifest(
        description_file="teks/deskripsi.md",
        requirements="<ul><li>ASN aktif</li></ul>",
        level="menengah",
        jp=12,
        duration_days=30,
        preview_video_url="https://www.youtube.com/watch?v=abcdefghijk",
        cover_image="gambar/sampul.png",
        gives_certificate=False,
        starts_at="2025-01-06T08:00:00+07:00",
        ends_at="2030-12-31T23:59:00+07:00",
        enroll_opens_at="2025-01-01T00:00:00+07:00",
        enroll_closes_at="2030-12-01T00:00:00+07:00",
        internal_only=True,
    )
    del data["course"]["description"]
    data["course"]["instructors"] = [
        {
            "id": "ani-lestari",
            "name": "Ani Lestari",
            "title": "Arsiparis Ahli Madya",
            "bio": "Arsiparis.",
            "photo": "gambar/ani.png",
        },
        {"id": "budi-santoso", "name": "Budi Santoso"},
    ]
    data["sections"][0]["materials"][0].update(
        body=None, body_file="teks/pengantar.html", video_file="video/pengantar.webm"
    )
    del data["sections"][0]["materials"][0]["body"]
    data["sections"][0]["materials"][1].update(
        video_url="https://www.youtube.com/watch?v=zyxwvutsrqp",
        duration_minutes=15,
        attachments=[
            {"title": "Contoh surat", "file": "lampiran/contoh.pdf"},
            {"title": "Templat", "file": "lampiran/templat.pdf"},
        ],
    )
    files = {
        "teks/deskripsi.md": "# Tentang kursus\n\nNaskah dinas yang “tertib”.\n".encode(),
        "teks/pengantar.html": b"<p>Pengantar <strong>naskah</strong> dinas.</p>\n",
        "gambar/sampul.png": png("teal", (64, 36)),
        "gambar/ani.png": png("maroon", (30, 30)),
        "video/pengantar.webm": WEBM,
        "lampiran/contoh.pdf": PDF,
        "lampiran/templat.pdf": PDF + b"% templat\n",
    }
    return data, files


def write_package(
    root: Path,
    data: dict[str, Any] | str | bytes,
    files: dict[str, bytes] | None = None,
) -> Path:
    """A package folder: course.yaml from a dict (dumped), str (as UTF-8) or bytes (as is)."""
    root.mkdir(parents=True, exist_ok=True)
    if isinstance(data, dict):
        data = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if isinstance(data, str):
        data = data.encode()
    (root / "course.yaml").write_bytes(data)
    for name, content in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def zip_folder(folder: Path, destination: Path) -> Path:
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return destination


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in (Category, Course, Instructor, Section, Material, Attachment, AuditLog)
    }


def stored_files() -> set[str]:
    found = set()
    for root in (Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)):
        if root.exists():
            found |= {str(path) for path in root.rglob("*") if path.is_file()}
    return found


def _file_sig(fieldfile: FieldFile) -> str | None:
    if not fieldfile:
        return None
    with fieldfile.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _image_sig(fieldfile: FieldFile) -> tuple[str, tuple[int, int]] | None:
    # Images are re-encoded on every import, so their bytes differ; what they show does not.
    if not fieldfile:
        return None
    with fieldfile.open("rb") as handle, Image.open(handle) as image:
        return (str(image.format), image.size)


def course_tree(slug: str) -> dict[str, Any]:
    """The course as a learner and an author see it, without database ids."""
    course = Course.objects.select_related("category").get(slug=slug)
    fields = (
        "slug", "title", "summary", "description", "requirements", "level", "jp",
        "duration_days", "preview_video_url", "gives_certificate", "is_published",
        "starts_at", "ends_at", "enroll_opens_at", "enroll_closes_at", "internal_only",
    )  # fmt: skip
    sections = []
    for section in course.sections.current().order_by("order"):
        materials = []
        for material in section.materials.current().order_by("order"):
            materials.append(
                {
                    "key": material.key,
                    "title": material.title,
                    "body": material.body,
                    "video_url": material.video_url,
                    "video_file": _file_sig(material.video_file),
                    "duration_minutes": material.duration_minutes,
                    "attachments": [
                        (attachment.title, _file_sig(attachment.file))
                        for attachment in material.attachments.all()
                    ],
                }
            )
        sections.append({"key": section.key, "title": section.title, "materials": materials})
    return copy.deepcopy(
        {
            "course": {name: getattr(course, name) for name in fields},
            "category": (course.category.slug, course.category.name),
            "cover": _image_sig(course.cover_image),
            "instructors": [  # in the course's order: the lead instructor first
                (row.key or "", row.name, row.title, row.bio, _image_sig(row.photo))
                for row in course.ordered_instructors()
            ],
            "sections": sections,
        }
    )


def empty_the_catalogue() -> None:
    """What a fresh database holds: no courses, categories or instructors."""
    Course.objects.all().delete()
    Category.objects.all().delete()
    Instructor.objects.all().delete()


IMPORT_URL = "admin:catalog_course_import_package"


def staff_user(username: str, *, group: str | None = None, perms: tuple[str, ...] = ()) -> User:
    user = User.objects.create_user(
        username=username,
        password="x",
        email=f"{username}@example.org",
        full_name=username.title(),
        is_staff=True,
        activated_at=timezone.now(),
    )
    if group:
        roles_sync()
        user.groups.add(Group.objects.get(name=group))
    for name in perms:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user
