from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.content.tests.factories import FAQCategoryFactory, FAQFactory

pytestmark = pytest.mark.django_db


def test_it_groups_questions_under_their_category_in_order(client: Client) -> None:
    account = FAQCategoryFactory.create(name="Akun & Login", order=1)
    exams = FAQCategoryFactory.create(name="Ujian & Sertifikat", order=2)
    FAQFactory.create(category=exams, question="Kapan sertifikat dapat diunduh?")
    FAQFactory.create(category=account, question="Bagaimana cara mendaftar?")

    response = client.get(reverse("content:faq"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert html.index("Akun &amp; Login") < html.index("Bagaimana cara mendaftar?")
    assert html.index("Bagaimana cara mendaftar?") < html.index("Ujian &amp; Sertifikat")
    assert html.index("Ujian &amp; Sertifikat") < html.index("Kapan sertifikat dapat diunduh?")


def test_each_question_is_a_details_element_that_works_without_javascript(client: Client) -> None:
    FAQFactory.create(question="Apa itu JP?", answer="<p>Jam pelajaran, 45 menit.</p>")

    html = client.get(reverse("content:faq")).content.decode()

    assert "<summary>Apa itu JP?</summary>" in html
    assert '<div class="rich-text"><p>Jam pelajaran, 45 menit.</p></div>' in html


def test_unpublished_questions_are_hidden(client: Client) -> None:
    FAQFactory.create(question="Pertanyaan draf?", is_published=False)

    html = client.get(reverse("content:faq")).content.decode()

    assert "Pertanyaan draf?" not in html


def test_the_search_field_has_a_label(client: Client) -> None:
    html = client.get(reverse("content:faq")).content.decode()

    assert '<label for="faq-q"' in html
    assert 'id="faq-q" name="q"' in html
    assert '<button type="submit"' in html
