"""Registration, activation and resending the activation link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import EmployeeType, TokenPurpose, Unit, User
from mooc.accounts.nip import parse_nip
from mooc.accounts.services.tokens import token_consume, token_issue
from mooc.core.emails import email_send
from mooc.core.errors import ServiceError
from mooc.core.ratelimit import ratelimit_hit

NIP_TAKEN = _("This NIP/Username is already registered.")
EMAIL_TAKEN = _("This e-mail address is already registered.")


@dataclass(frozen=True)
class Registration:
    employee_type: EmployeeType
    username: str  # a normalized NIP for internal employees
    full_name: str
    email: str
    phone: str
    jabatan: str
    password: str
    unit: Unit | None = None
    instansi: str = ""


def activation_send(*, user: User) -> None:
    """Mail a fresh activation link; any earlier link stops working."""
    raw = token_issue(
        user=user,
        purpose=TokenPurpose.ACTIVATION,
        lifetime=dt.timedelta(hours=settings.ACTIVATION_LINK_HOURS),
    )
    email_send(
        to=[user.email],
        template="activation",
        context={
            "user": user,
            "link": settings.SITE_URL + reverse("accounts:activate", args=[raw]),
            "hours": settings.ACTIVATION_LINK_HOURS,
        },
    )


def user_register(*, registration: Registration) -> User:
    """Create a not-yet-activated account and mail its activation link.

    Uniqueness is enforced by the database, so two registrations of the same NIP
    at the same moment create one account; the other gets the usual message.
    """
    reg = registration
    if User.objects.filter(username__iexact=reg.username).exists():
        raise ServiceError(NIP_TAKEN, field="username", code="nip_taken")
    if User.objects.filter(email__iexact=reg.email).exists():
        raise ServiceError(EMAIL_TAKEN, field="email", code="email_taken")
    internal = reg.employee_type == EmployeeType.INTERNAL
    user = User(
        username=reg.username,
        employee_type=reg.employee_type,
        nip_kind=parse_nip(reg.username).kind if internal else "",
        unit=reg.unit if internal else None,
        instansi="" if internal else reg.instansi,
        full_name=reg.full_name,
        email=reg.email,
        phone=reg.phone,
        jabatan=reg.jabatan,
        privacy_consent_at=timezone.now(),
    )
    user.set_password(reg.password)
    try:
        with transaction.atomic():
            user.save()
            activation_send(user=user)
    except IntegrityError as exc:
        if User.objects.filter(username__iexact=reg.username).exists():
            raise ServiceError(NIP_TAKEN, field="username", code="nip_taken") from exc
        raise ServiceError(EMAIL_TAKEN, field="email", code="email_taken") from exc
    return user


def registration_submit(*, registration: Registration) -> User | None:
    """The registration form's action: the new account, or None when the NIP/Username
    or the e-mail address already has one.

    The caller shows the same page either way ("check your e-mail"), so the form cannot
    be used to learn who has an account. Instead, the owner of each existing account gets
    a mail saying so, with the way in (log in, "Lupa Password", or a new activation link):
    a learner who forgot they had registered is helped, a prober learns nothing. The
    password is hashed either way, so both outcomes take the same time.
    """
    try:
        return user_register(registration=registration)
    except ServiceError as error:
        if error.code not in ("nip_taken", "email_taken"):
            raise
    make_password(registration.password)
    owners = User.objects.filter(username__iexact=registration.username) | User.objects.filter(
        email__iexact=registration.email
    )
    for owner in owners.distinct():
        registration_exists_notify(user=owner)
    return None


def registration_exists_notify(*, user: User) -> None:
    """Tell an account's owner that someone registered with its NIP or e-mail address;
    at most three such mails a day, so the form cannot be used to flood a mailbox."""
    if not ratelimit_hit("registration-exists", str(user.pk), limit=3, window=86400).allowed:
        return
    email_send(
        to=[user.email],
        template="registration-exists",
        context={
            "user": user,
            "login_link": settings.SITE_URL + reverse("accounts:login"),
            "forgot_link": settings.SITE_URL + reverse("accounts:forgot_password"),
            "resend_link": settings.SITE_URL + reverse("accounts:resend_activation"),
        },
    )


@transaction.atomic
def user_activate(*, raw_token: str) -> User:
    """Activate the account a link belongs to. Raises TokenError (invalid/expired/used)."""
    token = token_consume(raw=raw_token, purpose=TokenPurpose.ACTIVATION)
    user = User.objects.select_for_update().get(pk=token.user_id)
    if user.activated_at is None:
        user.activated_at = timezone.now()
        user.save(update_fields=["activated_at", "updated_at"])
    return user


def activation_resend(*, username: str, email: str) -> User:
    """ "Kirim Ulang Verifikasi": the NIP/Username and the registered e-mail must match."""
    from mooc.accounts.backends import normalize_username

    user = User.objects.filter(
        username__iexact=normalize_username(username), email__iexact=email.strip()
    ).first()
    if user is None:
        raise ServiceError(
            _("The NIP/Username and e-mail address do not match a registered account."),
            code="no_match",
        )
    if user.activated_at is not None:
        raise ServiceError(_("Your account is already active. Please log in."), code="active")
    with transaction.atomic():
        activation_send(user=user)
    return user


def unactivated_accounts_purge(*, older_than_days: int | None = None) -> int:
    """Remove registrations never activated, freeing their NIP and e-mail address."""
    days = settings.UNACTIVATED_ACCOUNT_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - dt.timedelta(days=days)
    stale = User.objects.filter(
        activated_at__isnull=True, last_login__isnull=True, is_staff=False, date_joined__lt=cutoff
    )
    user_ids = list(stale.values_list("pk", flat=True))
    User.objects.filter(pk__in=user_ids).delete()
    return len(user_ids)
