"""Sign-in for devices, the profile, the password and the device list."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from mooc.accounts.models import Unit, User
from mooc.accounts.services import devices
from mooc.accounts.services.login import LoginRefused, user_authenticate
from mooc.accounts.services.mfa import VerifyRefused, code_verify, has_staff_role, is_enrolled
from mooc.accounts.services.passwords import password_change
from mooc.accounts.services.profile import profile_update
from mooc.api.auth import me, my_device
from mooc.api.problems import COMMON, ApiProblem, Problem, problem
from mooc.core.net import client_ip_key
from mooc.core.ratelimit import ratelimit_hit
from mooc.exams.services.save_tokens import end_save_tokens

router = Router(tags=["account"])

LOGIN_WINDOW = 15 * 60


class Input(Schema):
    """Unknown fields are refused (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid")


class LoginIn(Input):
    username: str = Field(min_length=1, max_length=150, description="NIP or username")
    password: str = Field(min_length=1, max_length=4096)
    device: str = Field(min_length=1, max_length=100, description="A label: 'Android — Budi'")
    code: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="For an account with two-step verification: the authenticator app's "
        "current code, or one of its unused recovery codes",
    )


class TokensOut(Schema):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    expires_in: int
    refresh_expires_in: int
    device_id: int


class RefreshIn(Input):
    refresh_token: str = Field(min_length=1, max_length=100)


def _tokens(tokens: devices.DeviceTokens) -> TokensOut:
    return TokensOut(
        access_token=tokens.access,
        refresh_token=tokens.refresh,
        expires_in=tokens.access_expires_in,
        refresh_expires_in=tokens.refresh_expires_in,
        device_id=tokens.device_id,
    )


def _login_limited(request: HttpRequest, username: str) -> ApiProblem | None:
    ip = client_ip_key(request)
    hits = [
        ratelimit_hit("api-login:ip", ip, limit=settings.API_LOGIN_IP_LIMIT, window=LOGIN_WINDOW),
        ratelimit_hit(
            "api-login:user-ip",
            f"{username.strip().lower()}|{ip}",
            limit=settings.API_LOGIN_USER_IP_LIMIT,
            window=LOGIN_WINDOW,
        ),
    ]
    refused = [hit for hit in hits if not hit.allowed]
    if not refused:
        return None
    retry = max(hit.retry_after for hit in refused)
    return ApiProblem(
        429,
        "throttled",
        _("Too many requests. Please try again later."),
        headers={"Retry-After": str(retry)},
    )


