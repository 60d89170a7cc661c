"""Forgotten and changed passwords, and "Bukan saya" (it was not me)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.accounts.backends import normalize_username
from mooc.accounts.models import TokenPurpose, User
from mooc.accounts.services.devices import devices_revoke_all
from mooc.accounts.services.tokens import token_consume, token_issue
from mooc.core.emails import email_send
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record

STEP_TOKEN_LIFETIME = dt.timedelta(minutes=15)
NOT_ME_LIFETIME = dt.timedelta(days=7)
# An imported account's first-password link: people read work mail at their own pace;
# after that, "Lupa Password" (NIP/Username and this e-mail address) still works.
ACCOUNT_SETUP_LIFETIME = dt.timedelta(days=14)


def password_reset_verify(*, username: str, email: str) -> str:
    """The seed's "Lupa Password": NIP/Username and e-mail must match; nothing is
    mailed. Returns a step token, valid 15 minutes and once, for that user only."""
    user = User.objects.filter(
        username__iexact=normalize_username(username), email__iexact=email.strip()
    ).first()
    if user is None:
        raise ServiceError(
            _("The NIP/Username and e-mail address do not match a registered account."),
            code="no_match",
        )
    if not user.is_active or user.is_locked:
        raise ServiceError(
            _("This account cannot be used. Please contact the BPSDM admin."), code="blocked"
        )
    return token_issue(user=user, purpose=TokenPurpose.PASSWORD_STEP, lifetime=STEP_TOKEN_LIFETIME)


def _notify_password_changed(user: User) -> None:
    raw = token_issue(user=user, purpose=TokenPurpose.NOT_ME, lifetime=NOT_ME_LIFETIME)
    email_send(
        to=[user.email],
        template="password-changed",
        context={
            "user": user,
            "when": timezone.now(),
            "not_me_link": settings.SITE_URL + reverse("accounts:not_me", args=[raw]),
        },
    )


@transaction.atomic
def password_reset_complete(
    *, raw_token: str, password: str, request: HttpRequest | None = None
) -> User:
    """Set the new password. Every session of the user ends: Django ties a
    session to the password hash, which has just changed."""
    token = token_consume(raw=raw_token, purpose=TokenPurpose.PASSWORD_STEP)
    user = User.objects.select_for_update().get(pk=token.user_id)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    devices_revoke_all(user)
    audit_log_record(actor=user, action="user.password_reset", target=user, request=request)
    _notify_password_changed(user)
    return user


@transaction.atomic
def password_change(*, user: User, password: str, request: HttpRequest | None = None) -> User:
    """ "Pengaturan": the form has checked the old password already."""
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    devices_revoke_all(user)  # the app's devices sign in again, like the other sessions
    audit_log_record(actor=user, action="user.password_changed", target=user, request=request)
    _notify_password_changed(user)
    return user


def _admin_addresses() -> list[str]:
    admins = User.objects.filter(
        Q(is_superuser=True) | Q(groups__in=Group.objects.filter(name="Admin")),
        is_active=True,
    ).exclude(email="")
    return sorted({*admins.values_list("email", flat=True), *(a for _, a in settings.ADMINS)})


@transaction.atomic
def account_lock_not_me(*, raw_token: str, request: HttpRequest | None = None) -> User:
    """The owner says a password change was not theirs: lock the account (its
    sessions end at their next request) and alert the admins."""
    token = token_consume(raw=raw_token, purpose=TokenPurpose.NOT_ME)
    user = User.objects.select_for_update().get(pk=token.user_id)
    user.locked_at = timezone.now()
    user.lock_reason = "Bukan saya"
    user.save(update_fields=["locked_at", "lock_reason", "updated_at"])
    audit_log_record(
        actor=None,
        action="user.locked_not_me",
        target=user,
        reason="The owner reported a password change that was not theirs.",
        after={"locked_at": user.locked_at.isoformat()},
        request=request,
    )
    email_send(
        to=_admin_addresses(),
        template="account-locked-admins",
        context={
            "locked_user": user,
            "admin_link": settings.SITE_URL + reverse("admin:accounts_user_change", args=[user.pk]),
        },
    )
    return user


# --- Imported accounts: the first password ---------------------------------------------


def account_setup_mail(*, user: User) -> None:
    """Mail an imported account a single-use link to set its first password (any older
    link of the kind stops working). Written in the institution's language."""
    if not user.email or user.has_usable_password():
        return
    raw = token_issue(
        user=user, purpose=TokenPurpose.ACCOUNT_SETUP, lifetime=ACCOUNT_SETUP_LIFETIME
    )
    email_send(
        to=[user.email],
        template="account-setup",
        context={
            "user": user,
            "link": settings.SITE_URL + reverse("accounts:account_setup", args=[raw]),
            "days": ACCOUNT_SETUP_LIFETIME.days,
        },
        notice=True,
    )


@transaction.atomic
def account_setup_complete(
    *, raw_token: str, password: str, request: HttpRequest | None = None
) -> User:
    """The imported account's owner sets the first password through the mailed link;
    the account is activated if it was not yet."""
    token = token_consume(raw=raw_token, purpose=TokenPurpose.ACCOUNT_SETUP)
    user = User.objects.select_for_update().get(pk=token.user_id)
    if not user.is_active or user.is_locked:
        raise ServiceError(
            _("This account cannot be used. Please contact the BPSDM admin."), code="blocked"
        )
    user.set_password(password)
    fields = ["password", "updated_at"]
    if user.activated_at is None:
        user.activated_at = timezone.now()
        fields.append("activated_at")
    user.save(update_fields=fields)
    audit_log_record(actor=user, action="user.account_setup", target=user, request=request)
    return user
