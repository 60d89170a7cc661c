"""Deleting an account at its owner's request: the learner asks (with their password),
an admin approves or rejects with a reason, and approval anonymises the account.

Anonymising, not deleting rows: the learner's attempts, answers, enrolments and progress
stay, without a name, so course statistics and reports keep counting them. What is
removed or blanked: name, NIP/username (replaced by a unique placeholder), e-mail, phone,
position, institution, unit, photo (the file too), the lock reason, favourites, link
tokens, data exports; the password becomes unusable, the account inactive and every
session ends.

Certificates stay: an issued certificate is a document in someone's hands, and its public
verification page must still answer. That page shows only the snapshot written when the
certificate was issued (name, the NIP's last four digits, course, JP, date), which is what
the certificate itself prints; nothing from the account. Certificates still waiting for
their snapshot get it before the account is blanked, and an anonymised holder's
certificates can no longer be reissued (a new version would print the placeholder).

Staff accounts are refused: staff rights and their audit trail are removed by an admin
first (roles taken away), after which the person may ask as a learner.

The audit log is append-only and is not rewritten: entries written before the approval
keep the identifiers they recorded, as the institution's accountability record.
"""

from __future__ import annotations

import logging

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import AccountToken, User
from mooc.accounts.services.mfa import devices_delete
from mooc.core.emails import email_send
from mooc.core.errors import ServiceError
from mooc.core.files import private_storage
from mooc.core.services import audit_log_record
from mooc.privacy.models import DataExport, DeletionRequest, DeletionState
from mooc.privacy.selectors import ANONYMISED_PREFIX, user_is_anonymised

logger = logging.getLogger(__name__)

WRONG_PASSWORD = _("The password is not correct.")
ALREADY_PENDING = _(
    "You have already asked for your account to be deleted. An admin will decide on it soon."
)
STAFF_REFUSED = _(
    "Staff accounts cannot be deleted here. Ask an admin to remove your roles first; "
    "then you may ask again."
)
NOT_PENDING = _("This request has already been decided.")
REASON_REQUIRED = _("Give a reason; it is kept in the audit log and sent to the learner.")


def is_staff_account(user: User) -> bool:
    return bool(user.is_staff or user.is_superuser or user.groups.exists())


# --- The learner ------------------------------------------------------------------------


def deletion_request_create(
    *, user: User, password: str, request: HttpRequest | None = None
) -> DeletionRequest:
    if not user.check_password(password):
        raise ServiceError(WRONG_PASSWORD, field="password", code="wrong_password")
    if is_staff_account(user):
        raise ServiceError(STAFF_REFUSED, code="staff")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # two clicks at once: one request
        if DeletionRequest.objects.filter(user=user, state=DeletionState.PENDING).exists():
            raise ServiceError(ALREADY_PENDING, code="pending")
        deletion = DeletionRequest.objects.create(user=user)
        audit_log_record(
            actor=user,
            action="privacy.deletion_requested",
            target=user,
            after={"request": deletion.pk},
            request=request,
        )
        email_send(
            to=_admin_addresses(),
            template="deletion-requested-admins",
            context={"deletion": deletion},
        )
    return deletion


def deletion_request_cancel(*, user: User, request: HttpRequest | None = None) -> DeletionRequest:
    with transaction.atomic():
        deletion = (
            DeletionRequest.objects.select_for_update()
            .filter(user=user, state=DeletionState.PENDING)
            .first()
        )
        if deletion is None:
            raise ServiceError(NOT_PENDING, code="not_pending")
        deletion.state = DeletionState.CANCELLED
        deletion.decided_at = timezone.now()
        deletion.save(update_fields=["state", "decided_at"])
        audit_log_record(
            actor=user,
            action="privacy.deletion_cancelled",
            target=user,
            after={"request": deletion.pk},
            request=request,
        )
    return deletion


# --- The admin --------------------------------------------------------------------------


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ServiceError(REASON_REQUIRED, field="reason", code="reason_required")
    return reason


def _locked_pending(deletion: DeletionRequest) -> DeletionRequest:
    locked = DeletionRequest.objects.select_for_update().get(pk=deletion.pk)
    if not locked.is_pending:
        raise ServiceError(NOT_PENDING, code="not_pending")
    return locked


