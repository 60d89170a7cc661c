"""Exams and attempts in the admin: per-question detail, audited extra time and resets,
instructors confined to their own courses, and a changelist whose query count does not
grow with the number of attempts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mooc.accounts.models import User
from mooc.accounts.tests.factories import SuperuserFactory, UserFactory
from mooc.accounts.tests.helpers import logged_in
from mooc.catalog.models import Course, EnrollmentResult
from mooc.catalog.tests.factories import CourseFactory, EnrollmentFactory
from mooc.core.models import AuditLog
from mooc.exams.models import Attempt, Exam
from mooc.exams.services.answers import answer_save
from mooc.exams.services.attempts import attempt_start
from mooc.exams.services.submission import attempt_submit
from mooc.exams.tests.factories import ExamFactory, make_bank
from mooc.exams.tests.helpers import right_positions, wrong_positions

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:exams_attempt_changelist")


def _graded(exam: Exam, user: User, right: int) -> Attempt:
    attempt = attempt_start(exam=exam, user=user)
    good, bad = right_positions(attempt), wrong_positions(attempt)
    for position in sorted(good):
        answer_save(
            attempt_id=attempt.pk,
            user=user,
            position=position,
            option_positions=[good[position] if position < right else bad[position]],
            client_seq=1,
        )
    return attempt_submit(attempt_id=attempt.pk, user=user)


def _exam_with_learner(course: Course | None = None) -> tuple[Exam, User]:
    course = course or CourseFactory.create()
    make_bank(course, size=5)
    exam = ExamFactory.create(course=course)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    return exam, user


def _instructor(*courses: Course) -> User:
    user = User.objects.create_user(
        username=f"instruktur{Course.objects.count()}{User.objects.count()}",
        password="x",
        email="instruktur@example.org",
        is_staff=True,
        activated_at=timezone.now(),
    )
    for codename in (
        "view_exam",
        "change_exam",
        "view_attempt",
        "change_attempt",
        "delete_attempt",
    ):
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="exams", codename=codename)
        )
    for course in courses:
        course.staff.add(user)
    return User.objects.get(pk=user.pk)


def test_the_change_page_shows_each_question_with_key_choice_and_points(
    admin_client: Client,
) -> None:
    exam, user = _exam_with_learner()
    attempt = _graded(exam, user, right=3)

    response = admin_client.get(reverse("admin:exams_attempt_change", args=[attempt.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Questions of this attempt" in html
    for number in range(1, 6):
        assert f"Question {number} (" in html
    assert html.count("<p>Q") == 5  # the copied question texts
    assert html.count("1.00 of 1.00 points") == 3
    assert html.count("0.00 of 1.00 points") == 2
    assert html.count(">chosen<") == 5
    assert "benar" in html and "salah a" in html
    assert "60.00" in html
    # A graded attempt gets no more time; it can be reset.
    assert reverse("admin:exams_attempt_reset", args=[attempt.pk]) in html
    assert reverse("admin:exams_attempt_extend", args=[attempt.pk]) not in html


def test_the_list_shows_learner_nip_and_name_and_searches_them(admin_client: Client) -> None:
    exam, user = _exam_with_learner()
    _graded(exam, user, right=5)
    other = UserFactory.create(username="199001012020121001")
    EnrollmentFactory.create(user=other, course=exam.course)
    attempt_start(exam=exam, user=other)

    response = admin_client.get(CHANGELIST, {"q": "199001012020121001"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "199001012020121001" in html and user.username not in html
    response = admin_client.get(CHANGELIST, {"state": "graded"})
    assert user.username in response.content.decode()


def test_granting_extra_time_needs_a_reason_and_is_audited(admin_client: Client) -> None:
    exam, user = _exam_with_learner()
    attempt = attempt_start(exam=exam, user=user)
    url = reverse("admin:exams_attempt_extend", args=[attempt.pk])
    deadline = attempt.deadline

    assert admin_client.get(url).status_code == 200
    refused = admin_client.post(url, {"minutes": "10", "reason": ""})
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()

    response = admin_client.post(url, {"minutes": "10", "reason": "Listrik padam"})

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.deadline == deadline + dt.timedelta(minutes=10)
    entry = AuditLog.objects.get(action="exams.attempt_extend")
    assert entry.reason == "Listrik padam" and entry.target_id == str(attempt.pk)


def test_extending_a_running_exam_is_audited(admin_client: Client) -> None:
    exam, user = _exam_with_learner()
    attempt = attempt_start(exam=exam, user=user)
    url = reverse("admin:exams_exam_extend_running", args=[exam.pk])
    page = admin_client.get(reverse("admin:exams_exam_change", args=[exam.pk]))
    assert url in page.content.decode()
    assert "1 attempt is running now" in admin_client.get(url).content.decode()

    response = admin_client.post(url, {"minutes": "15", "reason": "Gangguan server"})

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.extra_minutes == 15
    entry = AuditLog.objects.get(action="exams.exam_extend_running")
    assert entry.reason == "Gangguan server"
    assert entry.after == {"minutes": 15, "attempts": [attempt.pk]}


def test_resetting_from_the_admin_needs_a_reason_and_recomputes(admin_client: Client) -> None:
    exam, user = _exam_with_learner()
    attempt = _graded(exam, user, right=5)
    url = reverse("admin:exams_attempt_reset", args=[attempt.pk])

    refused = admin_client.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert Attempt.objects.filter(pk=attempt.pk).exists()

    # The pass carries a valid certificate: the form says to revoke it first.
    certified = admin_client.post(url, {"reason": "Peserta salah akun"})
    assert certified.status_code == 200
    assert "revoke the certificate first" in certified.content.decode()
    assert Attempt.objects.filter(pk=attempt.pk).exists()
    from mooc.certificates.models import Certificate
    from mooc.certificates.services import certificate_revoke

    certificate_revoke(
        certificate=Certificate.objects.get(user=user), actor=user, reason="Peserta salah akun"
    )

    response = admin_client.post(url, {"reason": "Peserta salah akun"})

    assert response.status_code == 302
    assert not Attempt.objects.filter(pk=attempt.pk).exists()
    enrollment = user.enrollments.get()
    assert enrollment.result == "" and enrollment.status == "active"
    assert AuditLog.objects.get(action="exams.attempt_reset").reason == "Peserta salah akun"


def test_django_delete_is_off_for_attempts(admin_client: Client) -> None:
    exam, user = _exam_with_learner()
    attempt = _graded(exam, user, right=5)

    response = admin_client.get(reverse("admin:exams_attempt_delete", args=[attempt.pk]))

    assert response.status_code == 403
    assert user.enrollments.get().result == EnrollmentResult.PASSED


def test_instructors_see_only_their_courses_exams_and_attempts(client: Client) -> None:
    own_exam, own_learner = _exam_with_learner()
    other_exam, other_learner = _exam_with_learner()
    own = _graded(own_exam, own_learner, right=5)
    other = _graded(other_exam, other_learner, right=5)
    third = UserFactory.create()
    EnrollmentFactory.create(user=third, course=other_exam.course)
    running = attempt_start(exam=other_exam, user=third)
    instructor = _instructor(own_exam.course)
    logged_in(client, instructor)

    listing = client.get(CHANGELIST).content.decode()
    assert own_learner.username in listing and other_learner.username not in listing
    exams = client.get(reverse("admin:exams_exam_changelist")).content.decode()
    assert own_exam.course.title in exams and other_exam.course.title not in exams

    assert client.get(reverse("admin:exams_attempt_change", args=[own.pk])).status_code == 200
    for url in (
        reverse("admin:exams_attempt_change", args=[other.pk]),
        reverse("admin:exams_attempt_reset", args=[other.pk]),
        reverse("admin:exams_attempt_extend", args=[running.pk]),
        reverse("admin:exams_exam_change", args=[other_exam.pk]),
        reverse("admin:exams_exam_extend_running", args=[other_exam.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"minutes": "5", "reason": "x"}).status_code == 404, url
    assert Attempt.objects.filter(pk=other.pk).exists()
    assert not AuditLog.objects.filter(action__startswith="exams.").exists()


def _changelist_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


# Measured and pinned: 6 for a superuser, 8 for an instructor (their user and group
# permissions on top; "own courses only" is a subquery of the row query); 1 of them is
# the second-factor device that verified the session. Learner, exam
# and course come with the rows (list_select_related), so 30 rows cost what 1 does.
@pytest.mark.parametrize("role", ["superuser", "instructor"])
def test_the_changelist_query_count_does_not_grow_with_attempts(client: Client, role: str) -> None:
    exam, user = _exam_with_learner()
    _graded(exam, user, right=4)
    staff = SuperuserFactory.create() if role == "superuser" else _instructor(exam.course)
    logged_in(client, staff)
    client.get(CHANGELIST)  # the first request after signing in stamps the session
    one = _changelist_queries(client)

    for _ in range(29):
        learner = UserFactory.create()
        EnrollmentFactory.create(user=learner, course=exam.course)
        attempt_start(exam=exam, user=learner)
    assert Attempt.objects.count() == 30
    thirty = _changelist_queries(client)

    assert one == thirty == {"superuser": 6, "instructor": 8}[role]


def test_the_exam_list_counts_attempts(admin_client: Client) -> None:
    exam, user = _exam_with_learner()
    _graded(exam, user, right=5)
    exam.passing_grade = Decimal("72.50")
    exam.save()

    html = admin_client.get(reverse("admin:exams_exam_changelist")).content.decode()

    assert exam.title in html and "72.50" in html


def test_the_exam_pages_render_and_refuse_another_courses_section(admin_client: Client) -> None:
    from mooc.learning.models import Section

    exam, _user = _exam_with_learner()
    elsewhere = Section.objects.create(course=CourseFactory.create(), title="Lain", order=1)
    assert admin_client.get(reverse("admin:exams_exam_add")).status_code == 200
    url = reverse("admin:exams_exam_change", args=[exam.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        {
            "course": exam.course_id,
            "is_final": "on",
            "section": elsewhere.pk,
            "title": "Ujian Akhir",
            "question_count": 5,
            "shuffle_questions": "on",
            "shuffle_options": "on",
            "time_limit_minutes": 30,
            "passing_grade": "70",
            "max_attempts": "",
            "wait_minutes_between_attempts": 0,
            "review_mode": "score",
        },
    )

    assert response.status_code == 200
    assert "Choose a section of the exam&#x27;s course." in response.content.decode()
