"""Another learner's object is a 404 on every object endpoint, exactly like a missing one."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory

from mooc.accounts.tests.factories import UserFactory
from mooc.api.files import signed_file_url
from mooc.api.tests.support import Api
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.certificates.models import Certificate
from mooc.certificates.tests.support import course_with_exam, pass_course
from mooc.core.files import private_storage
from mooc.exams.models import Attempt
from mooc.exams.services.attempts import attempt_start
from mooc.learning.tests.factories import AttachmentFactory, MaterialFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_another_learners_attempt_answers_404_everywhere() -> None:
    course, exam = course_with_exam()
    owner, stranger = UserFactory.create(), UserFactory.create()
    for user in (owner, stranger):
        EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=owner)
    api = Api(stranger)
    save = {"position": 1, "options": [0], "client_seq": 1}
    for response in (
        api.get(f"/attempts/{attempt.pk}/"),
        api.post(f"/attempts/{attempt.pk}/answers/", save),
        api.post(f"/attempts/{attempt.pk}/submit/"),
        api.get(f"/attempts/{attempt.pk}/result/"),
        api.get(f"/attempts/{attempt.pk + 1000}/"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    attempt.refresh_from_db()
    assert attempt.state == "in_progress"
    assert not attempt.questions.filter(answer__isnull=False).exists()


def test_another_learners_certificate_answers_404() -> None:
    course, exam = course_with_exam()
    owner, stranger = UserFactory.create(), UserFactory.create()
    pass_course(owner, course, exam)
    certificate = Certificate.objects.get(user=owner)
    api = Api(stranger)
    assert api.get("/me/certificates/").json() == []
    assert api.get(f"/me/certificates/{certificate.pk}/").status_code == 404
    assert api.get(f"/me/certificates/{certificate.pk}/pdf/").status_code == 404


def test_materials_of_a_course_not_enrolled_or_of_another_course() -> None:
    enrolled_course, other_course = CourseFactory.create(), CourseFactory.create()
    mine = MaterialFactory.create(section=SectionFactory.create(course=enrolled_course))
    theirs = MaterialFactory.create(section=SectionFactory.create(course=other_course))
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=enrolled_course)
    api = Api(learner)
    assert api.get(f"/courses/{enrolled_course.slug}/materials/{mine.pk}/").status_code == 200
    # Another course's material id under my course: 404.
    assert api.get(f"/courses/{enrolled_course.slug}/materials/{theirs.pk}/").status_code == 404
    assert (
        api.post(f"/courses/{enrolled_course.slug}/materials/{theirs.pk}/done/").status_code == 404
    )
    # A course I am not enrolled in: 403, nothing recorded.
    refused = api.get(f"/courses/{other_course.slug}/materials/{theirs.pk}/")
    assert refused.status_code == 403 and refused.json()["code"] == "not_enrolled"
    assert api.post(f"/courses/{other_course.slug}/materials/{theirs.pk}/done/").status_code == 403
    assert api.get(f"/courses/{other_course.slug}/outline/").status_code == 403


def test_an_exam_of_a_course_not_enrolled_answers_404() -> None:
    _course, exam = course_with_exam()
    api = Api(UserFactory.create())
    assert api.get(f"/exams/{exam.pk}/").status_code == 404
    assert api.post(f"/exams/{exam.pk}/attempts/").status_code == 404
    assert not Attempt.objects.exists()


def test_signed_file_links_are_for_their_holder_and_expire(settings: object) -> None:
    course = CourseFactory.create()
    material = MaterialFactory.create(section=SectionFactory.create(course=course))
    AttachmentFactory.create(material=material)
    learner = UserFactory.create()
    enrollment = EnrollmentFactory.create(user=learner, course=course)
    api = Api(learner)
    url = api.get(f"/courses/{course.slug}/materials/{material.pk}/").json()["attachments"][0][
        "url"
    ]
    assert Client().get(url).status_code == 200
    forged = url.rstrip("/")[:-3] + "abc/"
    assert Client().get(forged).status_code == 404
    # The enrolment ends: the link stops working at once.
    enrollment.delete()
    assert Client().get(url).status_code == 404


def test_a_question_picture_comes_through_a_signed_link_for_its_learner_only() -> None:
    course, exam = course_with_exam()
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    # Every question of the bank has the picture, so whichever is drawn first has it.
    name = private_storage().save("questions/peta.png", ContentFile(b"\x89PNG gambar"))
    course.questions.update(image=name)
    attempt = attempt_start(exam=exam, user=learner)
    api = Api(learner)
    question = api.get(f"/attempts/{attempt.pk}/").json()["questions"][0]
    assert question["has_image"] is True
    picture = Client().get(question["image_url"])
    assert picture.status_code == 200
    assert b"".join(picture.streaming_content) == b"\x89PNG gambar"  # type: ignore[attr-defined]
    # Not the attempt's learner: the same name signed for someone else answers 404.
    stranger = UserFactory.create()
    forged = signed_file_url(
        RequestFactory().get("/"), kind="question", object_id=f"{attempt.pk}-1", user=stranger
    )
    assert Client().get(forged).status_code == 404
