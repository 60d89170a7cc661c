"""Importing a course package: check everything, then write it all in one transaction.

Re-importing a slug updates that course in place, matching sections, materials
and instructors by their package ids. Rows that learners' progress points to
are never deleted: what the package no longer has is retired (hidden), and
comes back if a later package names its id again. Only rows whose values
change are saved, so importing the same package twice changes nothing.

The question files of `questions:` go into the course's bank in the same
transaction (`mooc.exams.services.questions_import`), matched by their stable
ids; a failed question rolls the whole package back. `exam:` creates or updates
the course's final exam in the same transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter, defaultdict
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, models, transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from mooc.catalog.models import Category, Course, Instructor
from mooc.catalog.services import course_instructors_set
from mooc.core.files import private_storage
from mooc.core.services import audit_log_record
from mooc.evaluation.models import CourseEvaluation, EvaluationItem, EvaluationTemplate
from mooc.exams.models import Exam, ExamCategoryQuota, QuestionCategory
from mooc.exams.services.banks import questions_import
from mooc.learning.images import course_image_storage_name, course_image_url
from mooc.learning.models import Attachment, Material, Section
from mooc.packages.manifest import (
    AttachmentPlan,
    CoursePlan,
    ImagePlan,
    ManifestReader,
    MaterialPlan,
    package_image_src,
    question_problem,
)
from mooc.packages.report import PackageReport
from mooc.packages.source import DamagedZip, Entry, Limits, PackageSource, open_source

_CHUNK = 1024 * 1024


def course_package_import(
    *,
    source: Path | UploadedFile,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> PackageReport:
    """Import the package at `source` (folder, zip, course.yaml, or an uploaded zip).

    Nothing is written unless the whole package is valid; `report.errors` says
    why otherwise, and `report.committed` whether the course was written.
    """
    limits = Limits.from_settings()
    report = PackageReport(source=str(getattr(source, "name", source)))
    package = open_source(source, limits, report)
    if package is None:
        return report
    with package:
        try:
            plan = ManifestReader(package, limits, report).plan()
        except DamagedZip as error:
            report.error(report.source, "", str(error))
            return report
        if plan is None:
            return report
        report.course_slug = plan.slug
        files = _Files()
        try:
            with transaction.atomic():
                course = _Importer(plan, package, report, files, actor=actor, request=request).run()
                if report.changed:
                    audit_log_record(
                        actor=actor,
                        action="course.package_imported",
                        target=course,
                        after={
                            "source": report.source,
                            "created": dict(report.created),
                            "updated": dict(report.updated),
                            "retired": dict(report.retired),
                        },
                        request=request,
                    )
        except _QuestionsFailed:
            # The report names each failed question; nothing was kept.
            files.discard()
            _forget_counts(report)
            return report
        except DamagedZip as error:
            files.discard()
            _forget_counts(report)
            report.error(report.source, "", str(error))
            return report
        except (DatabaseError, OSError) as error:
            files.discard()
            _forget_counts(report)
            report.error(
                report.source,
                "",
                _("The import was rolled back: %(reason)s") % {"reason": error},
            )
            return report
        except BaseException:
            files.discard()
            raise
    report.course_id = course.pk
    report.committed = True
    return report


class _QuestionsFailed(Exception):
    """The bank refused a question of a question file: roll the package back."""


def _forget_counts(report: PackageReport) -> None:
    for name in ("created", "updated", "unchanged", "retired", "deleted"):
        setattr(report, name, Counter())


class _Files:
    """Files written by this attempt are removed if it fails; files it replaces
    are removed only once it has committed (until then rows point to them)."""

    def __init__(self) -> None:
        self.written: list[tuple[Storage, str]] = []

    def save(self, fieldfile: FieldFile, name: str, content: File) -> None:  # type: ignore[type-arg]
        fieldfile.save(name, content, save=False)
        self.written.append((fieldfile.storage, fieldfile.name or ""))

    def drop_after_commit(self, fieldfile: FieldFile) -> None:
        storage, name = fieldfile.storage, fieldfile.name or ""
        model, attname = type(fieldfile.instance), fieldfile.field.attname

        def drop() -> None:
            # Another row may share the name (a copied course); then keep it.
            if name and not model._default_manager.filter(**{attname: name}).exists():
                storage.delete(name)

        transaction.on_commit(drop)

    def discard(self) -> None:
        for storage, name in self.written:
            with contextlib.suppress(OSError, SuspiciousFileOperation):
                storage.delete(name)
        self.written.clear()


def _digest(handle: IO[bytes]) -> bytes:
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.digest()


def _stored_equals(fieldfile: FieldFile, data: bytes) -> bool:
    if not fieldfile:
        return False
    try:
        if fieldfile.storage.size(fieldfile.name or "") != len(data):
            return False
        with fieldfile.storage.open(fieldfile.name or "", "rb") as handle:
            return bool(handle.read() == data)
    except (OSError, SuspiciousFileOperation):
        return False


def _storage_equals(storage: Storage, name: str, data: bytes) -> bool:
    try:
        if not storage.exists(name) or storage.size(name) != len(data):
            return False
        with storage.open(name, "rb") as handle:
            return bool(handle.read() == data)
    except (OSError, SuspiciousFileOperation):
        return False


def _stored_same_as(fieldfile: FieldFile, package: PackageSource, entry: Entry) -> bool:
    if not fieldfile:
        return False
    try:
        if fieldfile.storage.size(fieldfile.name or "") != entry.size:
            return False
        with fieldfile.storage.open(fieldfile.name or "", "rb") as stored:
            stored_digest = _digest(stored)
    except (OSError, SuspiciousFileOperation):
        return False
    with package.open(entry) as incoming:
        return _digest(incoming) == stored_digest


def _assign(row: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values that differ; their names, for save(update_fields=…)."""
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def _sync_quotas(exam: Exam, quotas: list[tuple[str, int]]) -> bool:
    """Make the exam's per-category quotas those of the package (none when it lists
    none); whether anything changed. The questions are imported already, so every
    category named exists."""
    wanted = dict(quotas)
    current = {
        quota.category.name: quota
        for quota in ExamCategoryQuota.objects.filter(exam=exam).select_related("category")
    }
    if {name: quota.count for name, quota in current.items()} == wanted:
        return False
    ExamCategoryQuota.objects.filter(exam=exam).exclude(category__name__in=list(wanted)).delete()
    categories = {
        category.name: category
        for category in QuestionCategory.objects.filter(
            course_id=exam.course_id, name__in=list(wanted)
        )
    }
    for name, count in wanted.items():
        ExamCategoryQuota.objects.update_or_create(
            exam=exam, category=categories[name], defaults={"count": count}
        )
    return True


