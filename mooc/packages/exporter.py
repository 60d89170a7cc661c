"""Exporting a course as a package that imports back into the same course.

Rich text is written as HTML files, stored files are copied, and retired
sections and materials are left out (they are not part of the course any
more). Sections, materials and instructors made by hand in the admin have no
package id yet: the export gives them one and saves it, so that importing the
exported package later updates those rows instead of adding copies. The
course's question bank is written as one GIFT file whose titles are the
questions' stable ids, so it imports back into the same bank.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mooc.catalog.models import Course, Instructor
from mooc.core.errors import ServiceError
from mooc.core.files import private_storage
from mooc.evaluation.models import CourseEvaluation
from mooc.exams.models import Exam
from mooc.exams.selectors.banks import question_bank_list
from mooc.exams.services.banks import question_bank_export_gift
from mooc.learning.images import course_image_storage_name, course_image_url
from mooc.learning.models import Material, Section
from mooc.packages.schema import FORMAT_VERSION
from mooc.packages.source import MANIFEST_NAME

# Already compressed: stored as they are in the zip.
_STORED_SUFFIXES = {
    ".mp4", ".m4v", ".webm", ".ogg", ".ogv", ".jpg", ".jpeg", ".png", ".gif", ".webp",
    ".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp",
}  # fmt: skip
_KEY_LENGTH = 90  # leaves room for a "-2" suffix within the 100 characters of a key
QUESTION_BANK_PATH = "soal/bank.gift"
# The pictures in the materials' texts.
IMAGES_FOLDER = "images"


@dataclass(frozen=True)
class _File:
    path: str  # inside the package
    data: bytes | None = None
    stored: FieldFile | None = None


def course_package_export(*, course: Course, destination: Path) -> Path:
    """Write `course` to `destination`: a zip when the name ends in .zip, else a
    folder (new or empty). Returns the destination."""
    destination = Path(destination)
    is_zip = destination.suffix.lower() == ".zip"
    if not is_zip and destination.exists() and any(destination.iterdir()):
        raise ServiceError(
            _("The folder %(path)s is not empty; export into a new or empty folder.")
            % {"path": destination},
            code="not_empty",
        )
    with transaction.atomic():
        _give_ids(course)
    manifest, files = _collect(course)
    text = (
        f"# {course.title}\n"
        "# Course package exported from MOOC ASN; the format is described in "
        "docs/course-packages.md.\n"
        + yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=100)
    )
    files.insert(0, _File(MANIFEST_NAME, data=text.encode()))
    for item in files:
        if item.stored is not None and not _exists(item.stored):
            raise ServiceError(
                _("The stored file %(name)s is missing; the course cannot be exported.")
                % {"name": item.stored.name},
                code="missing_file",
            )
    if is_zip:
        _write_zip(destination, files, course)
    else:
        _write_folder(destination, files)
    return destination


def _exists(fieldfile: FieldFile) -> bool:
    try:
        return bool(fieldfile.storage.exists(fieldfile.name or ""))
    except (OSError, ValueError):
        return False


def _free_key(text: str, fallback: str, taken: set[str]) -> str:
    base = slugify(text)[:_KEY_LENGTH].strip("-") or fallback
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def _give_ids(course: Course) -> None:
    sections = list(Section.objects.filter(course=course).order_by("order", "pk"))
    taken = {row.key for row in sections if row.key}
    for section in sections:
        if not section.key and not section.is_retired:
            section.key = _free_key(section.title, "section", taken)
            section.save(update_fields=["key"])
    materials = list(
        Material.objects.filter(section__course=course)
        .select_related("section")
        .order_by("section__order", "order", "pk")
    )
    taken = {row.key for row in materials if row.key}
    exported: set[str] = set()
    for material in materials:
        if material.is_retired or material.section.is_retired:
            continue
        # Ids are unique in a package; rows made by hand may share one across sections.
        if not material.key or material.key in exported:
            material.key = _free_key(material.title, "material", taken)
            material.save(update_fields=["key"])
        exported.add(material.key)
    for instructor in course.instructors.filter(key__isnull=True):
        taken = {key for key in Instructor.objects.values_list("key", flat=True) if key}
        instructor.key = _free_key(instructor.name, "instructor", taken)
        instructor.save(update_fields=["key"])


def _when(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _suffix(fieldfile: FieldFile) -> str:
    return PurePosixPath(fieldfile.name or "").suffix.lower()


def _collect(course: Course) -> tuple[dict[str, Any], list[_File]]:
    files: list[_File] = []
    data: dict[str, Any] = {"slug": course.slug, "title": course.title, "summary": course.summary}
    for name in ("description", "requirements"):
        html = getattr(course, name)
        if html:
            data[f"{name}_file"] = f"{name}.html"
            files.append(_File(f"{name}.html", data=f"{html}\n".encode()))
    data["category"] = {"slug": course.category.slug, "name": course.category.name}
    data["level"] = str(course.level)  # a Level member on rows not yet reloaded
    data["jp"] = course.jp
    if course.duration_days is not None:
        data["duration_days"] = course.duration_days
    if course.preview_video_url:
        data["preview_video_url"] = course.preview_video_url
    if course.cover_image:
        path = f"cover{_suffix(course.cover_image)}"
        data["cover_image"] = path
        files.append(_File(path, stored=course.cover_image))
    data["gives_certificate"] = course.gives_certificate
    data["published"] = course.is_published
    for name in ("starts_at", "ends_at", "enroll_opens_at", "enroll_closes_at"):
        if getattr(course, name) is not None:
            data[name] = _when(getattr(course, name))
    data["internal_only"] = course.internal_only
    instructors = []
    for instructor in course.ordered_instructors():  # the lead instructor first
        item: dict[str, Any] = {"id": instructor.key, "name": instructor.name}
        if instructor.title:
            item["title"] = instructor.title
        if instructor.bio:
            item["bio"] = instructor.bio
        if instructor.photo:
            path = f"instructors/{instructor.key}{_suffix(instructor.photo)}"
            item["photo"] = path
            files.append(_File(path, stored=instructor.photo))
        instructors.append(item)
    if instructors:
        data["instructors"] = instructors

    current = Material.objects.filter(is_retired=False).order_by("order", "pk")
    sections = (
        Section.objects.filter(course=course, is_retired=False)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("materials", queryset=current.prefetch_related("attachments")))
    )
    section_items = []
    pictures: set[str] = set()
    for section in sections:
        materials = []
        for material in section.materials.all():
            materials.append(_material(material, files, course=course, pictures=pictures))
        section_items.append({"id": section.key, "title": section.title, "materials": materials})
    manifest: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "course": data,
        "sections": section_items,
    }
    # An empty file would be refused on import: no bank, no `questions:`.
    if question_bank_list(course=course).exists():
        gift = question_bank_export_gift(course=course)
        manifest["questions"] = [{"file": QUESTION_BANK_PATH}]
        files.append(_File(QUESTION_BANK_PATH, data=gift.encode()))
    exam = Exam.objects.filter(course=course, is_final=True).first()
    if exam is not None:
        manifest["exam"] = _exam(exam)
    pretest = Exam.objects.filter(course=course, is_pretest=True).first()
    if pretest is not None:
        manifest["pretest"] = _pretest(pretest)
    evaluation = CourseEvaluation.objects.filter(course=course).select_related("template").first()
    if evaluation is not None:
        manifest["evaluation"] = _evaluation(evaluation)
    return manifest, files


def _pretest(exam: Exam) -> dict[str, Any]:
    item: dict[str, Any] = {
        "title": exam.title,
        "question_count": exam.question_count,
        "time_limit_minutes": exam.time_limit_minutes,
        "shuffle_questions": exam.shuffle_questions,
        "shuffle_options": exam.shuffle_options,
    }
    for name in ("available_from", "available_until"):
        if getattr(exam, name) is not None:
            item[name] = _when(getattr(exam, name))
    return item


def _evaluation(evaluation: CourseEvaluation) -> dict[str, Any]:
    template = evaluation.template
    items = []
    for row in template.items.order_by("position", "pk"):
        item: dict[str, Any] = {"group": row.group, "text": row.text, "kind": row.kind}
        if row.low_label:
            item["low_label"] = row.low_label
        if row.high_label:
            item["high_label"] = row.high_label
        item["required"] = row.required
        item["per_instructor"] = row.per_instructor
        items.append(item)
    data: dict[str, Any] = {"key": template.key, "name": template.name}
    if template.description:
        data["description"] = template.description
    data["items"] = items
    return {
        "anonymous": evaluation.anonymous,
        "required_for_certificate": evaluation.required_for_certificate,
        "template": data,
    }


def _exam(exam: Exam) -> dict[str, Any]:
    grade = exam.passing_grade.normalize()
    item: dict[str, Any] = {
        "title": exam.title,
        "question_count": exam.question_count,
        "time_limit_minutes": exam.time_limit_minutes,
        # 70 rather than 70.00; 72.5 stays a number
        "passing_grade": int(grade) if grade == grade.to_integral_value() else float(grade),
        "max_attempts": exam.max_attempts,
        "wait_minutes_between_attempts": exam.wait_minutes_between_attempts,
        "shuffle_questions": exam.shuffle_questions,
        "shuffle_options": exam.shuffle_options,
        "require_materials_completed": exam.require_materials_completed,
        "allow_retake_after_pass": exam.allow_retake_after_pass,
        "review_mode": str(exam.review_mode),
    }
    for name in ("available_from", "available_until"):
        if getattr(exam, name) is not None:
            item[name] = _when(getattr(exam, name))
    quotas = exam.quotas.select_related("category").order_by("category__name")
    if quotas:
        item["quotas"] = [{"category": q.category.name, "count": q.count} for q in quotas]
    return item


def _with_pictures(html: str, course: Course, files: list[_File], exported: set[str]) -> str:
    """`html` (a material's text in materials/) with the course's own pictures as files
    of the package, `images/<name>`, addressed relative to it; each file once. A
    picture missing from the storage keeps its address."""
    prefix = course_image_url(course=course, name="x.jpg").removesuffix("x.jpg")
    storage = private_storage()

    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        stored = course_image_storage_name(course_id=course.pk, name=name)
        if stored is None:
            return match.group(0)
        if name not in exported:
            if not storage.exists(stored):
                return match.group(0)
            with storage.open(stored, "rb") as handle:
                files.append(_File(f"{IMAGES_FOLDER}/{name}", data=handle.read()))
            exported.add(name)
        return f"{match.group(1)}../{IMAGES_FOLDER}/{name}"

    return re.sub(
        r"(\bsrc\s*=\s*[\"'])" + re.escape(prefix) + r"([0-9a-f]{32}\.(?:jpg|png))", replace, html
    )


def _material(
    material: Material, files: list[_File], *, course: Course, pictures: set[str]
) -> dict[str, Any]:
    item: dict[str, Any] = {"id": material.key, "title": material.title}
    if material.body:
        path = f"materials/{material.key}.html"
        item["body_file"] = path
        body = _with_pictures(material.body, course, files, pictures)
        files.append(_File(path, data=f"{body}\n".encode()))
    if material.video_url:
        item["video_url"] = material.video_url
    if material.video_file:
        path = f"videos/{material.key}{_suffix(material.video_file)}"
        item["video_file"] = path
        files.append(_File(path, stored=material.video_file))
    if material.duration_minutes is not None:
        item["duration_minutes"] = material.duration_minutes
    attachments = []
    used: set[str] = set()
    for index, attachment in enumerate(material.attachments.all(), start=1):
        name = PurePosixPath(attachment.file.name or "file").name
        if name in used:
            name = f"{index}-{name}"
        used.add(name)
        path = f"attachments/{material.key}/{name}"
        attachments.append({"title": attachment.title, "file": path})
        files.append(_File(path, stored=attachment.file))
    if attachments:
        item["attachments"] = attachments
    return item


def _copy_into(item: _File, handle: Any) -> None:
    if item.data is not None:
        handle.write(item.data)
        return
    assert item.stored is not None
    with item.stored.storage.open(item.stored.name or "", "rb") as stored:
        shutil.copyfileobj(stored, handle, 1024 * 1024)


def _write_folder(destination: Path, files: list[_File]) -> None:
    for item in files:
        target = destination / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            _copy_into(item, handle)


def _write_zip(destination: Path, files: list[_File], course: Course) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    stamp = timezone.localtime(course.updated_at).timetuple()[:6]
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            for item in files:
                info = zipfile.ZipInfo(item.path, date_time=stamp)
                info.compress_type = (
                    zipfile.ZIP_STORED
                    if PurePosixPath(item.path).suffix.lower() in _STORED_SUFFIXES
                    else zipfile.ZIP_DEFLATED
                )
                info.external_attr = 0o644 << 16
                with archive.open(info, "w", force_zip64=True) as handle:
                    _copy_into(item, handle)
        partial.replace(destination)
    finally:
        partial.unlink(missing_ok=True)
