"""Reading certificates. Every read for a person checks who they are: the holder and the
course's staff see a certificate; anyone else gets None, exactly as for a missing one."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db.models import QuerySet

from mooc.catalog.permissions import can_edit_course
from mooc.certificates.models import Certificate, CertificateVersion


def _with_version(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return queryset.select_related("current_version", "course")


def certificate_for_viewer(*, certificate_id: int, user: Any) -> Certificate | None:
    """The certificate if `user` holds it or runs its course; None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    certificate = _with_version(Certificate.objects.filter(pk=certificate_id)).first()
    if certificate is None:
        return None
    if certificate.user_id == user.pk or can_edit_course(user, certificate.course):
        return certificate
    return None


def certificate_of_user_for_course(*, user: Any, course_slug: str) -> Certificate | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return _with_version(Certificate.objects.filter(user=user, course__slug=course_slug)).first()


def certificates_of_user(*, user: Any) -> list[Certificate]:
    return list(_with_version(Certificate.objects.filter(user=user)).order_by("-passed_at"))


def certificate_versions(*, certificate: Certificate) -> list[CertificateVersion]:
    return list(certificate.versions.order_by("-version"))


def certificate_by_code(code: str) -> Certificate | None:
    if not code:
        return None
    return _with_version(Certificate.objects.filter(code=code, number__isnull=False)).first()


def _name_key(name: str, *, drop_titles: bool) -> str:
    """A name as compared: accents, case, commas and spacing ignored; academic titles
    ("Dr.", "S.H.", "M.H.") dropped when asked, so a holder may type the bare name."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = re.split(r"[\s,]+", text)
    if drop_titles:
        words = [word for word in words if "." not in word]
    return " ".join(re.sub(r"[^\w]", "", word) for word in words if re.sub(r"[^\w]", "", word))


def certificate_by_number_and_name(number: str, name: str) -> Certificate | None:
    """A number alone is guessable, so the holder's name must match too."""
    number = number.strip()
    if not number or not name.strip():
        return None
    certificate = _with_version(Certificate.objects.filter(number__iexact=number)).first()
    if certificate is None or certificate.current_version is None:
        return None
    holder = certificate.current_version.holder_name
    typed_full = _name_key(name, drop_titles=False)
    typed_bare = _name_key(name, drop_titles=True)
    if typed_full and typed_full == _name_key(holder, drop_titles=False):
        return certificate
    if typed_bare and typed_bare == _name_key(holder, drop_titles=True):
        return certificate
    return None


def mask_identity(value: str) -> str:
    """Only the last four digits of a NIP are shown publicly."""
    if not value:
        return ""
    return "•" * max(len(value) - 4, 0) + value[-4:]
