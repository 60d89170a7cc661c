"""Words are data: each institution calls the same things by different names.

The `kemenkum` profile follows the Kemenkum manual ("Kursus", "Ambil Kursus
Ini", "Quiz"); `kemenimipas` follows the Kemenimipas manual ("Pelatihan",
"Daftar", "Ujian Akhir"). Source strings are English; the message context
(pgettext) keeps the two institutions' Indonesian apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VocabularyProfile(models.TextChoices):
    KEMENKUM = "kemenkum", _("Kemenkum (Kursus, Ambil Kursus Ini, Quiz)")
    KEMENIMIPAS = "kemenimipas", _("Kemenimipas (Pelatihan, Daftar, Ujian Akhir)")


@dataclass(frozen=True)
class Vocabulary:
    key: str
    course: Promise  # the noun on buttons and headings
    courses: Promise
    enroll: Promise  # the button that enrolls
    my_courses: Promise  # the page of courses taken
    final_test: Promise  # the certificate-deciding test
    start_final_test: Promise
    pretest: Promise  # the test taken before the materials
    evaluation: Promise  # the questionnaire after passing


VOCABULARIES: dict[str, Vocabulary] = {
    VocabularyProfile.KEMENKUM: Vocabulary(
        key=VocabularyProfile.KEMENKUM,
        course=pgettext_lazy("kemenkum", "Course"),
        courses=pgettext_lazy("kemenkum", "Courses"),
        enroll=pgettext_lazy("kemenkum", "Take This Course"),
        my_courses=pgettext_lazy("kemenkum", "My Courses"),
        final_test=pgettext_lazy("kemenkum", "Quiz"),
        start_final_test=pgettext_lazy("kemenkum", "Start Quiz"),
        pretest=pgettext_lazy("kemenkum", "Pre-test"),
        evaluation=pgettext_lazy("kemenkum", "Course Evaluation"),
    ),
    VocabularyProfile.KEMENIMIPAS: Vocabulary(
        key=VocabularyProfile.KEMENIMIPAS,
        course=pgettext_lazy("kemenimipas", "Course"),
        courses=pgettext_lazy("kemenimipas", "Courses"),
        enroll=pgettext_lazy("kemenimipas", "Enroll"),
        my_courses=pgettext_lazy("kemenimipas", "My Courses"),
        final_test=pgettext_lazy("kemenimipas", "Final Exam"),
        start_final_test=pgettext_lazy("kemenimipas", "Start Exam"),
        pretest=pgettext_lazy("kemenimipas", "Pre-test"),
        evaluation=pgettext_lazy("kemenimipas", "Training Evaluation"),
    ),
}


def vocabulary_for(profile: str) -> Vocabulary:
    return VOCABULARIES.get(profile, VOCABULARIES[VocabularyProfile.KEMENKUM])
