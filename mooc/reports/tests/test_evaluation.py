"""The evaluation and pre-/post-test reports: figures, anonymity, exports and scope."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mooc.accounts.models import User
from mooc.accounts.tests.helpers import signed_in
from mooc.catalog.models import Course, Instructor
from mooc.evaluation.models import CourseEvaluation, EvaluationResponse
from mooc.evaluation.services import evaluation_response_save
from mooc.evaluation.tests.factories import answers_for, course_with_evaluation
from mooc.exams.models import Attempt, AttemptState
from mooc.exams.tests.factories import ExamFactory
from mooc.reports.tests.support import (
    enrol_passed,
    report_admin,
    report_course,
    report_instructor,
    report_learner,
    streamed,
)

pytestmark = pytest.mark.django_db

NAMES = ["Ani Suryani", "Bambang Prakoso", "Citra Lestari", "Dedi Kurnia", "Eka Putri", "Fajar"]


def _respond(course: Course, evaluation: CourseEvaluation, names: list[str]) -> list[User]:
    learners = []
    for index, name in enumerate(names):
        learner = report_learner(name=name)
        enrol_passed(learner, course, score=60 + 5 * index)
        evaluation_response_save(
            course=course,
            user=learner,
            data=answers_for(evaluation, value=1 + index % 5, text=f"Saran dari peserta {index}"),
            send=True,
        )
        learners.append(learner)
    return learners


def _pretests(course: Course, learners: list[User], scores: list[int]) -> None:
    exam = ExamFactory.create(course=course, is_final=False, is_pretest=True, title="Pre")
    now = timezone.now()
    Attempt.objects.bulk_create(
        Attempt(
            exam=exam,
            user=learner,
            number=1,
            started_at=now,
            deadline=now,
            submitted_at=now,
            graded_at=now,
            state=AttemptState.GRADED,
            score=Decimal(score),
            passed=False,
        )
        for learner, score in zip(learners, scores, strict=True)
    )


@pytest.fixture
def admin(client: Client) -> Client:
    signed_in(client, report_admin())
    return client


def _everything(client: Client, course: Course) -> str:
    """Every page and export of the two reports, as one text."""
    texts = []
    for name in ("course_evaluation", "course_gain"):
        response = client.get(reverse(f"reports:{name}", args=[course.pk]))
        assert response.status_code == 200
        texts.append(response.content.decode())
    for report in ("evaluation", "gain"):
        csv_response = client.get(
            reverse("reports:export", args=[report, "csv"]), {"id": course.pk}
        )
        texts.append(streamed(csv_response).decode("utf-8-sig"))
        xlsx = client.get(reverse("reports:export", args=[report, "xlsx"]), {"id": course.pk})
        sheet = load_workbook(io.BytesIO(streamed(xlsx)), read_only=True).active
        assert sheet is not None
        texts.append(repr([list(row) for row in sheet.iter_rows(values_only=True)]))
    return "\n".join(texts)


@pytest.mark.parametrize("responses", [3, 6])
def test_an_anonymous_course_shows_no_name_anywhere(admin: Client, responses: int) -> None:
    course = report_course(title="Etika ASN")
    evaluation = course_with_evaluation(course, anonymous=True)
    course.instructors.add(Instructor.objects.create(name="Widya Instruktur"))
    learners = _respond(course, evaluation, NAMES[:responses])
    _pretests(course, learners, [40] * responses)

    everything = _everything(admin, course)

    for name in NAMES:
        assert name not in everything
    if responses < 5:  # counts only: no means, no distribution, no free text
        assert 'data-testid="counts-only"' in everything
        assert "Saran dari peserta" not in everything
        assert "Materi jelas" not in everything
    else:
        assert "Saran dari peserta 0" in everything
        assert "Widya Instruktur" in everything


def test_a_named_course_shows_who_wrote_what(admin: Client) -> None:
    course = report_course()
    evaluation = course_with_evaluation(course, anonymous=False)
    _respond(course, evaluation, NAMES[:2])
    page = admin.get(reverse("reports:course_evaluation", args=[course.pk])).content.decode()
    assert "Ani Suryani" in page and "Saran dari peserta 1" in page


def test_the_evaluation_figures(admin: Client) -> None:
    course = report_course()
    evaluation = course_with_evaluation(course)
    course.instructors.add(Instructor.objects.create(name="Budi"))
    _respond(course, evaluation, NAMES)  # values 1, 2, 3, 4, 5, 1
    enrol_passed(report_learner(), course)  # passed, no response
    EvaluationResponse.objects.create(course=course, user=report_learner())  # a draft

    response = admin.get(reverse("reports:course_evaluation", args=[course.pk]))
    data = response.context["report_data"]
    assert (data.eligible, data.responses, data.drafts) == (7, 6, 1)
    assert round(data.response_rate, 1) == 85.7
    item = data.groups[0].items[0]
    assert item.counts == [2, 1, 1, 1, 1]
    assert item.mean == pytest.approx(16 / 6)
    instructor, groups = data.instructors[0]
    assert instructor.name == "Budi" and groups[0].items[0].n == 6
    assert [(p.responses, round(p.mean, 2)) for p in data.trend] == [(6, round(16 / 6, 2))]
    assert 'id="groups-title"' in response.content.decode()  # the SVG chart


def test_the_gain_report(admin: Client) -> None:
    course = report_course()
    course_with_evaluation(course, anonymous=False)
    learners = [report_learner(name=name) for name in NAMES[:3]]
    for learner, post in zip(learners, [80, 100, 60], strict=True):
        enrol_passed(learner, course, score=post)
    _pretests(course, learners[:2], [60, 100])  # the third took no pre-test

    response = admin.get(reverse("reports:course_gain", args=[course.pk]))
    data = response.context["report_data"]
    rows = {row.label: row for row in data.rows}
    assert rows["Ani Suryani"].gain == 20 and rows["Ani Suryani"].normalized == Decimal("0.5")
    assert rows["Bambang Prakoso"].gain == 0 and rows["Bambang Prakoso"].normalized is None
    assert rows["Citra Lestari"].pre is None and rows["Citra Lestari"].gain is None
    assert data.both == 2
    assert data.mean_gain == 10
    assert data.mean_normalized == 0.5  # pre 100 has no normalized gain
    assert 'id="prepost-title"' in response.content.decode()

    rows_csv = list(
        csv.reader(
            io.StringIO(
                streamed(
                    admin.get(reverse("reports:export", args=["gain", "csv"]), {"id": course.pk})
                ).decode("utf-8-sig")
            )
        )
    )
    assert ["Ani Suryani", "60.00", "80.00", "20.00", "0.500"] in rows_csv


def test_an_instructor_reads_their_course_only(client: Client) -> None:
    mine, other = report_course(), report_course()
    signed_in(client, report_instructor(mine))
    for name in ("course_evaluation", "course_gain"):
        assert client.get(reverse(f"reports:{name}", args=[mine.pk])).status_code == 200
        assert client.get(reverse(f"reports:{name}", args=[other.pk])).status_code == 404
    for report in ("evaluation", "gain"):
        url = reverse("reports:export", args=[report, "csv"])
        assert client.get(url, {"id": other.pk}).status_code == 404


def test_a_learner_is_kept_out(client: Client) -> None:
    course = report_course()
    signed_in(client, report_learner())
    assert client.get(reverse("reports:course_evaluation", args=[course.pk])).status_code == 403


def test_evaluation_report_query_count(admin: Client, django_assert_num_queries: Any) -> None:
    course = report_course()
    evaluation = course_with_evaluation(course)
    course.instructors.add(Instructor.objects.create(name="Budi"))
    _respond(course, evaluation, NAMES)
    url = reverse("reports:course_evaluation", args=[course.pk])
    admin.get(url)
    with django_assert_num_queries(13):
        admin.get(url)
    _respond(course, evaluation, ["Gita", "Hadi", "Indra"])
    with django_assert_num_queries(13):
        admin.get(url)


def test_the_download_links_carry_the_course(admin: Client) -> None:
    course = report_course()
    for name, report in (("course_evaluation", "evaluation"), ("course_gain", "gain")):
        html = admin.get(reverse(f"reports:{name}", args=[course.pk])).content.decode()
        link = reverse("reports:export", args=[report, "csv"])
        assert f'href="{link}?' in html and f"id={course.pk}" in html
