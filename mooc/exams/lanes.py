"""Which saves ride the save lane (mooc/exams/savelane.py), and whether the lane tried one.

Apart from the lane itself so that an app above exams (the REST API) can register its
save without importing exams' views, which the lane does."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from mooc.exams.services import answers, save_tokens

# Set on a request whose fast save the lane tried and that did not simply land.
FAST_MISSED = "_save_fast_missed"

# Other saves that may ride the lane, by URL name: the REST API's answer save
# (mooc/api registers it at start-up; exams does not import the API). Each is called
# like `views.save_fast`: a response when the save simply landed, else None.
FastSave = Callable[..., HttpResponse | None]
LANE_VIEWS: dict[str, FastSave] = {}


def lane_view_register(view_name: str, fast: FastSave) -> None:
    """Let the save at URL `view_name` ("namespace:name") through the lane."""
    LANE_VIEWS[view_name] = fast


def lane_missed(request: HttpRequest) -> bool:
    """Whether the lane tried this save and it did not simply land."""
    return bool(getattr(request, FAST_MISSED, False))


# A parsed save: (question number from 1, chosen option positions, client_seq).
ParsedSave = tuple[int, list[int], int]


def save_by_token(
    request: HttpRequest, attempt_id: int, parse: Callable[[HttpRequest], ParsedSave | None]
) -> tuple[int, answers.SaveResult] | None:
    """The fast save shared by the web (`views.save_fast`) and the REST API: a good save
    token, a body `parse` can read, and a save that simply lands, in one SQL statement
    that checks the token's user as well (`answers.answer_save_as`). Gives the question
    number and the result, or None when any of it fails (then the full path answers).
    The token is read first: a plain form post has none, and its body is read once, later."""
    token = save_tokens.save_token_read(request, attempt_id=attempt_id, now=timezone.now())
    if token is None:
        return None
    parsed = parse(request)
    if parsed is None:
        return None
    number, options, client_seq = parsed
    result = answers.answer_save_as(
        token=token,
        attempt_id=attempt_id,
        position=number - 1,
        option_positions=options,
        client_seq=client_seq,
    )
    if result is None:
        return None
    save_tokens.user_verified(request, token.user_id)
    return number, result
