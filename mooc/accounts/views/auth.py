"""Registration, activation, resending activation, login and logout."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from mooc.accounts.forms import AccountMatchForm, LoginForm, RegistrationForm
from mooc.accounts.services.login import LoginRefused, user_login
from mooc.accounts.services.registration import (
    Registration,
    activation_resend,
    registration_submit,
    user_activate,
)
from mooc.accounts.services.tokens import TokenError
from mooc.core.admission import admission_page, admission_take
from mooc.core.errors import ServiceError, add_service_error
from mooc.core.net import client_ip_key
from mooc.core.ratelimit import ratelimit_hit


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
@sensitive_post_parameters("password1", "password2")
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        registration = form.registration()
        if _registration_limited(request, registration):
            form.add_error(
                None,
                _(
                    "Too many registrations from your network or with these details. "
                    "Please try again in an hour."
                ),
            )
        else:
            # The same page whether or not the NIP or e-mail address already had an
            # account: in that case its owner is mailed instead (registration_submit).
            registration_submit(registration=registration)
            request.session["registered_email"] = registration.email
            return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


def _registration_limited(request: HttpRequest, registration: Registration) -> bool:
    hits = [
        ratelimit_hit(
            "register:ip", client_ip_key(request), limit=settings.REGISTRATION_IP_LIMIT, window=3600
        ),
        *(
            ratelimit_hit(
                "register:id",
                identifier.lower(),
                limit=settings.REGISTRATION_IDENTIFIER_LIMIT,
                window=3600,
            )
            for identifier in (registration.username, registration.email)
        ),
    ]
    return not all(hit.allowed for hit in hits)


def register_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("registered_email", "")
    return render(request, "accounts/register_done.html", {"email": email})


@never_cache
def activate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = user_activate(raw_token=token)
    except TokenError as error:
        already_active = error.token is not None and error.token.user.is_activated
        if error.problem == "used" and already_active:
            # Mail scanners sometimes open links first: the account is active all the same.
            return render(request, "accounts/activate_done.html", {"already": True})
        return render(
            request, "accounts/activate_failed.html", {"problem": error.problem}, status=400
        )
    return render(request, "accounts/activate_done.html", {"activated_user": user})


def _limited(
    request: HttpRequest, scope: str, account: str, *, per_account: int, per_ip: int
) -> bool:
    by_account = ratelimit_hit(scope, account.lower(), limit=per_account, window=3600)
    by_ip = ratelimit_hit(scope + ":ip", client_ip_key(request), limit=per_ip, window=3600)
    return not (by_account.allowed and by_ip.allowed)


@never_cache
def resend_activation(request: HttpRequest) -> HttpResponse:
    form = AccountMatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["username"]
        if _limited(request, "resend-activation", account, per_account=5, per_ip=50):
            form.add_error(None, _("Too many requests. Please try again in an hour."))
        else:
            try:
                user = activation_resend(username=account, email=form.cleaned_data["email"])
            except ServiceError as error:
                add_service_error(form, error)
            else:
                request.session["registered_email"] = user.email
                messages.success(request, _("A new activation link has been sent to your e-mail."))
                return redirect("accounts:register_done")
    return render(request, "accounts/resend_activation.html", {"form": form})


# What the "Menunggu giliran…" page posts again (the form as typed; the CSRF token is
# the page's own, the ticket the queue's).
_LOGIN_FIELDS_NOT_REPOSTED = {"csrfmiddlewaretoken", "ticket"}


def _login_queue(request: HttpRequest) -> HttpResponse | None:
    """A turn in the login queue (mooc/core/admission.py), taken before the password is
    hashed (and before the captcha is looked at, so it still holds when the page comes
    back); None when it is this request's turn. The waiting page posts the form again
    by itself, password included: a never-cached page, to the learner who typed it."""
    username = request.POST.get("username", "")[:150].strip().lower()
    admission = admission_take(
        "login",
        subject=username,
        rate=settings.LOGIN_ADMISSION_RATE,
        max_wait=settings.LOGIN_ADMISSION_MAX_WAIT,
        ticket=request.POST.get("ticket", "")[:500],
    )
    if admission.admitted:
        return None
    fields = [
        (name, str(value)[:1000])
        for name, value in list(request.POST.items())[:12]
        if name not in _LOGIN_FIELDS_NOT_REPOSTED
    ]
    return admission_page(
        request,
        admission,
        title=_("Waiting for your turn…"),
        message=_(
            "Many learners are signing in at this moment. Your turn comes in about "
            "%(seconds)d seconds; this page signs you in by itself."
        ),
        action=reverse("accounts:login"),
        fields=fields,
    )


@never_cache
@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request))
    if request.method == "POST":
        waiting = _login_queue(request)
        if waiting is not None:
            return waiting
    form = LoginForm(request.POST or None)
    problem: str | None = None
    retry_minutes = 0
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            # The captcha is checked first: with a wrong captcha nothing else is looked at.
            problem = "captcha" if "captcha" in form.errors else None
        else:
            try:
                user_login(
                    request=request,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                )
            except LoginRefused as refused:
                problem, retry_minutes = refused.problem, refused.retry_minutes
                status = 429 if problem == "throttled" else 200
            else:
                return HttpResponseRedirect(_safe_next(request))
    context = {"form": form, "problem": problem, "retry_minutes": retry_minutes}
    context["next"] = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "accounts/login.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
