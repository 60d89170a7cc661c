"""What a BPSDM admin does for a learner who writes to the helpdesk.

Every function changes one account and appends one audit entry (actor, reason,
the changed fields before and after, the admin's IP) in the same transaction.
A change that cannot be made raises ServiceError with a message for the admin;
the bulk admin actions count those as skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import AccountToken, TokenPurpose, User
from mooc.accounts.services.registration import activation_send
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record, audit_reason_clean

RELEASED_PREFIX = "released-"

REASON_REQUIRED = _("Give a reason; it is kept in the audit log.")
EMAIL_INVALID = _("Enter a valid e-mail address.")
EMAIL_TAKEN = _("This e-mail address is already registered.")

# Never copied into the audit log: only the fact that they changed.
_SECRET_FIELDS = frozenset({"password"})


def _value(value: Any) -> Any:
    """A field value as the audit log's JSON keeps it."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value)  # a related object: its name, as an admin reads it


def _locked(user: User) -> User:
    """The stored row, locked for this transaction, so two admins clicking at
    once each see the other's change instead of overwriting it."""
    return User.objects.select_for_update().get(pk=user.pk)


def _retire_tokens(user: User, purposes: Iterable[TokenPurpose]) -> None:
    AccountToken.objects.filter(user=user, purpose__in=list(purposes), used_at__isnull=True).update(
        used_at=timezone.now()
    )


def _save_and_record(
    *,
    actor: User | None,
    user: User,
    action: str,
    reason: str,
    changes: Mapping[str, Any],
    request: HttpRequest | None,
) -> User:
    before = {name: _value(getattr(user, name)) for name in changes}
    for name, value in changes.items():
        setattr(user, name, value)
    user.save(update_fields=[*changes, "updated_at"])
    audit_log_record(
        actor=actor,
        action=action,
        target=user,
        reason=reason,
        before=before,
        after={name: _value(value) for name, value in changes.items()},
        request=request,
    )
    return user


