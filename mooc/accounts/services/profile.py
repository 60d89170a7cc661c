"""The learner's own profile ("Profil") and e-mail change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import TokenPurpose, Unit, User
from mooc.accounts.services.registration import EMAIL_TAKEN
from mooc.accounts.services.tokens import token_consume, token_issue
from mooc.core.emails import email_send
from mooc.core.errors import ServiceError
from mooc.core.images import image_reencode

EMAIL_CHANGE_LIFETIME = dt.timedelta(hours=24)


@transaction.atomic
def profile_update(
    *,
    user: User,
    full_name: str,
    phone: str,
    jabatan: str,
    unit: Unit | None = None,
    instansi: str = "",
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> User:
    """Everything but the NIP/Username, which only an admin can correct."""
    new_photo = image_reencode(photo) if photo is not None else None
    fields: dict[str, Any] = {"full_name": full_name, "phone": phone, "jabatan": jabatan}
    if user.is_internal:
        if unit is None:
            raise ServiceError(_("Choose your central unit or work unit."), field="unit")
        fields["unit"] = unit
    else:
        fields["instansi"] = instansi
    for name, value in fields.items():
        setattr(user, name, value)
    changed = [*fields, "updated_at"]
    old_photo = user.photo.name if user.photo else ""
    if new_photo is not None:
        user.photo.save(new_photo.name or "photo.jpg", new_photo, save=False)
        changed.append("photo")
    elif remove_photo and old_photo:
        user.photo = None  # type: ignore[assignment]
        changed.append("photo")
    user.save(update_fields=changed)
    if "photo" in changed and old_photo:
        storage = user._meta.get_field("photo").storage  # type: ignore[attr-defined]
        transaction.on_commit(lambda: storage.delete(old_photo))
    return user


def email_change_request(*, user: User, new_email: str) -> None:
    """Mail a confirmation link to the new address; the e-mail changes only
    when it is opened, so a typo can't lock anybody out of their account."""
    new_email = new_email.strip()
    if new_email.lower() == user.email.lower():
        raise ServiceError(_("This is already your e-mail address."), field="new_email")
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise ServiceError(EMAIL_TAKEN, field="new_email", code="email_taken")
    with transaction.atomic():
        raw = token_issue(
            user=user,
            purpose=TokenPurpose.EMAIL_CHANGE,
            lifetime=EMAIL_CHANGE_LIFETIME,
            payload={"email": new_email},
        )
        email_send(
            to=[new_email],
            template="email-change",
            context={
                "user": user,
                "new_email": new_email,
                "link": settings.SITE_URL + reverse("accounts:email_confirm", args=[raw]),
            },
        )


def email_change_confirm(*, raw_token: str) -> User:
    try:
        with transaction.atomic():
            token = token_consume(raw=raw_token, purpose=TokenPurpose.EMAIL_CHANGE)
            user = User.objects.select_for_update().get(pk=token.user_id)
            user.email = token.payload["email"]
            user.save(update_fields=["email", "updated_at"])
    except IntegrityError as exc:
        raise ServiceError(EMAIL_TAKEN, code="email_taken") from exc
    return user
