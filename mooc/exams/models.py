from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mooc.catalog.models import Course
from mooc.core.files import private_storage
from mooc.core.sanitize import RichTextField


def new_save_key() -> str:
    """A fresh `Attempt.save_key`: replacing it ends the attempt's save tokens."""
    return secrets.token_hex(16)


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
        ordering = ["course_id", "name"]
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
        ordering = ["course_id", "category__name", "id"]
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
        ordering = ["question_id", "order", "id"]
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


# --- Exams and attempts ---------------------------------------------------------------------
#
# An attempt shows immutable snapshots of the bank's questions (text, options, weights),
# shared by every attempt that drew the same version, so bank edits and re-imports never
# change what a learner saw or how it was scored. The weights are read by grading and
# review, never by pages shown before the attempt is graded.


class ReviewMode(models.TextChoices):
    NOTHING = "nothing", _("Nothing")
    SCORE = "score", _("Score only")
    CORRECT_AFTER_PASS = "correct_after_pass", _("Correct answers after passing")
    ALWAYS = "always", _("Correct answers always")


def review_shows_score(mode: str) -> bool:
    """ "Nothing" shows the learner only passed or failed; every other mode the score too."""
    return mode != ReviewMode.NOTHING


def review_shows_answers(mode: str, *, passed: bool) -> bool:
    """The questions (right or wrong, the choices, the key) are listed only where the
    mode shows the answers: right/wrong per question, with attempts left, gives the key
    away as surely as the key itself."""
    return mode == ReviewMode.ALWAYS or (mode == ReviewMode.CORRECT_AFTER_PASS and passed)


