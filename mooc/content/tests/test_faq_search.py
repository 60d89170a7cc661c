from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.content.tests.factories import FAQFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def faqs() -> None:
    FAQFactory.create(
        question="Bagaimana cara mengatur ulang password?", answer="<p>Klik tautan.</p>"
    )
    FAQFactory.create(question="Kapan sertifikat terbit?", answer="<p>Setelah status Lulus.</p>")
    FAQFactory.create(question="Berapa JP per tahun?", answer="<p>Paling sedikit 20 JP.</p>")


@pytest.mark.usefixtures("faqs")
def test_it_finds_a_question_by_its_text_ignoring_case(client: Client) -> None:
    response = client.get(reverse("content:faq"), {"q": "PASSWORD"})

    html = response.content.decode()
    assert "Bagaimana cara mengatur ulang password?" in html
    assert "Kapan sertifikat terbit?" not in html
    assert "Berapa JP per tahun?" not in html
    assert response.context["total"] == 1


@pytest.mark.usefixtures("faqs")
def test_it_finds_a_question_by_its_answer_text(client: Client) -> None:
    response = client.get(reverse("content:faq"), {"q": "status lulus"})

    html = response.content.decode()
    assert "Kapan sertifikat terbit?" in html
    assert "Berapa JP per tahun?" not in html


@pytest.mark.usefixtures("faqs")
def test_it_shows_how_many_questions_were_found(client: Client) -> None:
    response = client.get(reverse("content:faq"), {"q": "JP"})

    assert "Pertanyaan ditemukan: 1" in response.content.decode()


@pytest.mark.usefixtures("faqs")
def test_it_keeps_the_search_term_in_the_field(client: Client) -> None:
    html = client.get(reverse("content:faq"), {"q": "sertifikat"}).content.decode()

    assert 'name="q" value="sertifikat"' in html


@pytest.mark.usefixtures("faqs")
def test_it_says_so_when_nothing_matches(client: Client) -> None:
    response = client.get(reverse("content:faq"), {"q": "cuti tahunan"})

    html = response.content.decode()
    assert "Tidak ada pertanyaan yang cocok dengan pencarian Anda." in html
    assert "<details" not in html
