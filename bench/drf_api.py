"""The REST API's answer save written with Django REST framework, for the benchmark only.

Issue 19 asks to choose between DRF (+ drf-spectacular) and django-ninja by measuring
the API's answer save against the web's. mooc/api is built on ninja; this module is
the same endpoint in DRF, so that one `bench/exam_day.py --saturate --api --api-drf`
run can compare the two frameworks on the same server, in alternating windows:

- the same URL shape under a bench prefix: /bench/drf/v1/attempts/<id>/answers/;
- the same authentication: the device access token in `Authorization: Bearer …`,
  checked by the accounts device-token service (`device_authenticate`);
- the same body (`position`, `options`, `client_seq`, nothing else), the same 64 KB
  body limit, and the same service calls as mooc/api's `answer_save` (the save lane's
  fast save first, then `answers.answer_save`);
- the same responses: the save as JSON, and problem+json (mooc/api/problems.py) for
  401, 400, 404, 409, 413 and 422.

It is the idiomatic DRF way: an APIView with an authentication class, a permission
class, a Serializer, DRF's Request/Response, JSONParser and JSONRenderer. It is
never part of the real site: bench/urls.py adds it only when rest_framework is
installed (requirements/bench-server.txt) and only the bench settings use that URLconf.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mooc.accounts.services.devices import device_authenticate
from mooc.api.exams import MAX_OPTIONS, MAX_SEQ, _attempt_for, _saved, answer_save_fast
from mooc.api.problems import ApiProblem, not_found, problem
from mooc.api.urls import _body_limited
from mooc.core.errors import ServiceError
from mooc.exams.lanes import lane_missed
from mooc.exams.services import answers

FIELDS = {"position", "options", "client_seq"}


class DeviceTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <access token>` → the device's user (mooc/api/auth.py)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() != b"bearer":
            return None
        try:
            raw = header[1].decode()
        except UnicodeError:
            return None
        found = device_authenticate(raw)
        if found is None:
            raise exceptions.AuthenticationFailed()
        user, device = found
        request._request.device = device  # type: ignore[attr-defined]
        return user, device

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class AnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    position = serializers.IntegerField(min_value=1, max_value=10_000)
    options = serializers.ListField(
        child=serializers.IntegerField(), max_length=MAX_OPTIONS, allow_empty=True
    )
    client_seq = serializers.IntegerField(min_value=0, max_value=MAX_SEQ)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(self.initial_data) - FIELDS)
        if unknown:
            raise serializers.ValidationError(
                dict.fromkeys(unknown, "Extra inputs are not permitted")
            )
        return attrs


def _errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        return [
            error
            for name, value in detail.items()
            for error in _errors(value, f"{prefix}.{name}" if prefix else str(name))
        ]
    if isinstance(detail, list):
        return [error for value in detail for error in _errors(value, prefix)]
    return [{"field": prefix or "body", "message": str(detail)}]


class AnswerSave(APIView):
    authentication_classes = [DeviceTokenAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes: list[Any] = []

    def post(self, request: Request, attempt_id: int) -> HttpResponse:
        if not lane_missed(request._request):
            fast = answer_save_fast(request._request, attempt_id)
            if fast is not None:
                return fast
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            result = answers.answer_save(
                attempt_id=attempt_id,
                user=request.user,
                position=data["position"] - 1,
                option_positions=data["options"],
                client_seq=data["client_seq"],
            )
        except ServiceError as error:
            if error.code == "not_found":
                raise not_found() from None
            if error.code in ("time_up", "submitted"):
                _attempt_for(request._request, attempt_id)  # grades it if the time ran out
                raise ApiProblem(409, error.code, str(error.message)) from None
            if error.code == "invalid":
                raise ApiProblem(422, "invalid", str(error.message)) from None
            raise ApiProblem(409, error.code or "refused", str(error.message)) from None
        return Response(_saved(result))

    def handle_exception(self, exc: Exception) -> HttpResponse:
        """Every refusal as mooc/api answers it: problem+json."""
        if isinstance(exc, ApiProblem):
            return exc.response()
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return problem(
                401,
                "unauthenticated",
                _("The access token is missing, expired or revoked: sign in or refresh."),
                headers={"WWW-Authenticate": 'Bearer realm="api"'},
            )
        if isinstance(exc, exceptions.ParseError):
            # As mooc/api answers an unreadable body (ninja raises HttpError(400)).
            return problem(400, "malformed", _("The request body is not valid JSON."))
        if isinstance(exc, exceptions.UnsupportedMediaType):
            return problem(415, "unsupported", str(exc.detail))
        if isinstance(exc, exceptions.ValidationError):
            return problem(
                422,
                "invalid",
                _("Some fields are missing or invalid."),
                errors=_errors(exc.detail),
            )
        if isinstance(exc, exceptions.MethodNotAllowed):
            return problem(405, "error", str(exc.detail))
        return super().handle_exception(exc)  # type: ignore[no-any-return]


answer_save = _body_limited(AnswerSave.as_view())
