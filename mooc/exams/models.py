from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mooc.catalog.models import Course
from mooc.core.files import private_storage
from mooc.core.sanitize import RichTextField


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Multiple choice (one answer)")
    MULTIPLE = "multiple", _("Multiple response")
    TRUE_FALSE = "truefalse", _("True/false")


class QuestionCategory(models.Model):
    """A category of a course's bank (GIFT's $CATEGORY:), named by its full path."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="question_categories")
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["course", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "name"], name="exams_category_unique_per_course"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """A question in a course's bank. `key` is its stable id (the GIFT title when
    there is one), so importing the same file again updates instead of duplicating."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="questions"
    )
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    key = models.CharField(_("question id"), max_length=255)
    qtype = models.CharField(_("type"), max_length=10, choices=QuestionType.choices)
    text = RichTextField(_("question"))
    # Private: a question's picture must not be reachable before the exam.
    image = models.ImageField(
        _("image"), upload_to="questions/", blank=True, storage=private_storage
    )
    general_feedback = RichTextField(_("general feedback"), blank=True)
    # Bumped whenever the text, options or key change; attempts copy what they show.
    version = models.PositiveIntegerField(_("version"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["course", "category__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "key"], name="exams_question_key_unique_per_course"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = RichTextField(_("answer"))
    # Percent of the question's points: 100 for the answer of a single-answer
    # question; shares adding up to 100 for multiple response; negatives allowed.
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=8,
        decimal_places=5,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(100))],
    )
    feedback = RichTextField(_("feedback"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=-100, weight__lte=100),
                name="exams_option_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.text)[:60]

    @property
    def is_correct(self) -> bool:
        return self.weight > 0
