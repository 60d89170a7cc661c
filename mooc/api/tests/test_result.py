"""The result follows the exam's review mode, as the web's result page does."""

from __future__ import annotations

import pytest

from mooc.accounts.tests.factories import UserFactory
from mooc.api.tests.support import Api
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.tests.support import course_with_exam, take
from mooc.exams.models import ReviewMode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("mode", "right", "with_key"),
    [
        (ReviewMode.SCORE, True, False),
        (ReviewMode.CORRECT_AFTER_PASS, False, False),
        (ReviewMode.CORRECT_AFTER_PASS, True, True),
        (ReviewMode.ALWAYS, False, True),
    ],
)
def test_the_result_shows_the_key_only_where_the_review_mode_allows(
    mode: str, right: bool, with_key: bool
) -> None:
    course, exam = course_with_exam(review_mode=mode, max_attempts=None)
    learner = UserFactory.create()
    EnrollmentFactory.create(user=learner, course=course)
    attempt = take(learner, exam, right=right)
    result = Api(learner).get(f"/attempts/{attempt.pk}/result/")
    assert result.status_code == 200
    body = result.json()
    assert body["with_key"] is with_key
    assert body["attempt"]["passed"] is right
    if with_key:
        assert len(body["questions"]) == 5
        assert all(any(o["is_key"] for o in q["options"]) for q in body["questions"])
    else:
        # Score only: no question, no option, no right/wrong mark.
        assert body["questions"] == []
        assert "is_key" not in result.content.decode()
