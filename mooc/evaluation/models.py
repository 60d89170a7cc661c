"""Evaluation questionnaires: reusable templates of items, a course's settings, and one
response per learner and course (a draft until it is sent, final after)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mooc.catalog.models import Course, Instructor

SCALE_MIN = 1
SCALE_MAX = 5
# Free text is capped: a questionnaire answer, not a document.
TEXT_MAX_LENGTH = 2000


class ItemKind(models.TextChoices):
    SCALE = "scale", _("Scale 1–5")
    TEXT = "text", _("Free text")


class EvaluationTemplate(models.Model):
    """A reusable questionnaire; courses use it as it is at answering time."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown to the learner above the items.")
    )
    # Stable id: the shipped default and course packages find a template by it.
    key = models.SlugField(_("key"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation template")
        verbose_name_plural = _("evaluation templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EvaluationItem(models.Model):
    """One question of a template. Items of a group are shown together; an item
    `per_instructor` is asked once for each instructor of the course."""

    template = models.ForeignKey(
        EvaluationTemplate,
        verbose_name=_("template"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    group = models.CharField(
        _("group"), max_length=100, help_text=_("E.g. Materi, Instruktur, Penyelenggaraan.")
    )
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    low_label = models.CharField(
        _("label of 1"), max_length=60, blank=True, help_text=_("E.g. Sangat kurang.")
    )
    high_label = models.CharField(
        _("label of 5"), max_length=60, blank=True, help_text=_("E.g. Sangat baik.")
    )
    required = models.BooleanField(_("required"), default=True)
    per_instructor = models.BooleanField(
        _("asked for each instructor"),
        default=False,
        help_text=_("Each instructor of the course is rated on this item."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["template_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class CourseEvaluation(models.Model):
    """A course's evaluation: which template, anonymous or named, and whether the
    certificate waits for it."""

    course = models.OneToOneField(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="evaluation"
    )
    # PROTECT: a template in use must not vanish under its answers.
    template = models.ForeignKey(
        EvaluationTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="course_evaluations",
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Reports show no names, and with fewer than 5 responses only the counts."),
    )
    required_for_certificate = models.BooleanField(
        _("required before the certificate"),
        default=True,
        help_text=_("The certificate downloads once the learner has sent the evaluation."),
    )

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")

    def __str__(self) -> str:
        return f"{self.course}: {self.template}"


class EvaluationResponse(models.Model):
    """One learner's answers for one course: a draft until `submitted_at`, final after."""

    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
    )
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        ordering = ["course_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "user"], name="evaluation_one_response_per_learner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} / {self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.submitted_at is not None


class EvaluationAnswer(models.Model):
    response = models.ForeignKey(
        EvaluationResponse,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    item = models.ForeignKey(
        EvaluationItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers"
    )
    # Set for an item asked per instructor.
    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_answers",
    )
    value = models.PositiveSmallIntegerField(
        _("value"),
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    text = models.TextField(_("text"), blank=True, max_length=TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response_id", "item_id", "instructor_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True)
                | models.Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="evaluation_answer_value_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value or self.text[:30]}"
