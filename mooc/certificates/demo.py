"""Demo certificates: the institution's default design with sample images, and one
course passed by the demo learner through the real exam engine, so "Sertifikat" has
something to download."""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from mooc.accounts.models import User
from mooc.catalog.models import Course, Enrollment, EnrollmentResult
from mooc.certificates.models import Certificate, CertificateDesign
from mooc.exams.models import Attempt, AttemptQuestion, Exam
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.submission import attempt_submit

ASSETS = Path(__file__).resolve().parent / "demo_assets"
DEMO_LEARNER = "198609262015051001"
DEMO_PASSED_COURSE = "orientasi-asn-berakhlak"


def _design() -> None:
    if CertificateDesign.objects.filter(is_default=True).exists():
        return
    design = CertificateDesign(name="Desain BPSDM", is_default=True, place="Jakarta")
    for field, file_name in (
        ("background", "background.jpg"),
        ("logo", "logo.png"),
        ("signature_image", "signature.png"),
    ):
        getattr(design, field).save(
            file_name, ContentFile((ASSETS / file_name).read_bytes()), save=False
        )
    design.save()


def attempt_answer_correctly(*, attempt: Attempt, user: User) -> None:
    """Save the full-weight options of every question (demo content and browser tests)."""
    questions = AttemptQuestion.objects.filter(attempt=attempt).select_related("snapshot")
    for question in questions:
        right = [option.position for option in question.shown_options if option.weight > 0]
        answer_save(
            attempt_id=attempt.pk,
            user=user,
            position=question.position,
            option_positions=right if question.qtype == "multiple" else right[:1],
            client_seq=1,
        )


def _passed_course() -> None:
    user = User.objects.filter(username=DEMO_LEARNER).first()
    course = Course.objects.filter(slug=DEMO_PASSED_COURSE).first()
    exam = Exam.objects.filter(course=course, is_final=True).first() if course else None
    if user is None or course is None or exam is None:
        return
    if Certificate.objects.filter(user=user, course=course).exists():
        return
    enrollment, _created = Enrollment.objects.get_or_create(
        user=user, course=course, defaults={"jp": course.jp, "unit": user.unit}
    )
    if enrollment.result == EnrollmentResult.PASSED:
        return
    with transaction.atomic():
        attempt = attempt_start(exam=exam, user=user)
        attempt_answer_correctly(attempt=attempt, user=user)
        attempt_submit(attempt_id=attempt.pk, user=user)


def load() -> None:
    _design()
    _passed_course()
