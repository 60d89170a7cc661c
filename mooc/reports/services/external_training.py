"""Training done elsewhere: an admin adds it to a learner's JP ledger, with evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import User
from mooc.core.errors import ServiceError
from mooc.core.services import audit_log_record
from mooc.reports.models import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES, ExternalTraining

# The first bytes of each accepted kind: a renamed program or web page is refused.
_MAGIC = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


@dataclass(frozen=True)
class ExternalTrainingInput:
    title: str
    organiser: str
    starts_on: dt.date
    ends_on: dt.date
    jp: int
    certificate_number: str
    evidence: UploadedFile
    reason: str


def evidence_validate(upload: UploadedFile) -> None:
    """Refuse an empty, too large or mislabelled evidence file (raises ServiceError)."""
    size = upload.size or 0
    if size == 0:
        raise ServiceError(_("The evidence file is empty."), field="evidence")
    if size > EVIDENCE_MAX_BYTES:
        raise ServiceError(
            _("The evidence file is larger than %(mb)s MB.") % {"mb": EVIDENCE_MAX_BYTES // 2**20},
            field="evidence",
            code="too_large",
        )
    extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in EVIDENCE_EXTENSIONS:
        raise ServiceError(_("Upload a PDF, JPG or PNG file."), field="evidence")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_MAGIC[extension]):
        raise ServiceError(
            _("The file's content does not match its name (.%(ext)s).") % {"ext": extension},
            field="evidence",
        )


def external_training_add(
    *, user: User, data: ExternalTrainingInput, actor: User, request: Any = None
) -> ExternalTraining:
    if data.jp <= 0:
        raise ServiceError(_("JP must be more than 0."), field="jp")
    if data.ends_on < data.starts_on:
        raise ServiceError(_("The end date is before the start date."), field="ends_on")
    reason = data.reason.strip()
    if not reason:
        raise ServiceError(_("Give a reason."), field="reason")
    evidence_validate(data.evidence)
    with transaction.atomic():
        training = ExternalTraining(
            user=user,
            title=data.title.strip(),
            organiser=data.organiser.strip(),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            jp=data.jp,
            certificate_number=data.certificate_number.strip(),
            reason=reason,
            created_by=actor,
        )
        training.evidence.save(data.evidence.name or "bukti", data.evidence, save=False)
        training.save()
        audit_log_record(
            actor=actor,
            action="reports.external_training_add",
            target=training,
            reason=reason,
            after={
                "user": user.pk,
                "title": training.title,
                "organiser": training.organiser,
                "starts_on": training.starts_on.isoformat(),
                "ends_on": training.ends_on.isoformat(),
                "jp": training.jp,
                "certificate_number": training.certificate_number,
                "evidence": training.evidence.name,
            },
            request=request,
        )
    return training
