from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.content.tests.factories import FAQFactory, NewsFactory, VideoTutorialFactory

pytestmark = pytest.mark.django_db

MODELS = ["news", "faqcategory", "faq", "videotutorial"]


@pytest.fixture
def rows() -> None:
    NewsFactory.create()
    FAQFactory.create()
    VideoTutorialFactory.create()


@pytest.mark.usefixtures("rows")
@pytest.mark.parametrize("model", MODELS)
def test_the_changelist_loads_for_a_superuser(admin_client: Client, model: str) -> None:
    response = admin_client.get(reverse(f"admin:content_{model}_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("model", MODELS)
def test_the_add_page_loads_for_a_superuser(admin_client: Client, model: str) -> None:
    response = admin_client.get(reverse(f"admin:content_{model}_add"))

    assert response.status_code == 200


def test_the_faq_category_page_edits_its_questions_inline(admin_client: Client) -> None:
    faq = FAQFactory.create(question="Pertanyaan di dalam kategori?")

    response = admin_client.get(reverse("admin:content_faqcategory_change", args=[faq.category.pk]))

    assert response.status_code == 200
    assert "Pertanyaan di dalam kategori?" in response.content.decode()


def test_the_changelist_is_closed_to_visitors(client: Client) -> None:
    response = client.get(reverse("admin:content_news_changelist"))

    assert response.status_code == 302
