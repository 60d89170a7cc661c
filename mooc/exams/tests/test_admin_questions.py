"""Authoring questions in the admin: inline options checked by the bank's rules, the
version bumped by real changes, and instructors confined to their own courses' banks."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from mooc.accounts.tests.factories import InstructorFactory
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.models import Course
from mooc.catalog.tests.factories import CourseFactory
from mooc.exams.models import Option, Question, QuestionCategory
from mooc.exams.tests.factories import QUESTION_PERMISSIONS, make_question

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:exams_question_add")


def _form(course: Course, options: list[tuple[str, str]], **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "course": course.pk,
        "category": "",
        "key": "",
        "qtype": "single",
        "text": "<p>Ibu kota Indonesia?</p>",
        "general_feedback": "",
        "is_active": "on",
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": 0,
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for index, (text, weight) in enumerate(options):
        data[f"options-{index}-text"] = text
        data[f"options-{index}-weight"] = weight
        data[f"options-{index}-order"] = 0
        data[f"options-{index}-feedback"] = ""
    data.update(fields)
    return data


def _change_form(question: Question, **fields: Any) -> dict[str, Any]:
    options = list(question.options.all())
    data: dict[str, Any] = {
        "category": question.category_id or "",
        "key": question.key,
        "qtype": question.qtype,
        "text": question.text,
        "general_feedback": question.general_feedback,
        "is_active": "on" if question.is_active else "",
        "options-TOTAL_FORMS": len(options),
        "options-INITIAL_FORMS": len(options),
        "options-MIN_NUM_FORMS": 0,
        "options-MAX_NUM_FORMS": 1000,
    }
    for index, opt in enumerate(options):
        data[f"options-{index}-id"] = opt.pk
        data[f"options-{index}-question"] = question.pk
        data[f"options-{index}-text"] = opt.text
        data[f"options-{index}-weight"] = str(opt.weight)
        data[f"options-{index}-order"] = opt.order
        data[f"options-{index}-feedback"] = opt.feedback
    data.update(fields)
    return data


def test_a_sound_question_is_saved_with_its_options_in_order(admin_client: Client) -> None:
    course = CourseFactory.create(is_published=False)

    response = admin_client.post(
        ADD_URL, _form(course, [("Jakarta", "100"), ("Bandung", "0"), ("Medan", "0")])
    )

    assert response.status_code == 302, response.context["errors"]
    question = Question.objects.get(course=course)
    assert question.key.startswith("q-")  # derived from the text when left empty
    assert question.version == 1
    assert [(o.text, o.order) for o in question.options.all()] == [
        ("Jakarta", 1),
        ("Bandung", 2),
        ("Medan", 3),
    ]


@pytest.mark.parametrize(
    ("qtype", "options", "message"),
    [
        (
            "single",
            [("Jakarta", "100"), ("Bandung", "100")],
            "A multiple-choice question needs exactly one correct option",
        ),
        ("single", [("Jakarta", "100")], "needs at least two options"),
        (
            "multiple",
            [("Akuntabel", "50"), ("Kompeten", "40"), ("Malas", "-100")],
            "must add up to 100 percent; they add up to 90.",
        ),
        ("truefalse", [("Benar", "100"), ("Salah", "0"), ("Ragu", "0")], "exactly two options"),
    ],
)
def test_unsound_options_are_refused_next_to_the_options(
    admin_client: Client, qtype: str, options: list[tuple[str, str]], message: str
) -> None:
    course = CourseFactory.create(is_published=False)

    response = admin_client.post(ADD_URL, _form(course, options, qtype=qtype))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert any(message in error for error in formset.non_form_errors())
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_a_category_of_another_course_is_refused(admin_client: Client) -> None:
    course, other = (
        CourseFactory.create(title="Satu", is_published=False),
        CourseFactory.create(title="Dua", is_published=False),
    )
    foreign = QuestionCategory.objects.create(course=other, name="Bab 1")

    response = admin_client.post(
        ADD_URL, _form(course, [("A", "100"), ("B", "0")], category=foreign.pk)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["category"] == [
        "This category belongs to another course."
    ]


def test_a_taken_id_is_refused(admin_client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    make_question(course, "ibukota")

    response = admin_client.post(ADD_URL, _form(course, [("A", "100"), ("B", "0")], key="ibukota"))

    assert response.context["adminform"].form.errors["key"] == [
        "Another question of this course has this id."
    ]


def test_changing_an_option_bumps_the_version(admin_client: Client) -> None:
    question = make_question(CourseFactory.create(is_published=False))
    url = reverse("admin:exams_question_change", args=[question.pk])

    response = admin_client.post(url, _change_form(question, **{"options-1-text": "Lain"}))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.version == 2
    assert Option.objects.get(question=question, order=2).text == "Lain"


def test_saving_without_a_change_keeps_the_version(admin_client: Client) -> None:
    question = make_question(CourseFactory.create(is_published=False))
    url = reverse("admin:exams_question_change", args=[question.pk])

    response = admin_client.post(url, _change_form(question))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.version == 1


def test_deactivating_keeps_the_version(admin_client: Client) -> None:
    question = make_question(CourseFactory.create(is_published=False))
    url = reverse("admin:exams_question_change", args=[question.pk])

    admin_client.post(url, _change_form(question, is_active=""))

    question.refresh_from_db()
    assert (question.is_active, question.version) == (False, 1)


def test_renaming_a_category_bumps_its_questions(admin_client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    question = make_question(course, category="Bab 1")
    url = reverse("admin:exams_questioncategory_change", args=[question.category_id])

    response = admin_client.post(url, {"name": "Bab Satu"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.version == 2


def test_renaming_a_category_to_a_taken_name_is_refused(admin_client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    make_question(course, "q1", category="Bab 1")
    second = make_question(course, "q2", category="Bab 2")
    url = reverse("admin:exams_questioncategory_change", args=[second.category_id])

    response = admin_client.post(url, {"name": "Bab 1"})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "This course already has a category with this name."
    ]


def test_an_instructor_sees_only_their_courses_questions(client: Client) -> None:
    mine, theirs = (
        CourseFactory.create(title="Milik Ani", is_published=False),
        CourseFactory.create(title="Milik Budi", is_published=False),
    )
    make_question(mine, "soal-ani", category="Bab Ani")
    other = make_question(theirs, "soal-budi", category="Bab Budi")
    logged_in(
        client,
        InstructorFactory.create(username="ani", courses=[mine], permissions=QUESTION_PERMISSIONS),
    )

    listing = client.get(reverse("admin:exams_question_changelist"))
    categories = client.get(reverse("admin:exams_questioncategory_changelist"))
    foreign = client.get(reverse("admin:exams_question_change", args=[other.pk]))

    page = listing.content.decode()
    assert listing.status_code == 200
    assert "soal-ani" in page
    assert "soal-budi" not in page and "Milik Budi" not in page and "Bab Budi" not in page
    assert "Bab Ani" in categories.content.decode()
    assert "Bab Budi" not in categories.content.decode()
    assert foreign.status_code == 404


def test_an_instructor_cannot_add_a_question_to_another_course(client: Client) -> None:
    mine, theirs = (
        CourseFactory.create(title="Milik Ani", is_published=False),
        CourseFactory.create(title="Milik Budi", is_published=False),
    )
    logged_in(
        client,
        InstructorFactory.create(username="ani", courses=[mine], permissions=QUESTION_PERMISSIONS),
    )

    response = client.post(ADD_URL, _form(theirs, [("A", "100"), ("B", "0")]))

    assert response.status_code == 200
    assert "course" in response.context["adminform"].form.errors
    assert not Question.objects.exists()


def test_an_instructor_edits_their_own_questions_options(client: Client) -> None:
    course = CourseFactory.create(is_published=False)
    question = make_question(course)
    logged_in(
        client,
        InstructorFactory.create(
            username="ani", courses=[course], permissions=QUESTION_PERMISSIONS
        ),
    )
    url = reverse("admin:exams_question_change", args=[question.pk])

    response = client.post(
        url, _change_form(question, **{"options-0-weight": "0", "options-1-weight": "100"})
    )

    assert response.status_code == 302
    assert [o.weight for o in question.options.all()] == [Decimal(0), Decimal(100)]


def test_the_question_list_needs_few_queries(
    admin_client: Client, django_assert_max_num_queries: Any
) -> None:
    course = CourseFactory.create(is_published=False)
    for index in range(30):
        make_question(course, f"soal-{index}", category=f"Bab {index % 3}")

    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse("admin:exams_question_changelist"))

    assert response.status_code == 200


def test_adding_a_picture_bumps_the_version(admin_client: Client) -> None:
    question = make_question(CourseFactory.create(is_published=False))
    url = reverse("admin:exams_question_change", args=[question.pk])
    picture = SimpleUploadedFile("peta.png", _png(), content_type="image/png")

    response = admin_client.post(url, _change_form(question, image=picture))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.image.name.endswith(".jpg")  # re-encoded, never stored as uploaded
    assert question.version == 2


def test_a_question_with_a_picture_opens_and_shows_it_to_its_authors_only(
    admin_client: Client, client: Client
) -> None:
    mine, theirs = (
        CourseFactory.create(title="Milik Ani", is_published=False),
        CourseFactory.create(title="Milik Budi", is_published=False),
    )
    question = make_question(theirs)
    question.image.save("peta.png", ContentFile(_png()), save=True)
    image_url = reverse("admin:exams_question_image", args=[question.pk])

    page = admin_client.get(reverse("admin:exams_question_change", args=[question.pk]))
    picture = admin_client.get(image_url)
    stranger = logged_in(
        client,
        InstructorFactory.create(username="ani", courses=[mine], permissions=QUESTION_PERMISSIONS),
    ).get(image_url)

    assert page.status_code == 200
    assert f'href="{image_url}"' in page.content.decode()
    assert picture.status_code == 200
    assert b"".join(picture.streaming_content) == _png()  # type: ignore[attr-defined]
    assert stranger.status_code == 404


def _png() -> bytes:
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(png, "PNG")
    return png.getvalue()