@router.post(
    "/auth/login/",
    auth=None,
    response={200: TokensOut, 403: Problem, **COMMON},
    summary="Sign a device in (NIP/username and password)",
)
def login(request: HttpRequest, payload: LoginIn) -> TokensOut:
    limited = _login_limited(request, payload.username)
    if limited is not None:
        raise limited
    try:
        user = user_authenticate(
            request=request, username=payload.username, password=payload.password
        )
    except LoginRefused as refused:
        if refused.problem == "throttled":
            minutes = max(refused.retry_minutes, 1)
            raise ApiProblem(
                429,
                "locked_out",
                ngettext(
                    "Too many failed login attempts. Try again in %(minutes)s minute.",
                    "Too many failed login attempts. Try again in %(minutes)s minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                headers={"Retry-After": str(minutes * 60)},
            ) from None
        if refused.problem in ("unknown", "wrong_password"):
            # Unlike the login page, one message for both: an app is easier to script.
            raise ApiProblem(401, "wrong_credentials", _("Wrong NIP or Password!")) from None
        messages = {  # the login page's messages
            "not_activated": _("Your account has not been activated"),
            "deactivated": _("Your account has been deactivated. Please contact the BPSDM admin."),
            "locked": _(
                "Your account is locked for your security. Please contact the BPSDM admin."
            ),
        }
        raise ApiProblem(403, refused.problem, messages[refused.problem]) from None
    _second_step(request, user, payload.code)
    return _tokens(devices.device_sign_in(user=user, label=payload.device))


def _second_step(request: HttpRequest, user: User, code: str | None) -> None:
    """The website's second step, for accounts that have one (asked only once the
    password is right): the app's code or a recovery code in `code`. Staff who have
    not set it up yet do that on the website first."""
    if not is_enrolled(user):
        if has_staff_role(user):
            raise ApiProblem(
                403,
                "second_factor_setup_required",
                _("Staff accounts need two-step verification: set it up on the website first."),
            )
        return
    if code is None:
        raise ApiProblem(
            403,
            "second_factor_required",
            _(
                "This account uses two-step verification: send the code from your "
                "authenticator app (or a recovery code) as code."
            ),
        )
    try:
        code_verify(user=user, code=code, request=request)
    except VerifyRefused as refused:
        if refused.code == "throttled":
            raise ApiProblem(
                429,
                "code_throttled",
                str(refused.message),
                headers={"Retry-After": str(refused.retry_after)},
            ) from None
        raise ApiProblem(401, "wrong_code", str(refused.message)) from None


@router.post(
    "/auth/refresh/",
    auth=None,
    response={200: TokensOut, **COMMON},
    summary="New tokens for a refresh token (which is then spent)",
)
def refresh(request: HttpRequest, payload: RefreshIn) -> TokensOut:
    tokens = devices.device_refresh(payload.refresh_token)
    if tokens is None:
        raise ApiProblem(
            401, "invalid_refresh", _("The refresh token is expired or revoked: sign in again.")
        )
    return _tokens(tokens)


@router.post("/auth/logout/", response={204: None, **COMMON}, summary="Sign this device out")
def logout(request: HttpRequest) -> Status[None]:
    user = me(request)
    devices.device_sign_out(user=user, device_id=my_device(request).pk)
    end_save_tokens(user)  # like the web's logout: the exam save tokens end too
    return Status(204, None)


class DeviceOut(Schema):
    id: int
    label: str
    signed_in_at: str
    last_used_at: str | None
    current: bool


@router.get("/me/devices/", response={200: list[DeviceOut], **COMMON}, summary="My devices")
def device_list(request: HttpRequest) -> list[DeviceOut]:
    current = my_device(request).pk
    return [
        DeviceOut(
            id=device.pk,
            label=device.label,
            signed_in_at=device.created_at.isoformat(),
            last_used_at=device.last_used_at.isoformat() if device.last_used_at else None,
            current=device.pk == current,
        )
        for device in devices.devices_of(user=me(request))
    ]


@router.delete(
    "/me/devices/{device_id}/", response={204: None, **COMMON}, summary="Sign a device out"
)
def device_delete(request: HttpRequest, device_id: int) -> Status[None]:
    if not devices.device_sign_out(user=me(request), device_id=device_id):
        raise ApiProblem(404, "not_found", _("Not found, or not yours."))
    return Status(204, None)


# --- Profile -----------------------------------------------------------------------------------


class ProfileOut(Schema):
    username: str
    email: str
    full_name: str
    phone: str
    jabatan: str
    employee_type: str
    unit_id: int | None
    unit_name: str | None
    instansi: str


class ProfileIn(Input):
    full_name: str | None = Field(None, min_length=1, max_length=150)
    phone: str | None = Field(None, min_length=1, max_length=20)
    jabatan: str | None = Field(None, min_length=1, max_length=150)
    unit_id: int | None = Field(None, ge=1, le=2**31 - 1)
    instansi: str | None = Field(None, min_length=1, max_length=255)


def _profile(user: User) -> ProfileOut:
    return ProfileOut(
        username=user.username,
        email=user.email,
        full_name=user.full_name,
        phone=user.phone,
        jabatan=user.jabatan,
        employee_type=user.employee_type,
        unit_id=user.unit_id,
        unit_name=user.unit.name if user.unit_id and user.unit else None,
        instansi=user.instansi,
    )


@router.get("/me/", response={200: ProfileOut, **COMMON}, summary="My profile")
def profile(request: HttpRequest) -> ProfileOut:
    return _profile(me(request))


@router.patch("/me/", response={200: ProfileOut, **COMMON}, summary="Update my profile")
def profile_patch(request: HttpRequest, payload: ProfileIn) -> ProfileOut:
    user = me(request)
    unit = user.unit
    if payload.unit_id is not None:
        unit = Unit.objects.filter(pk=payload.unit_id, is_active=True).first()
        if unit is None:
            raise ApiProblem(422, "invalid", _("Choose your central unit or work unit."))
    profile_update(
        user=user,
        full_name=(payload.full_name or user.full_name).strip(),
        phone=(payload.phone or user.phone).strip(),
        jabatan=(payload.jabatan or user.jabatan).strip(),
        unit=unit,
        instansi=(payload.instansi or user.instansi).strip(),
    )
    return _profile(user)


class PasswordIn(Input):
    old_password: str = Field(min_length=1, max_length=4096)
    new_password: str = Field(min_length=1, max_length=4096)


@router.post(
    "/me/password/",
    response={204: None, **COMMON},
    summary="Change my password (every device is signed out)",
)
def change_password(request: HttpRequest, payload: PasswordIn) -> HttpResponse | Status[None]:
    user = me(request)
    if not user.check_password(payload.old_password):
        return problem(
            422,
            "invalid",
            _("Your old password is not correct."),
            errors=[{"field": "old_password", "message": _("Your old password is not correct.")}],
        )
    if payload.new_password == payload.old_password:
        message = _("The new password must differ from the old one.")
        return problem(
            422, "invalid", message, errors=[{"field": "new_password", "message": message}]
        )
    try:
        password_validation.validate_password(payload.new_password, user)
    except DjangoValidationError as error:
        return problem(
            422,
            "invalid",
            " ".join(error.messages),
            errors=[{"field": "new_password", "message": m} for m in error.messages],
        )
    password_change(user=user, password=payload.new_password, request=request)
    end_save_tokens(user)
    return Status(204, None)