def deletion_request_reject(
    *, deletion: DeletionRequest, actor: User, reason: str, request: HttpRequest | None = None
) -> DeletionRequest:
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = _locked_pending(deletion)
        locked.state = DeletionState.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_reason = reason
        locked.save(update_fields=["state", "decided_at", "decided_by", "decision_reason"])
        user = User.objects.get(pk=locked.user_id)
        audit_log_record(
            actor=actor,
            action="privacy.deletion_rejected",
            target=user,
            reason=reason,
            after={"request": locked.pk},
            request=request,
        )
        email_send(
            to=[user.email],
            template="deletion-rejected",
            context={"user": user, "reason": reason},
        )
    return locked


def deletion_request_approve(
    *, deletion: DeletionRequest, actor: User, reason: str, request: HttpRequest | None = None
) -> DeletionRequest:
    """Anonymise the account. The learner is told at their address before it is blanked."""
    from mooc.exams.models import Attempt, AttemptState

    reason = _require_reason(reason)
    _certificates_snapshot(deletion.user_id)
    with transaction.atomic():
        locked = _locked_pending(deletion)
        user = User.objects.select_for_update().get(pk=locked.user_id)
        if is_staff_account(user):
            raise ServiceError(
                _("This account has staff rights now; remove them before approving."),
                code="staff",
            )
        running = Attempt.objects.filter(user=user, state=AttemptState.IN_PROGRESS).exists()
        if running:
            raise ServiceError(
                _("The learner has an exam in progress; approve once it has ended."),
                code="attempt_running",
            )
        email_send(to=[user.email], template="deletion-approved", context={"user": user})
        photo = str(user.photo.name or "")
        changed = user_anonymise(user)
        locked.state = DeletionState.APPROVED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_reason = reason
        locked.save(update_fields=["state", "decided_at", "decided_by", "decision_reason"])
        # Recorded after the change: the entry's label is the placeholder, and it names
        # the fields blanked, never their old values.
        audit_log_record(
            actor=actor,
            action="privacy.account_anonymised",
            target=user,
            reason=reason,
            after={"request": locked.pk, "fields_cleared": changed},
            request=request,
        )
        exports = list(DataExport.objects.filter(user=user).values_list("file", flat=True))
        DataExport.objects.filter(user=user).delete()
        user_id = user.pk
        transaction.on_commit(lambda: _after_anonymise(user_id, [photo, *exports]), robust=True)
    return locked


def _admin_addresses() -> list[str]:
    """Who decides: active superusers and holders of the Admin role, and settings.ADMINS."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db.models import Q

    from mooc.accounts.roles import ROLE_ADMIN

    admins = User.objects.filter(
        Q(is_superuser=True) | Q(groups__in=Group.objects.filter(name=ROLE_ADMIN)),
        is_active=True,
    ).exclude(email="")
    return sorted({*admins.values_list("email", flat=True), *(a for _, a in settings.ADMINS)})


def _certificates_snapshot(user_id: int) -> None:
    """Write the snapshot of certificates issued a moment ago while the name is there."""
    from mooc.certificates.models import Certificate
    from mooc.certificates.services import certificate_complete

    waiting = Certificate.objects.filter(user_id=user_id, current_version__isnull=True)
    for certificate_id in waiting.values_list("pk", flat=True):
        certificate_complete(certificate_id)


def user_anonymise(user: User) -> list[str]:
    """Blank the account's personal fields (in the caller's transaction); the names of
    the fields changed."""
    from mooc.catalog.models import Favorite

    if user_is_anonymised(user):
        raise ServiceError(_("This account has already been anonymised."), code="anonymised")
    changes = {
        "username": f"{ANONYMISED_PREFIX}{user.pk}",
        "full_name": "",
        "email": "",
        "phone": "",
        "jabatan": "",
        "instansi": "",
        "unit": None,
        "photo": "",
        "lock_reason": "",
        "last_login": None,
        "is_active": False,
    }
    changed = [name for name, value in changes.items() if getattr(user, name) != value]
    for name, value in changes.items():
        setattr(user, name, value)
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    AccountToken.objects.filter(user=user).delete()
    Favorite.objects.filter(user=user).delete()
    devices_delete(user)  # a learner's authenticator and recovery codes, if they had them
    return [*changed, "password"]


def _after_anonymise(user_id: int, stored_files: list[str]) -> None:
    storage = private_storage()
    for name in stored_files:
        if name:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not delete a file of anonymised user %s", user_id)
    sessions_end(user_id)


def sessions_end(user_id: int) -> int:
    """Delete every live session of the user (the password change already voids them;
    this removes them from the database and the cache too)."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator(chunk_size=1000):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user_id):
            store(session.session_key).delete()
            ended += 1
    return ended
