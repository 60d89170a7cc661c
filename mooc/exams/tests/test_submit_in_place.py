"""The question page carries the submit page's confirmation (exam.js shows it in place,
so nobody loads a page to submit at the end of an exam): the same question, the same
sentence for every possible count of unanswered questions, and a form that posts to the
submit URL. Without JavaScript the links still open the submit page."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.exams.models import Attempt
from mooc.exams.services.attempts import attempt_start
from mooc.exams.tests.factories import ExamFactory, make_bank

pytestmark = pytest.mark.django_db


def _question_page(client: Client) -> tuple[str, Attempt]:
    course = CourseFactory.create()
    make_bank(course, size=3)
    exam = ExamFactory.create(course=course, question_count=3)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user)
    client.force_login(user)
    return client.get(reverse("exams:question", args=[attempt.pk, 1])).content.decode(), attempt


def _sentences(page: str) -> list[str]:
    found = re.search(r'data-unanswered="([^"]*)"', page)
    assert found is not None
    sentences: list[str] = json.loads(html.unescape(found.group(1)))
    return sentences


def test_the_question_page_carries_the_submit_confirmation(client: Client) -> None:
    page, attempt = _question_page(client)

    view = re.search(r'<section id="exam-submit-view".*?</section>', page, re.S)
    assert view is not None and " hidden " in view.group(0)
    assert _sentences(view.group(0)) == [
        "Semua soal sudah dijawab.",
        "1 dari 3 soal belum dijawab.",
        "2 dari 3 soal belum dijawab.",
        "3 dari 3 soal belum dijawab.",
    ]
    submit_url = reverse("exams:submit", args=[attempt.pk])
    assert "Kirim jawaban Anda?" in view.group(0)
    assert f'<form method="post" action="{submit_url}"' in view.group(0)
    assert 'name="csrfmiddlewaretoken"' in view.group(0)
    # Without JavaScript the link opens the submit page, which still answers.
    assert f'href="{submit_url}" data-submit-open' in page
    assert client.get(submit_url).status_code == 200


def test_the_sentences_follow_the_language(client: Client) -> None:
    _question_page(client)  # Indonesian first: the sentences are kept per language
    client.cookies["django_language"] = "en"

    page, _attempt = _question_page(client)

    assert _sentences(page)[:2] == [
        "Every question is answered.",
        "1 of 3 questions is not answered yet.",
    ]
