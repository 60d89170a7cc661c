"""The pictures of exam questions, for the learner taking (or reviewing) the attempt.

A question's picture is a private file: the snapshot the attempt drew holds its storage
name, and only the attempt's own learner gets it. Anyone else's attempt, a missing
question or a question without a picture all answer 404, alike.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from mooc.accounts.models import User
from mooc.core.files import private_file_response
from mooc.exams.selectors.attempts import attempt_question_image_name

# The snapshot never changes, but the browser must not share it.
_MAX_AGE = 60 * 60


@require_safe
@login_required
def question_image(request: HttpRequest, attempt_id: int, position: int) -> HttpResponseBase:
    assert isinstance(request.user, User)  # login_required
    name = attempt_question_image_name(attempt_id=attempt_id, user=request.user, number=position)
    if not name:
        raise Http404
    # private_file_response caps the time for a presigned redirect to its link's life.
    return private_file_response(request, name, max_age=_MAX_AGE)
