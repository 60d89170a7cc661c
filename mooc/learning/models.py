from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mooc.catalog.models import Course
from mooc.core.files import private_storage
from mooc.core.sanitize import RichTextField


class SectionQuerySet(models.QuerySet["Section"]):
    def current(self) -> SectionQuerySet:
        return self.filter(is_retired=False)


class Section(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    # The id in the course package: re-imports update this row instead of adding one.
    key = models.SlugField(
        _("code in the course package"),
        max_length=100,
        blank=True,
        help_text=_(
            "Filled in by a course package import, which finds this row again by it. "
            "Leave it as it is."
        ),
    )
    # Removed from a re-imported package: hidden, but kept for the progress that points to it.
    is_retired = models.BooleanField(_("retired"), default=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["course_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "key"],
                condition=~models.Q(key=""),
                name="learning_section_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MaterialQuerySet(models.QuerySet["Material"]):
    def current(self) -> MaterialQuerySet:
        return self.filter(is_retired=False, section__is_retired=False)


class Material(models.Model):
    """One step of a course: reading text, a video, or both (seed 000 pairs them)."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(_("text"), blank=True, editor="course")
    video_file = models.FileField(
        _("video file"), upload_to="videos/", blank=True, storage=private_storage
    )
    video_url = models.URLField(_("video URL"), blank=True, help_text=_("YouTube or Vimeo link."))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    key = models.SlugField(
        _("code in the course package"),
        max_length=100,
        blank=True,
        help_text=_(
            "Filled in by a course package import, which finds this row again by it. "
            "Leave it as it is."
        ),
    )
    is_retired = models.BooleanField(_("retired"), default=False)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "key"],
                condition=~models.Q(key=""),
                name="learning_material_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_video(self) -> bool:
        return bool(self.video_file) or bool(self.video_url)


class Attachment(models.Model):
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="attachments/", storage=private_storage)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["material_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class MaterialProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="material_progress"
    )
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="progress")
    # Denormalised so "how far is this learner in this course" is one indexed count.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material progress")
        verbose_name_plural = _("material progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "material"], name="learning_one_progress_per_material"
            ),
        ]
        indexes = [models.Index(fields=["user", "course"])]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.material}"
