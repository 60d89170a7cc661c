from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from mooc.core.context_processors import site
from mooc.core.selectors import site_settings_get
from mooc.core.vocabulary import VocabularyProfile

pytestmark = pytest.mark.django_db


def words() -> dict[str, str]:
    vocab = site(RequestFactory().get("/"))["vocab"]
    with translation.override("id"):
        return {
            "course": str(vocab.course),
            "enroll": str(vocab.enroll),
            "final_test": str(vocab.final_test),
            "start_final_test": str(vocab.start_final_test),
        }


def test_kemenkum_words_follow_its_manual() -> None:
    assert words() == {
        "course": "Kursus",
        "enroll": "Ambil Kursus Ini",
        "final_test": "Quiz",
        "start_final_test": "Mulai Quiz",
    }


def test_switching_the_profile_changes_the_words_without_a_restart() -> None:
    words()  # warm the cache the way a running site would
    row = site_settings_get()
    row.vocabulary_profile = VocabularyProfile.KEMENIMIPAS
    row.save()
    assert words() == {
        "course": "Pelatihan",
        "enroll": "Daftar",
        "final_test": "Ujian Akhir",
        "start_final_test": "Mulai Ujian",
    }


def test_english_uses_the_source_words() -> None:
    vocab = site(RequestFactory().get("/"))["vocab"]
    with translation.override("en"):
        assert str(vocab.enroll) == "Take This Course"
        assert str(vocab.start_final_test) == "Start Quiz"
