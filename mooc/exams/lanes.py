"""Which saves ride the save lane (mooc/exams/savelane.py), and whether the lane tried one.

Apart from the lane itself so that an app above exams (the REST API) can register its
save without importing exams' views, which the lane does."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
