"""Property tests of the API's answer save: any sequence of saves (in any order, with
repeated and stale sequence numbers) and submits never loses an acknowledged answer
and grades the attempt once."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mooc.accounts.tests.factories import UserFactory
from mooc.api.tests.support import Api
from mooc.catalog.tests.factories import EnrollmentFactory
from mooc.certificates.tests.support import course_with_exam
from mooc.exams.models import AttemptAnswer
from mooc.exams.services.attempts import attempt_start

pytestmark = pytest.mark.django_db

save = st.tuples(
    st.integers(min_value=1, max_value=5),  # position
    st.lists(st.integers(min_value=0, max_value=3), max_size=1),  # single answer
    st.integers(min_value=0, max_value=40),  # client_seq: repeats and goes back
)
step = st.one_of(save, st.just("submit"))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=15))
def test_saves_and_submits_never_lose_an_acknowledged_answer(steps: list[Any]) -> None:
    course, exam = course_with_exam(max_attempts=None)
    user = UserFactory.create()
    EnrollmentFactory.create(user=user, course=course)
    attempt = attempt_start(exam=exam, user=user)
    api = Api(user)
    # What the server acknowledged per position: (client_seq, options).
    acknowledged: dict[int, tuple[int, list[int]]] = {}
    submitted = False
    graded_at = None
    for item in steps:
        if item == "submit":
            response = api.post(f"/attempts/{attempt.pk}/submit/")
            assert response.status_code == 200
            attempt.refresh_from_db()
            assert attempt.state == "graded"
            if graded_at is None:
                graded_at = attempt.graded_at
            assert attempt.graded_at == graded_at  # graded once, however often submitted
            submitted = True
            continue
        position, options, seq = item
        response = api.post(
            f"/attempts/{attempt.pk}/answers/",
            {"position": position, "options": options, "client_seq": seq},
        )
        if submitted:
            assert response.status_code == 409
            continue
        assert response.status_code == 200, response.content
        body = response.json()
        stored = acknowledged.get(position)
        if stored is None or seq > stored[0]:
            assert body["applied"] is True
            acknowledged[position] = (seq, sorted(set(options)))
        else:
            assert body["applied"] is False
            assert (body["client_seq"], body["options"]) == stored
    answers = {
        a.attempt_question.position + 1: (a.client_seq, list(a.option_positions))
        for a in AttemptAnswer.objects.filter(attempt_question__attempt=attempt).select_related(
            "attempt_question"
        )
    }
    assert answers == acknowledged
