from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
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


def test_switching_the_profile_in_the_admin_changes_the_home_page(client: Client) -> None:
    from mooc.accounts.models import User

    admin = User.objects.create_superuser(username="admin", password="x", email="a@example.org")
    assert "Belum ada kursus yang dibuka" in client.get("/").content.decode()
    row = site_settings_get()
    client.force_login(admin)

    response = client.post(
        f"/admin/core/sitesettings/{row.pk}/change/",
        {
            "name": row.name,
            "short_name": row.short_name,
            "primary_colour": row.primary_colour,
            "vocabulary_profile": "kemenimipas",
        },
    )

    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Belum ada pelatihan yang dibuka" in page
    assert "Belum ada kursus" not in page
