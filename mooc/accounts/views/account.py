"""The signed-in learner's own pages: Beranda, Profil, Pengaturan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from mooc.accounts.forms import ChangePasswordForm, EmailChangeForm, ProfileForm
from mooc.accounts.models import User
from mooc.accounts.services import devices
from mooc.accounts.services.passwords import password_change
from mooc.accounts.services.profile import (
    email_change_confirm,
    email_change_request,
    profile_update,
)
from mooc.accounts.services.tokens import TokenError
from mooc.core.errors import ServiceError, add_service_error
from mooc.core.files import private_file_response
from mooc.core.ratelimit import ratelimit_hit

EMAIL_CHANGE_LIMIT = 5  # confirmation mails an hour per account


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = ProfileForm(request.POST or None, request.FILES or None, user=user)
    email_form = EmailChangeForm(prefix="email")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_update(
                user=user,
                full_name=data["full_name"].strip(),
                phone=data["phone"],
                jabatan=data["jabatan"].strip(),
                unit=data.get("unit"),
                instansi=(data.get("instansi") or "").strip(),
                photo=data.get("photo"),
                remove_photo=bool(data.get("remove_photo")),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", {"form": form, "email_form": email_form, "me": user}
    )


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    email_form = EmailChangeForm(request.POST or None, prefix="email")
    if request.method == "POST" and email_form.is_valid():
        # Each request mails a link to an address of the user's choosing (and says
        # whether that address is taken): a few an hour per account (issue 14, F8).
        limit = ratelimit_hit("email-change", str(user.pk), limit=EMAIL_CHANGE_LIMIT, window=3600)
        if not limit.allowed:
            email_form.add_error(None, _("Too many requests. Please try again in an hour."))
            return render(
                request,
                "accounts/profile.html",
                {"form": ProfileForm(user=user), "email_form": email_form, "me": user},
                status=429,
            )
        try:
            email_change_request(user=user, new_email=email_form.cleaned_data["new_email"])
        except ServiceError as error:
            add_service_error(email_form, error)
        else:
            messages.success(
                request, _("We have sent a confirmation link to your new e-mail address.")
            )
            return redirect("accounts:profile")
    form = ProfileForm(user=user)
    return render(
        request, "accounts/profile.html", {"form": form, "email_form": email_form, "me": user}
    )


@never_cache
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        email_change_confirm(raw_token=token)
    except (TokenError, ServiceError):
        return render(request, "accounts/email_confirm_failed.html", status=400)
    messages.success(request, _("Your e-mail address has been changed."))
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


@login_required
def photo(request: HttpRequest) -> HttpResponseBase:
    user = _me(request)
    if not user.photo:
        raise Http404
    return private_file_response(request, user.photo.name)


@login_required
@never_cache
@sensitive_post_parameters("old_password", "password1", "password2")
def change_password(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import update_session_auth_hash

    user = _me(request)
    form = ChangePasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        password_change(user=user, password=form.cleaned_data["password1"], request=request)
        update_session_auth_hash(request, user)  # this session stays; the others end
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:change_password")
    return render(request, "accounts/change_password.html", {"form": form})


@login_required
@require_POST
def device_sign_out(request: HttpRequest, device_id: int) -> HttpResponse:
    """Pengaturan: sign one of the app's devices out (someone else's: 404)."""
    if not devices.device_sign_out(user=_me(request), device_id=device_id):
        raise Http404
    messages.success(request, _("The device has been signed out."))
    return redirect("accounts:change_password")