@transaction.atomic
def user_activate_by_admin(
    *, actor: User | None, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    """Activate an account whose owner never got (or never clicked) the link."""
    reason = audit_reason_clean(reason, required_message=REASON_REQUIRED)
    user = _locked(user)
    if user.is_activated:
        raise ServiceError(_("The account is already activated."), code="already_activated")
    _retire_tokens(user, [TokenPurpose.ACTIVATION])
    return _save_and_record(
        actor=actor,
        user=user,
        action="user.activated_by_admin",
        reason=reason,
        changes={"activated_at": timezone.now()},
        request=request,
    )


@transaction.atomic
def user_deactivate(
    *, actor: User | None, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    """Keep a person out without deleting their history (enrolments, certificates)."""
    reason = audit_reason_clean(reason, required_message=REASON_REQUIRED)
    user = _locked(user)
    if actor is not None and user.pk == actor.pk:
        raise ServiceError(_("You cannot deactivate your own account."), code="self")
    if not user.is_active:
        raise ServiceError(_("The account is already deactivated."), code="already_inactive")
    return _save_and_record(
        actor=actor,
        user=user,
        action="user.deactivated",
        reason=reason,
        changes={"is_active": False},
        request=request,
    )


@transaction.atomic
def user_reactivate(
    *, actor: User | None, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    reason = audit_reason_clean(reason, required_message=REASON_REQUIRED)
    user = _locked(user)
    if user.is_active:
        raise ServiceError(_("The account is already active."), code="already_active")
    if user.username.startswith(RELEASED_PREFIX):
        # Its NIP went to somebody else; reactivating would bring back a ghost.
        raise ServiceError(
            _("This account's NIP was released; it cannot be reactivated."), code="released"
        )
    return _save_and_record(
        actor=actor,
        user=user,
        action="user.reactivated",
        reason=reason,
        changes={"is_active": True},
        request=request,
    )


@transaction.atomic
def user_unlock(
    *, actor: User | None, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    """Undo the lock that "Bukan saya" puts on an account, once the owner is safe again."""
    reason = audit_reason_clean(reason, required_message=REASON_REQUIRED)
    user = _locked(user)
    if not user.is_locked:
        raise ServiceError(_("The account is not locked."), code="not_locked")
    return _save_and_record(
        actor=actor,
        user=user,
        action="user.unlocked",
        reason=reason,
        changes={"locked_at": None, "lock_reason": ""},
        request=request,
    )


@transaction.atomic
def user_resend_activation(
    *, actor: User | None, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    reason = audit_reason_clean(reason, required_message=REASON_REQUIRED)
    user = _locked(user)
    if user.is_activated:
        raise ServiceError(_("The account is already activated."), code="already_activated")
    if not user.email:
        raise ServiceError(_("The account has no e-mail address."), code="no_email")
    activation_send(user=user)
    audit_log_record(
        actor=actor,
        action="user.activation_resent",
        target=user,
        reason=reason,
        after={"email": user.email},
        request=request,
    )
    return user


def _clean_email(raw: str) -> str:
    email = User.objects.normalize_email(raw.strip())
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(EMAIL_INVALID, field="new_email", code="email_invalid") from None
    return email


@transaction.atomic
def user_correct_email(
    *,
    actor: User | None,
    user: User,
    new_email: str,
    reason: str,
    request: HttpRequest | None = None,
    resend_activation: bool = True,
) -> User:
    """Fix a mistyped e-mail address; an account not yet activated gets a new link there.

    Links already mailed to the old (wrong) address stop working: whoever reads
    that mailbox must not be able to activate somebody else's account.
    """
    reason = audit_reason_clean(reason, required_message=REASON_REQUIRED)
    email = _clean_email(new_email)
    user = _locked(user)
    if email == user.email:
        raise ServiceError(
            _("This is already the account's e-mail address."), field="new_email", code="same"
        )
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ServiceError(EMAIL_TAKEN, field="new_email", code="email_taken")
    _retire_tokens(user, [TokenPurpose.ACTIVATION, TokenPurpose.EMAIL_CHANGE])
    old_email = user.email
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "updated_at"])
    except IntegrityError as exc:  # somebody registered the address a moment ago
        raise ServiceError(EMAIL_TAKEN, field="new_email", code="email_taken") from exc
    after: dict[str, Any] = {"email": email}
    if resend_activation and not user.is_activated:
        activation_send(user=user)
        after["activation_resent"] = True
    audit_log_record(
        actor=actor,
        action="user.email_corrected",
        target=user,
        reason=reason,
        before={"email": old_email},
        after=after,
        request=request,
    )
    return user


@transaction.atomic
def user_release_nip(
    *, actor: User | None, user: User, reason: str, request: HttpRequest | None = None
) -> User:
    """Free a NIP (and e-mail address) that somebody else registered by mistake.

    The account stays, renamed and deactivated, so its history and the audit
    trail keep pointing at something; the real owner can then register.
    """
    reason = audit_reason_clean(reason, required_message=REASON_REQUIRED)
    user = _locked(user)
    if user.is_staff or user.is_superuser:
        raise ServiceError(
            _("A staff account's NIP cannot be released; remove its staff status first."),
            code="staff",
        )
    if user.username.startswith(RELEASED_PREFIX):
        raise ServiceError(_("This NIP has already been released."), code="already_released")
    max_length = User._meta.get_field("username").max_length or 64
    new_username = f"{RELEASED_PREFIX}{user.pk}-{user.username}"[:max_length]
    _retire_tokens(user, TokenPurpose)
    return _save_and_record(
        actor=actor,
        user=user,
        action="user.nip_released",
        reason=reason,
        changes={"username": new_username, "email": "", "is_active": False},
        request=request,
    )


@transaction.atomic
def user_admin_create(
    *, actor: User | None, user: User, request: HttpRequest | None = None
) -> User:
    """Save a user filled in by the admin's "add user" form."""
    user.save()
    audit_log_record(
        actor=actor,
        action="user.created_by_admin",
        target=user,
        after={
            name: _value(getattr(user, name))
            for name in ("username", "employee_type", "full_name", "email", "is_staff")
        },
        request=request,
    )
    return user


@transaction.atomic
def user_admin_update(
    *,
    actor: User | None,
    user: User,
    changed_fields: Collection[str],
    relations: Mapping[str, Iterable[models.Model]] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Save an ordinary admin edit and record the fields it changed.

    `user` already carries the new values (a ModelForm put them there);
    `changed_fields` names them, and the stored row gives the old ones.
    `relations` holds new many-to-many values (roles, permissions), since a
    change of role is exactly what an audit needs to show.
    """
    stored = _locked(user)
    concrete = {field.name: field for field in User._meta.concrete_fields}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    update_fields = []
    for name in changed_fields:
        if name not in concrete:
            continue
        # Compare what is stored (a unit's id, not its name: two units may share one).
        attname = concrete[name].attname
        if _value(getattr(stored, attname)) == _value(getattr(user, attname)):
            continue
        old, new = getattr(stored, name), getattr(user, name)
        update_fields.append(name)
        secret = name in _SECRET_FIELDS
        before[name] = "***" if secret else _value(old)
        after[name] = "***" if secret else _value(new)
    for name, objects in (relations or {}).items():
        new_objects = list(objects)
        old_labels = sorted(str(obj) for obj in getattr(stored, name).all())
        new_labels = sorted(str(obj) for obj in new_objects)
        if old_labels != new_labels:
            before[name], after[name] = old_labels, new_labels
            getattr(user, name).set(new_objects)
    if update_fields:
        user.save(update_fields=[*update_fields, "updated_at"])
    if before or after:
        audit_log_record(
            actor=actor,
            action="user.updated_by_admin",
            target=user,
            reason=reason.strip(),
            before=before,
            after=after,
            request=request,
        )
    return user


@transaction.atomic
def user_password_set_by_admin_record(
    *, actor: User | None, user: User, request: HttpRequest | None = None
) -> None:
    """Django's own admin form sets the password; this records that it happened."""
    audit_log_record(
        actor=actor,
        action="user.password_set_by_admin",
        target=user,
        after={"password": "***", "usable": user.has_usable_password()},
        request=request,
    )
