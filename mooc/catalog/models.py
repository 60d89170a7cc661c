from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.core.sanitize import RichTextField


class Category(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Instructor(models.Model):
    """An instructor's public profile, shown on course pages. `user` links the
    account that may edit the courses taught (the Instruktur role)."""

    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(
        _("position or expertise"),
        max_length=200,
        blank=True,
        help_text=_("Position or expertise, e.g. Widyaiswara Ahli Madya."),
    )
    photo = models.ImageField(_("photo"), upload_to="instructors/", blank=True)
    bio = models.TextField(_("biography"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="instructor_profile",
    )
    # Stable id from a course package, so re-imports update instead of duplicating.
    key = models.SlugField(
        _("code in the course package"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "Filled in by a course package import, which finds this row again by it. "
            "Leave it as it is."
        ),
    )

    class Meta:
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    BASIC = "dasar", _("Basic")
    INTERMEDIATE = "menengah", _("Intermediate")
    ADVANCED = "lanjut", _("Advanced")


class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(is_published=True)


class Course(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    description = RichTextField(_("description"), blank=True, editor="public")
    requirements = RichTextField(_("requirements"), blank=True, editor="public")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="courses"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.BASIC)
    jp = models.PositiveSmallIntegerField(
        _("lesson hours (JP)"), help_text=_("1 JP = 45 minutes; stated on the certificate.")
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        help_text=_("Study time, for exports in clock hours; empty: JP × minutes per JP."),
    )
    duration_days = models.PositiveSmallIntegerField(
        _("duration (days)"),
        null=True,
        blank=True,
        help_text=_("How long learners have to finish it."),
    )
    preview_video_url = models.URLField(_("preview video URL"), blank=True)
    cover_image = models.ImageField(_("cover image"), upload_to="covers/", blank=True)
    gives_certificate = models.BooleanField(_("gives a certificate"), default=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    starts_at = models.DateTimeField(_("runs from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("runs until"), null=True, blank=True)
    enroll_opens_at = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enroll_closes_at = models.DateTimeField(_("enrolment closes"), null=True, blank=True)
    internal_only = models.BooleanField(
        _("internal employees only"),
        default=False,
        help_text=_("Only learners registered with a NIP may enrol."),
    )
    # In the course's own order (lead instructor first): see CourseInstructor and
    # `Course.ordered_instructors`; a plain `course.instructors.all()` is alphabetical.
    instructors: models.ManyToManyField[Instructor, CourseInstructor] = models.ManyToManyField(
        Instructor,
        verbose_name=_("instructors"),
        blank=True,
        related_name="courses",
        through="CourseInstructor",
    )
    # Accounts (Instruktur role) that may edit this course and see its learners.
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("course staff"),
        blank=True,
        related_name="staffed_courses",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="catalog_course_runs_forward",
            ),
            models.CheckConstraint(
                condition=models.Q(enroll_closes_at__isnull=True)
                | models.Q(enroll_opens_at__isnull=True)
                | models.Q(enroll_closes_at__gt=models.F("enroll_opens_at")),
                name="catalog_course_enrolment_window_forward",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:course_detail", args=[self.slug])

    def ordered_instructors(self) -> list[Instructor]:
        """The instructors in the course's order (lead instructor first). Prefetch
        `instructors_prefetch()` to read them for many courses in one query."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "instructor_links" in cache:
            return [link.instructor for link in cache["instructor_links"]]
        return list(self.instructors.order_by("course_links__position", "course_links__id"))

    def is_ongoing(self, now: dt.datetime | None = None) -> bool:
        """ "Sedang berlangsung": between its run dates (open-ended when unset)."""
        now = now or timezone.now()
        return (self.starts_at is None or self.starts_at <= now) and (
            self.ends_at is None or now < self.ends_at
        )

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        return self.ends_at is not None and (now or timezone.now()) >= self.ends_at

    def enrolment_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (self.enroll_opens_at is None or self.enroll_opens_at <= now) and (
            self.enroll_closes_at is None or now < self.enroll_closes_at
        )


def instructors_prefetch() -> models.Prefetch[str, QuerySet[CourseInstructor]]:
    """For `prefetch_related`: the instructor links, in order, with their instructors."""
    return models.Prefetch(
        "instructor_links", queryset=CourseInstructor.objects.select_related("instructor")
    )


class CourseInstructor(models.Model):
    """An instructor of a course, at a position: the lead instructor first, as a course
    package's manifest lists them or as the admin arranges them."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="instructor_links"
    )
    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        on_delete=models.CASCADE,
        related_name="course_links",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("course instructor")
        verbose_name_plural = _("course instructors")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "instructor"], name="catalog_courseinstructor_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.instructor)


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")


class EnrollmentResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Enrollment(models.Model):
    """A learner in a course. The course's JP and the learner's unit are copied
    when enrolling, so reports and the JP ledger keep what was true then."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    result = models.CharField(
        _("result"), max_length=10, choices=EnrollmentResult.choices, blank=True
    )
    final_score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    jp = models.PositiveSmallIntegerField(_("JP at enrolment"))
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit at enrolment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="catalog_one_enrollment_per_course"
            ),
            models.CheckConstraint(
                condition=models.Q(final_score__isnull=True)
                | models.Q(final_score__gte=0, final_score__lte=100),
                name="catalog_enrollment_score_0_100",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status"]),
            models.Index(fields=["user", "status"]),
            models.Index(fields=["completed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"

    @property
    def is_passed(self) -> bool:
        return self.result == EnrollmentResult.PASSED


class Favorite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("favorite")
        verbose_name_plural = _("favorites")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="catalog_one_favorite_per_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.course}"
