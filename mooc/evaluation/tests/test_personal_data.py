"""A learner's own evaluation answers are in their data export (UU PDP), anonymous or not."""

from __future__ import annotations

import pytest

from mooc.accounts.tests.factories import UserFactory
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.evaluation.services import evaluation_response_save
from mooc.evaluation.tests.factories import answers_for, course_with_evaluation
from mooc.privacy.services.export import personal_data_collect

pytestmark = pytest.mark.django_db


def test_the_data_export_holds_the_learners_answers_and_nobody_elses() -> None:
    evaluation = course_with_evaluation(anonymous=True)
    mine, other = UserFactory.create(), UserFactory.create()
    for user, text in ((mine, "Saran saya"), (other, "Saran orang lain")):
        EnrollmentFactory.create(user=user, course=evaluation.course, completed=True)
        evaluation_response_save(
            course=evaluation.course, user=user, data=answers_for(evaluation, text=text), send=True
        )
    documents, _files = personal_data_collect(mine)
    [response] = documents["evaluations.json"]
    assert response["course"]["slug"] == evaluation.course.slug and response["sent_at"]
    texts = [answer["text"] for answer in response["answers"]]
    assert "Saran saya" in texts and "Saran orang lain" not in texts
