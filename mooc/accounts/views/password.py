"""Forgotten password ("Lupa Password") and "Bukan saya"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mooc.accounts.backends import normalize_username
from mooc.accounts.forms import AccountMatchForm, NewPasswordForm, ResetByEmailForm
from mooc.accounts.models import TokenPurpose
from mooc.accounts.services.passwords import (
    account_lock_not_me,
    account_setup_complete,
    password_reset_complete,
    password_reset_verify,
)
from mooc.accounts.services.tokens import TokenError, token_check
from mooc.accounts.views.auth import _limited
from mooc.core.errors import ServiceError, add_service_error

_STEP_SESSION_KEY = "password_step_token"


@never_cache
def forgot_password(request: HttpRequest) -> HttpResponseBase:
    if settings.PASSWORD_RESET_FLOW == "email_link":  # noqa: S105
        return EmailLinkResetView.as_view()(request)
    form = AccountMatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["username"]
        if _limited(request, "forgot-password", account, per_account=5, per_ip=30):
            form.add_error(None, _("Too many attempts. Please try again in an hour."))
        else:
            try:
                raw = password_reset_verify(username=account, email=form.cleaned_data["email"])
            except ServiceError as error:
                add_service_error(form, error)
            else:
                # The step token stays server-side, in this browser's session:
                # it never appears in a URL, a log line or a Referer header.
                request.session[_STEP_SESSION_KEY] = raw
                return redirect("accounts:set_password")
    return render(request, "accounts/forgot_password.html", {"form": form, "settings_flow": "seed"})


@never_cache
@sensitive_post_parameters("password1", "password2")
def set_password(request: HttpRequest) -> HttpResponse:
    raw = request.session.get(_STEP_SESSION_KEY, "")
    try:
        token = token_check(raw=raw, purpose=TokenPurpose.PASSWORD_STEP)
    except TokenError:
        messages.error(
            request, _("The time to change your password has run out. Please start again.")
        )
        return redirect("accounts:forgot_password")
    form = NewPasswordForm(request.POST or None, user=token.user)
    if request.method == "POST" and form.is_valid():
        try:
            password_reset_complete(
                raw_token=raw, password=form.cleaned_data["password1"], request=request
            )
        except TokenError:
            messages.error(
                request, _("The time to change your password has run out. Please start again.")
            )
            return redirect("accounts:forgot_password")
        request.session.pop(_STEP_SESSION_KEY, None)
        messages.success(
            request, _("Your password has been changed. Please log in with your new password.")
        )
        return redirect("accounts:login")
    return render(request, "accounts/set_password.html", {"form": form, "account": token.user})


@never_cache
def not_me(request: HttpRequest, token: str) -> HttpResponse:
    """A GET only asks: mail scanners open links, and must not lock accounts."""
    try:
        token_check(raw=token, purpose=TokenPurpose.NOT_ME)
    except TokenError:
        return render(request, "accounts/not_me.html", {"invalid": True}, status=400)
    if request.method == "POST":
        account_lock_not_me(raw_token=token, request=request)
        return render(request, "accounts/not_me.html", {"locked": True})
    return render(request, "accounts/not_me.html", {})


class EmailLinkResetView(auth_views.PasswordResetView):
    """PASSWORD_RESET_FLOW=email_link: Django's e-mailed reset link, asked for
    with NIP/Username + e-mail like the seed flow."""

    form_class = ResetByEmailForm
    template_name = "accounts/forgot_password.html"
    email_template_name = "emails/password-reset-body.txt"
    html_email_template_name = "emails/password-reset-body.html"
    subject_template_name = "emails/password-reset-subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")
    extra_context = {"settings_flow": "email_link"}

    # Each request may send a mail: at most this many an hour for one NIP/username and
    # from one client IP (issue 14, F8). Counted on what was typed, before anything is
    # looked up, so being refused says nothing about whether the account exists.
    per_account = 3
    per_ip = 30

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        account = normalize_username(str(form.cleaned_data.get("username", ""))).lower()
        if _limited(
            self.request,
            "reset-mail",
            account,
            per_account=self.per_account,
            per_ip=self.per_ip,
        ):
            form.add_error(None, _("Too many attempts. Please try again in an hour."))
            return self.form_invalid(form)
        return super().form_valid(form)


@never_cache
@sensitive_post_parameters("password1", "password2")
def account_setup(request: HttpRequest, token: str) -> HttpResponse:
    """An imported account's mailed link: its owner sets the first password. A GET only
    shows the form (mail scanners open links); the token is used by the POST."""
    try:
        account = token_check(raw=token, purpose=TokenPurpose.ACCOUNT_SETUP).user
    except TokenError:
        return render(request, "accounts/set_password.html", {"validlink": False}, status=400)
    form = NewPasswordForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        try:
            account_setup_complete(
                raw_token=token, password=form.cleaned_data["password1"], request=request
            )
        except (TokenError, ServiceError):
            return render(request, "accounts/set_password.html", {"validlink": False}, status=400)
        messages.success(request, _("Your password is set. Log in with your NIP/Username."))
        return redirect("accounts:login")
    return render(request, "accounts/set_password.html", {"form": form, "account": account})