class _Importer:
    def __init__(
        self,
        plan: CoursePlan,
        package: PackageSource,
        report: PackageReport,
        files: _Files,
        *,
        actor: Any = None,
        request: HttpRequest | None = None,
    ) -> None:
        self.plan = plan
        self.package = package
        self.report = report
        self.files = files
        self.actor = actor
        self.request = request

    def run(self) -> Course:
        category = self._category()
        instructors = self._instructors()
        course = self._course(category, instructors)
        self._sections_and_materials(course)
        self._questions(course)
        self._exam(course)
        self._pretest(course)
        self._evaluation(course)
        return course

    def _count(self, kind: str, created: bool, changed: bool) -> None:
        counter = (
            self.report.created
            if created
            else self.report.updated
            if changed
            else self.report.unchanged
        )
        counter[kind] += 1

    # --- files --------------------------------------------------------------------

    def _sync_image(self, fieldfile: FieldFile, image: ImagePlan | None, stem: str) -> bool:
        if image is None:
            return self._clear(fieldfile)
        # An export carries our own re-encoded file: equal bytes mean no change,
        # and so does a source image that re-encodes to what is stored.
        if _stored_equals(fieldfile, image.raw) or _stored_equals(fieldfile, image.content):
            return False
        old = FieldFile(fieldfile.instance, fieldfile.field, fieldfile.name) if fieldfile else None
        self.files.save(fieldfile, f"{stem}.{image.extension}", ContentFile(image.content))
        if old is not None:
            self.files.drop_after_commit(old)
        return True

    def _sync_file(self, fieldfile: FieldFile, entry: Entry | None) -> bool:
        if entry is None:
            return self._clear(fieldfile)
        if _stored_same_as(fieldfile, self.package, entry):
            return False
        old = FieldFile(fieldfile.instance, fieldfile.field, fieldfile.name) if fieldfile else None
        with self.package.open_file(entry) as content:
            self.files.save(fieldfile, entry.name, content)
        if old is not None:
            self.files.drop_after_commit(old)
        return True

    def _clear(self, fieldfile: FieldFile) -> bool:
        if not fieldfile:
            return False
        self.files.drop_after_commit(FieldFile(fieldfile.instance, fieldfile.field, fieldfile.name))
        fieldfile.name = ""
        return True

    # --- rows ---------------------------------------------------------------------

    def _category(self) -> Category:
        plan = self.plan
        category = Category.objects.filter(slug=plan.category_slug).first()
        if category is None:
            # The name is unique too: a category made by hand under another slug is reused.
            category = Category.objects.filter(name__iexact=plan.category_name).first()
            if category is not None:
                self.report.notes.append(
                    _(
                        "The category “%(name)s” already exists with the slug “%(slug)s”; "
                        "the course was put in it."
                    )
                    % {"name": category.name, "slug": category.slug}
                )
        if category is None:
            category = Category.objects.create(slug=plan.category_slug, name=plan.category_name)
            self._count("category", created=True, changed=True)
        else:
            # Categories are shared by many courses: a package does not rename them.
            self._count("category", created=False, changed=False)
        return category

    def _instructors(self) -> list[Instructor]:
        plans = self.plan.instructors
        existing = Instructor.objects.in_bulk([item.key for item in plans], field_name="key")
        rows = []
        for item in plans:
            values = {"name": item.name, "title": item.title, "bio": item.bio}
            row = existing.get(item.key)
            if row is None:
                row = Instructor(key=item.key, **values)
                self._sync_image(row.photo, item.photo, item.key)
                row.save()
                self._count("instructor", created=True, changed=True)
            else:
                changed = _assign(row, values)
                if self._sync_image(row.photo, item.photo, item.key):
                    changed.append("photo")
                if changed:
                    row.save(update_fields=changed)
                self._count("instructor", created=False, changed=bool(changed))
            rows.append(row)
        return rows

    def _course(self, category: Category, instructors: list[Instructor]) -> Course:
        plan = self.plan
        values = {**plan.values, "category_id": category.pk}
        course = Course.objects.select_for_update().filter(slug=plan.slug).first()
        if course is None:
            course = Course(slug=plan.slug, **values)
            self._sync_image(course.cover_image, plan.cover, plan.slug)
            course.save()
            course_instructors_set(course=course, instructors=instructors)
            self._count("course", created=True, changed=True)
            return course
        changed = _assign(course, values)
        if self._sync_image(course.cover_image, plan.cover, plan.slug):
            changed.append("cover_image")
        if changed:
            course.save(update_fields=[*changed, "updated_at"])
        # In the manifest's order: the lead instructor first.
        if course_instructors_set(course=course, instructors=instructors):
            changed.append("instructors")
        self._count("course", created=False, changed=bool(changed))
        return course

    def _sections_and_materials(self, course: Course) -> None:
        existing_sections = list(Section.objects.filter(course=course))
        by_key = {row.key: row for row in existing_sections if row.key}
        placed: list[tuple[Section, int]] = []
        for order, item in enumerate(self.plan.sections, start=1):
            values = {"title": item.title, "order": order, "is_retired": False}
            section = by_key.get(item.key)
            if section is None:
                section = Section.objects.create(course=course, key=item.key, **values)
                self._count("section", created=True, changed=True)
            else:
                changed = _assign(section, values)
                if changed:
                    section.save(update_fields=changed)
                self._count("section", created=False, changed=bool(changed))
            placed.append((section, order - 1))
        kept = {section.pk for section, _ in placed}
        self._retire([row for row in existing_sections if row.pk not in kept], "section")

        existing = list(
            Material.objects.filter(section__course=course)
            .prefetch_related("attachments")
            .order_by("pk")
        )
        candidates: dict[str, list[Material]] = defaultdict(list)
        for row in existing:
            if row.key:
                candidates[row.key].append(row)
        kept = set()
        for section, index in placed:
            for order, planned in enumerate(self.plan.sections[index].materials, start=1):
                material = _pick(candidates.get(planned.key, []), section)
                values = {
                    "title": planned.title,
                    "body": self._material_body(course, planned),
                    "video_url": planned.video_url,
                    "duration_minutes": planned.duration_minutes,
                    "order": order,
                    "is_retired": False,
                }
                if material is None:
                    material = Material(section=section, key=planned.key, **values)
                    self._sync_file(material.video_file, planned.video_file)
                    material.save()
                    self._count("material", created=True, changed=True)
                    current: list[Attachment] = []
                else:
                    changed = _assign(material, values)
                    if material.section_id != section.pk:
                        # Moved to another section: same row, so progress stays.
                        material.section = section
                        changed.append("section")
                    if self._sync_file(material.video_file, planned.video_file):
                        changed.append("video_file")
                    if changed:
                        material.save(update_fields=changed)
                    self._count("material", created=False, changed=bool(changed))
                    current = list(material.attachments.all())
                self._attachments(material, planned.attachments, current)
                kept.add(material.pk)
        self._retire([row for row in existing if row.pk not in kept], "material")

    def _material_body(self, course: Course, planned: MaterialPlan) -> str:
        """The planned text with its pictures stored as the course's own (private, as
        the builder's uploads) and their real addresses in place of the placeholders.
        A picture already stored under the package file's name (an export of this
        course) or under its content's name is not stored again."""
        body = planned.body
        storage = private_storage()
        for name, image in planned.images.items():
            stored = course_image_storage_name(course_id=course.pk, name=image.entry.name)
            if stored is None or not _storage_equals(storage, stored, image.raw):
                stored = course_image_storage_name(course_id=course.pk, name=name)
                assert stored is not None
                if not storage.exists(stored):
                    saved = storage.save(stored, ContentFile(image.content))
                    self.files.written.append((storage, saved))
            body = body.replace(
                package_image_src(name),
                course_image_url(course=course, name=stored.rsplit("/", 1)[-1]),
            )
        return body

    def _attachments(
        self, material: Material, plans: list[AttachmentPlan], current: list[Attachment]
    ) -> None:
        for order, item in enumerate(plans, start=1):
            if order <= len(current):
                row = current[order - 1]
                changed = _assign(row, {"title": item.title, "order": order})
                if self._sync_file(row.file, item.entry):
                    changed.append("file")
                if changed:
                    row.save(update_fields=changed)
                self._count("attachment", created=False, changed=bool(changed))
            else:
                row = Attachment(material=material, title=item.title, order=order)
                self._sync_file(row.file, item.entry)
                row.save()
                self._count("attachment", created=True, changed=True)
        for row in current[len(plans) :]:
            self._clear(row.file)
            row.delete()
            self.report.deleted["attachment"] += 1

    def _questions(self, course: Course) -> None:
        """Each question file into the course's bank, all or nothing. The manifest
        has refused files with a failed question already; the bank checks its own
        rules once more (e.g. the same id twice in a file with different content)."""
        failed = False
        for item in self.plan.questions:
            result = questions_import(
                course=course,
                result=item.result,
                all_or_nothing=True,
                actor=self.actor,
                request=self.request,
            )
            for issue in result.issues:
                if issue.kind == "failed":
                    self.report.error(
                        item.entry.path,
                        item.where,
                        question_problem(line=issue.line, name=issue.name, reason=issue.reason),
                        issue.line,
                    )
                else:
                    self.report.notes.append(
                        _("%(file)s:%(line)s: “%(name)s” was skipped: %(reason)s")
                        % {
                            "file": item.entry.path,
                            "line": issue.line,
                            "name": issue.name,
                            "reason": issue.reason,
                        }
                    )
            if not result.committed:
                failed = True
                continue
            self.report.created["question"] += result.created
            self.report.updated["question"] += result.updated
            self.report.unchanged["question"] += result.unchanged
        if failed:
            raise _QuestionsFailed

    def _exam(self, course: Course) -> None:
        """`exam:` creates or updates the course's final exam. A package without it
        leaves the course's exam as it is (attempts point to it)."""
        plan = self.plan.exam
        if plan is None:
            return
        exam = Exam.objects.select_for_update().filter(course=course, is_final=True).first()
        if exam is None:
            exam = Exam.objects.create(course=course, is_final=True, **plan.values)
            _sync_quotas(exam, plan.quotas)
            self._count("exam", created=True, changed=True)
            return
        changed = _assign(exam, plan.values)
        if changed:
            exam.save(update_fields=[*changed, "updated_at"])
        quotas_changed = _sync_quotas(exam, plan.quotas)
        self._count("exam", created=False, changed=bool(changed) or quotas_changed)

    def _pretest(self, course: Course) -> None:
        """`pretest:` creates or updates the course's pre-test; without it, the
        course's pre-test (if any) stays as it is, as for the final exam."""
        plan = self.plan.pretest
        if plan is None:
            return
        exam = Exam.objects.select_for_update().filter(course=course, is_pretest=True).first()
        if exam is None:
            Exam.objects.create(course=course, is_final=False, is_pretest=True, **plan.values)
            self._count("pretest", created=True, changed=True)
            return
        changed = _assign(exam, plan.values)
        if changed:
            exam.save(update_fields=[*changed, "updated_at"])
        self._count("pretest", created=False, changed=bool(changed))

    def _evaluation(self, course: Course) -> None:
        """`evaluation:` sets the course's evaluation. Its template is found by key; a
        template the site does not have is created from the package. An existing one is
        left as it is: other courses use it, and their answers point to its items."""
        plan = self.plan.evaluation
        if plan is None:
            return
        template = EvaluationTemplate.objects.filter(key=plan.template_key).first()
        if template is None:
            template = EvaluationTemplate.objects.create(
                key=plan.template_key,
                name=plan.template_name,
                description=plan.template_description,
            )
            EvaluationItem.objects.bulk_create(
                EvaluationItem(template=template, position=position, **values)
                for position, values in enumerate(plan.items, start=1)
            )
        values = {
            "template": template,
            "anonymous": plan.anonymous,
            "required_for_certificate": plan.required_for_certificate,
        }
        current = CourseEvaluation.objects.filter(course=course).first()
        if current is None:
            CourseEvaluation.objects.create(course=course, **values)
            self._count("evaluation", created=True, changed=True)
            return
        changed = _assign(current, values)
        if changed:
            current.save(update_fields=changed)
        self._count("evaluation", created=False, changed=bool(changed))

    def _retire(self, rows: list[Section] | list[Material], kind: str) -> None:
        for row in rows:
            if not row.is_retired:
                row.is_retired = True
                row.save(update_fields=["is_retired"])
                self.report.retired[kind] += 1


def _pick(rows: list[Material], section: Section) -> Material | None:
    """The row for a material id: the one already in the wanted section, else a
    current one, else a retired one (which comes back)."""
    for row in rows:
        if row.section_id == section.pk:
            return row
    for row in rows:
        if not row.is_retired:
            return row
    return rows[0] if rows else None