class Exam(models.Model):
    """A timed test over a course's bank: the certificate-deciding final exam
    (`is_final`, at most one per course), the pre-test (`is_pretest`, at most one per
    course: one attempt, taken before the materials, never deciding anything; the
    reports compare it with the final exam) or a practice quiz of a section."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="exams"
    )
    is_final = models.BooleanField(
        _("final exam"),
        default=False,
        help_text=_("The test that decides whether the learner passes the course."),
    )
    is_pretest = models.BooleanField(
        _("pre-test"),
        default=False,
        help_text=_(
            "Taken once, before the materials, to measure what the learner knew; "
            "it never decides the course. The reports compare it with the final exam."
        ),
    )
    section = models.ForeignKey(
        "learning.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exams",
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Shown to learners; empty: the institution's word (Quiz, Ujian Akhir)."),
    )
    question_count = models.PositiveSmallIntegerField(
        _("number of questions"),
        default=20,
        validators=[MinValueValidator(1)],
        help_text=_("Drawn at random from the bank for each attempt."),
    )
    categories = models.ManyToManyField(
        QuestionCategory,
        verbose_name=_("draw from categories"),
        blank=True,
        related_name="exams",
        help_text=_("Empty: the whole bank of the course."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), default=60, validators=[MinValueValidator(1)]
    )
    passing_grade = models.DecimalField(
        _("passing grade"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(70),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: unlimited."),
    )
    wait_minutes_between_attempts = models.PositiveIntegerField(
        _("wait between attempts (minutes)"), default=0
    )
    require_materials_completed = models.BooleanField(
        _("all materials must be completed first"), default=False
    )
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    allow_retake_after_pass = models.BooleanField(_("allow retaking after passing"), default=False)
    review_mode = models.CharField(
        _("review shows"),
        max_length=20,
        choices=ReviewMode.choices,
        default=ReviewMode.SCORE,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["course_id", "-is_final", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=models.Q(is_final=True),
                name="exams_one_final_exam_per_course",
            ),
            models.UniqueConstraint(
                fields=["course"],
                condition=models.Q(is_pretest=True),
                name="exams_one_pretest_per_course",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_final=True, is_pretest=True),
                name="exams_pretest_is_not_final",
            ),
            models.CheckConstraint(
                condition=models.Q(passing_grade__gte=0, passing_grade__lte=100),
                name="exams_exam_passing_grade_range",
            ),
            models.CheckConstraint(
                condition=models.Q(question_count__gte=1, time_limit_minutes__gte=1),
                name="exams_exam_positive_count_and_time",
            ),
        ]

    def __str__(self) -> str:
        if self.title:
            return self.title
        return str(_("Final exam") if self.is_final else _("Quiz"))

    @property
    def shows_score(self) -> bool:
        return review_shows_score(self.review_mode)


class ExamCategoryQuota(models.Model):
    """How many questions each attempt draws from one category of the bank. An exam
    with quotas draws exactly these (their sum is its `question_count`); without any
    it draws `question_count` from the whole pool."""

    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.CASCADE, related_name="quotas"
    )
    # PROTECT: deleting a category must not silently change what an exam draws.
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="quotas",
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("category quota")
        verbose_name_plural = _("category quotas")
        ordering = ["exam_id", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "category"], name="exams_quota_one_per_category"
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="exams_quota_positive_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.count}"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    GRADED = "graded", _("Graded")


class Attempt(models.Model):
    """One try of one learner. `deadline` is the server's clock: pages compute the
    remaining time from it, saves after it are refused, and it is only ever moved
    by an audited extension."""

    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.PROTECT, related_name="attempts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="exam_attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=AttemptState.choices,
        default=AttemptState.IN_PROGRESS,
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    extra_minutes = models.PositiveIntegerField(_("extra minutes granted"), default=0)
    # Part of every save token of this attempt; replaced on logout
    # (mooc/exams/services/save_tokens.py).
    save_key = models.CharField(max_length=32, default=new_save_key, editable=False)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        # Key columns, not relations, here and in the other orderings: ordering by a
        # relation brings in its model's ordering, with joins, on every query (it
        # cost a question page 0.5 ms per query to compile, and the joins).
        ordering = ["exam_id", "user_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "user", "number"], name="exams_attempt_number_unique"
            ),
            # Two tabs or devices pressing "start" at once end up in the same attempt:
            # the loser of the race hits this and resumes the winner's.
            models.UniqueConstraint(
                fields=["exam", "user"],
                condition=models.Q(state="in_progress"),
                name="exams_one_attempt_in_progress",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                name="exams_attempt_score_range",
            ),
        ]
        indexes = [
            # The periodic job looks for running attempts past their deadline; only
            # running ones are indexed, so the index stays small however long the history.
            models.Index(
                fields=["deadline"],
                condition=models.Q(state="in_progress"),
                name="exams_attempt_running_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam} #{self.number} ({self.user_id})"


class QuestionSnapshot(models.Model):
    """One version of a bank question exactly as attempts show and grade it: text,
    picture, type and options with their weights and feedback, frozen.

    Made the first time an attempt draws that version of the question
    (`services.snapshots`), then shared by every attempt that draws it; nothing ever
    updates or deletes one while an attempt points at it (PROTECT). Editing the bank
    bumps `Question.version`, so the next start makes a new snapshot and the attempts
    already started keep theirs. `digest` (a SHA-256 of the content) makes two starts
    that snapshot the same version at once end up with one row.
    """

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="snapshots"
    )
    question_version = models.PositiveIntegerField(_("question version"))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    qtype = models.CharField(_("type"), max_length=10, choices=QuestionType.choices)
    text = models.TextField(_("question"))
    image = models.ImageField(
        _("image"), upload_to="questions/", blank=True, storage=private_storage
    )
    general_feedback = models.TextField(_("general feedback"), blank=True)
    # [{"text": ..., "weight": "100.00000", "feedback": ...}, ...] in the bank's order;
    # weights as strings, read back as Decimal (`AttemptQuestion.shown_options`).
    options = models.JSONField(_("options"), default=list)
    option_count = models.PositiveSmallIntegerField(_("number of options"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question snapshot")
        verbose_name_plural = _("question snapshots")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["question", "question_version"], name="exams_snapshot_q_version"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.question_version}"


@dataclass(frozen=True, slots=True)
class ShownOption:
    """An option as one attempt shows it: `position` is its place on the page."""

    position: int
    text: str
    weight: Decimal
    feedback: str

    @property
    def is_correct(self) -> bool:
        return self.weight > 0


class AttemptQuestion(models.Model):
    """A question of one attempt: which snapshot it shows, where, and the options' order.

    The texts and the key live in the shared `QuestionSnapshot`; the attempt keeps only
    its draw (the snapshot), its place and its options' display order. `qtype` and
    `option_count` are the snapshot's, kept here too so that a save checks the chosen
    positions in its one statement without reading the snapshot.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("display order"))
    snapshot = models.ForeignKey(
        QuestionSnapshot, on_delete=models.PROTECT, related_name="attempt_questions"
    )
    # option_order[p] is the index in `snapshot.options` of the option shown at position p.
    option_order = models.JSONField(_("option order"), default=list)
    # For reference and statistics only: grading and review read the snapshot.
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question_version = models.PositiveIntegerField(_("question version"), default=1)
    qtype = models.CharField(_("type"), max_length=10, choices=QuestionType.choices)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, default=Decimal(1)
    )
    # Lets a save validate the chosen positions without reading the options.
    option_count = models.PositiveSmallIntegerField(_("number of options"))

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ["attempt_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="exams_attemptquestion_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"

    # The snapshot's content as this attempt shows it (load with select_related("snapshot")).

    @property
    def text(self) -> str:
        return self.snapshot.text

    @property
    def image(self) -> models.fields.files.FieldFile:
        image: models.fields.files.FieldFile = self.snapshot.image
        return image

    @property
    def general_feedback(self) -> str:
        return self.snapshot.general_feedback

    @property
    def shown_options(self) -> list[ShownOption]:
        """The options in display order, with weights and feedback (the answer key)."""
        options = self.snapshot.options
        return [
            ShownOption(
                position=position,
                text=options[index]["text"],
                weight=Decimal(options[index]["weight"]),
                feedback=options[index]["feedback"],
            )
            for position, index in enumerate(self.option_order)
        ]

    @property
    def weights(self) -> list[Decimal]:
        return [option.weight for option in self.shown_options]


class AttemptAnswer(models.Model):
    """The learner's current choice for one question of an attempt.

    One row per question, overwritten in place (a single upsert per save). The chosen
    options are kept as their display positions in a small JSON list, so a save never
    touches the option rows. `client_seq` orders the saves of one browser: a save with
    a lower or equal number than the stored one (a stale tab, a retried request) is
    ignored.
    """

    attempt_question = models.OneToOneField(
        AttemptQuestion, on_delete=models.CASCADE, related_name="answer"
    )
    option_positions = models.JSONField(_("chosen options"), default=list)
    client_seq = models.BigIntegerField(_("client sequence"), default=0)
    saved_at = models.DateTimeField(_("saved at"))

    class Meta:
        verbose_name = _("attempt answer")
        verbose_name_plural = _("attempt answers")

    def __str__(self) -> str:
        return f"{self.attempt_question_id}: {self.option_positions}"
