"""Two-step verification: enrolment by QR code, the code after sign-in, recovery
codes shown once, and a learner's switch in Pengaturan (mooc.accounts.services.mfa)."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from mooc.accounts.models import User
from mooc.accounts.services import mfa
from mooc.core.errors import ServiceError, add_service_error
from mooc.core.net import client_ip
from mooc.core.ratelimit import ratelimit_hit

_NEW_CODES = "mfa_new_codes"
# Guesses per account and per address in a window, on top of django-otp's own
# doubling delay after each wrong code.
VERIFY_LIMIT_PER_ACCOUNT = 10
VERIFY_LIMIT_PER_IP = 60
VERIFY_WINDOW = 15 * 60


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=32,
        help_text=gettext_lazy(
            "The 6-digit code in your authenticator app, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class VerifyForm(CodeForm):
    remember = forms.BooleanField(
        label=gettext_lazy("Remember this browser for %(days)s days"),
        required=False,
        help_text=gettext_lazy("Only on your own device, never on a shared computer."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        days = mfa.remember_days()
        if days <= 0:
            del self.fields["remember"]
        else:
            field = self.fields["remember"]
            field.label = str(field.label) % {"days": days}


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=12,
        help_text=gettext_lazy("The 6-digit code the app shows after scanning."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + "?" + urlencode({"next": next_url})


def _limited(request: HttpRequest, user: User) -> bool:
    """Count one guess; True when this account or this address has had too many."""
    by_account = ratelimit_hit(
        "mfa-verify", str(user.pk), limit=VERIFY_LIMIT_PER_ACCOUNT, window=VERIFY_WINDOW
    )
    by_ip = ratelimit_hit(
        "mfa-verify:ip", client_ip(request), limit=VERIFY_LIMIT_PER_IP, window=VERIFY_WINDOW
    )
    return not (by_account.allowed and by_ip.allowed)


def _too_many() -> str:
    return _("Too many attempts. Try again in %(minutes)s minutes.") % {
        "minutes": VERIFY_WINDOW // 60
    }


@login_required
@never_cache
@sensitive_post_parameters("code")
def verify(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    next_url = _next(request)
    if mfa.is_verified(request):
        return HttpResponseRedirect(next_url)
    if not mfa.is_enrolled(user):
        if mfa.has_staff_role(user):
            return HttpResponseRedirect(_with_next("accounts:mfa_enrol", next_url))
        return HttpResponseRedirect(next_url)
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _limited(request, user):
            form.add_error(None, _too_many())
            status = 429
        else:
            try:
                device = mfa.code_verify(user=user, code=form.cleaned_data["code"], request=request)
            except mfa.VerifyRefused as error:
                add_service_error(form, error)
                status = 429 if error.code == "throttled" else 200
            else:
                mfa.session_verify(request, device)
                response = HttpResponseRedirect(next_url)
                totp = mfa.totp_device(user)
                if form.cleaned_data.get("remember") and totp is not None:
                    mfa.remember_set(response, user=user, device=totp)
                return response
    context = {"form": form, "next": next_url}
    return render(request, "accounts/mfa_verify.html", context, status=status)


@login_required
@never_cache
@sensitive_post_parameters("code")
def enrol(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    next_url = _next(request)
    if mfa.is_enrolled(user):
        if not mfa.is_verified(request):
            return HttpResponseRedirect(_with_next("accounts:mfa_verify", next_url))
        messages.info(request, _("Two-step verification is already on for this account."))
        return redirect("accounts:change_password")
    device = mfa.enrolment_device(user)
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _limited(request, user):
            form.add_error(None, _too_many())
            status = 429
        else:
            try:
                codes = mfa.enrolment_confirm(
                    user=user, device=device, code=form.cleaned_data["code"], request=request
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                device.refresh_from_db()
                mfa.session_verify(request, device)
                request.session[_NEW_CODES] = codes
                return HttpResponseRedirect(_with_next("accounts:mfa_recovery_codes", next_url))
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": mfa.qr_svg(device),
        "secret": mfa.secret_base32(device),
        "required": mfa.has_staff_role(user),
    }
    return render(request, "accounts/mfa_enrol.html", context, status=status)


@login_required
@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """GET shows freshly made codes once; POST makes a new set (the old ones stop working)."""
    user = _me(request)
    next_url = _next(request)
    if request.method == "POST":
        try:
            request.session[_NEW_CODES] = mfa.recovery_codes_renew(user=user, request=request)
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect("accounts:change_password")
        return HttpResponseRedirect(_with_next("accounts:mfa_recovery_codes", next_url))
    codes: list[str] = request.session.pop(_NEW_CODES, None) or []
    text = _("MOOC ASN recovery codes for %(username)s. Each code works once.") % {
        "username": user.get_username()
    }
    text += "\n\n" + "\n".join(codes) + "\n"
    context = {
        "codes": codes,
        "next": next_url,
        "download_href": "data:text/plain;charset=utf-8," + quote(text),
        "enrolled": mfa.is_enrolled(user),
    }
    return render(request, "accounts/mfa_recovery_codes.html", context)


@login_required
@require_POST
@sensitive_post_parameters("code")
def disable(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a current code to turn two-step verification off."))
    elif _limited(request, user):
        messages.error(request, _too_many())
    else:
        try:
            mfa.mfa_disable(user=user, code=form.cleaned_data["code"], request=request)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            mfa.needed_forget(request)
            messages.success(request, _("Two-step verification is off."))
            response = redirect("accounts:change_password")
            mfa.remember_clear(response)
            return response
    return redirect("accounts:change_password")
