"""A learner's copy of their personal data: a zip of JSON files and their own files.

What goes in (`personal_data_collect`): the profile, enrolments, material progress,
favourites, every exam attempt with the questions as shown and the answers chosen,
certificates (their stated data and the current PDF), deletion requests, and the
audit entries about the learner. Left out, deliberately: the options' weights and
feedback (the institution's answer key, not personal data, and what the review mode
may withhold) and, in audit entries made by staff, who they were and their address.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import tempfile
import zipfile
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import User
from mooc.core.errors import ServiceError
from mooc.core.files import private_storage
from mooc.core.ratelimit import ratelimit_hit
from mooc.core.services import audit_log_record
from mooc.privacy.models import DataExport, DataExportState, DeletionRequest

logger = logging.getLogger(__name__)

EXPORT_WINDOW = 24 * 60 * 60
STALE_AFTER = dt.timedelta(minutes=30)

README = """\
Data pribadi Anda / Your personal data
======================================

Berkas ini berisi semua data pribadi Anda yang disimpan platform MOOC ini
(UU 27/2022 tentang Pelindungan Data Pribadi). Setiap berkas .json dapat dibuka
dengan penyunting teks apa pun.

  profile.json            profil akun: nama, NIP/username, email, telepon, jabatan, unit
  enrolments.json         pelatihan yang diikuti, status, nilai akhir, JP
  progress.json           materi yang sudah diselesaikan
  favorites.json          pelatihan favorit
  evaluations.json        evaluasi pelatihan yang Anda isi: jawaban, draf atau terkirim
  attempts.json           setiap percobaan quiz/ujian: soal yang ditampilkan, jawaban
                          yang dipilih, nilai dan status
  certificates.json       sertifikat: nomor, kode verifikasi, data yang tercetak
  deletion_requests.json  permintaan penghapusan akun
  audit_log.json          catatan audit tentang akun Anda
  files/                  foto profil dan PDF sertifikat

Kunci jawaban soal tidak disertakan: itu bahan ujian, bukan data pribadi.
The answer key of the questions is not included: it is exam material, not personal data.
"""


# --- Requesting and serving ----------------------------------------------------------------


def data_export_request(*, user: User, request: HttpRequest | None = None) -> DataExport:
    """Queue a new export for `user`; refused while one is being prepared or past the limit."""
    from mooc.privacy.tasks import data_export_build_task

    unfinished = DataExport.objects.filter(
        user=user, state__in=[DataExportState.PENDING, DataExportState.RUNNING]
    )
    # A worker that died mid-way leaves its export unfinished: after a while it is
    # given up, so the learner is not kept waiting until it expires.
    unfinished.filter(created_at__lt=timezone.now() - STALE_AFTER).update(
        state=DataExportState.FAILED, error="gave up: not finished in time"
    )
    busy = unfinished.exists()
    if busy:
        raise ServiceError(
            _("Your previous download is still being prepared. Refresh this page in a moment."),
            code="in_progress",
        )
    limit = ratelimit_hit(
        "data-export", str(user.pk), limit=settings.DATA_EXPORTS_PER_DAY, window=EXPORT_WINDOW
    )
    if not limit.allowed:
        raise ServiceError(
            _(
                "You have asked for your data %(count)d times in the last 24 hours, the most "
                "allowed. Try again in %(hours)d hour(s)."
            )
            % {"count": limit.limit, "hours": max(1, round(limit.retry_after / 3600))},
            code="rate_limited",
        )
    with transaction.atomic():
        export = DataExport.objects.create(
            user=user,
            expires_at=timezone.now() + dt.timedelta(days=settings.DATA_EXPORT_DAYS),
        )
        audit_log_record(
            actor=user,
            action="privacy.export_requested",
            target=user,
            after={"export": export.pk},
            request=request,
        )
    export_id = export.pk
    transaction.on_commit(lambda: data_export_build_task.delay(export_id), robust=True)
    return export


def data_export_for_owner(*, user: Any, export_id: int) -> DataExport | None:
    """The export if `user` owns it and it can be downloaded now; None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    export = DataExport.objects.filter(pk=export_id, user_id=user.pk).first()
    if export is None or not export.is_downloadable:
        return None
    return export


def data_export_file_name(export: DataExport) -> str:
    stamp = timezone.localtime(export.finished_at or export.created_at).strftime("%Y%m%d-%H%M")
    return f"data-pribadi-{stamp}.zip"


# --- Building ---------------------------------------------------------------------------


def data_export_build(export_id: int) -> None:
    """Write the zip into private storage (run by the Celery task)."""
    export = DataExport.objects.select_related("user").get(pk=export_id)
    if export.state not in (DataExportState.PENDING, DataExportState.FAILED):
        return
    DataExport.objects.filter(pk=export_id).update(state=DataExportState.RUNNING, error="")
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                personal_data_write(archive, export.user)
            size = spool.tell()
            spool.seek(0)
            # A random name: it says nothing about whose data it holds.
            name = private_storage().save(f"data-exports/{secrets.token_hex(16)}.zip", File(spool))
        now = timezone.now()
        DataExport.objects.filter(pk=export_id).update(
            state=DataExportState.DONE,
            file=name,
            size=size,
            finished_at=now,
            expires_at=now + dt.timedelta(days=settings.DATA_EXPORT_DAYS),
        )
    except Exception as error:
        logger.exception("data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(
            state=DataExportState.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise


def _dump(value: Any) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def personal_data_write(archive: zipfile.ZipFile, user: User) -> None:
    documents, files = personal_data_collect(user)
    archive.writestr("README.txt", README)
    for name, document in documents.items():
        archive.writestr(name, _dump(document))
    storage = private_storage()
    for arcname, stored_name in files.items():
        with storage.open(stored_name, "rb") as handle:
            # PDFs and photos are compressed already.
            archive.writestr(arcname, handle.read(), compress_type=zipfile.ZIP_STORED)


def personal_data_collect(user: User) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON documents by file name, and the files to add: {name in zip: stored name}."""
    files: dict[str, str] = {}
    storage = private_storage()
    photo = str(user.photo.name or "")
    if photo and storage.exists(photo):
        files["files/photo" + PurePosixPath(photo).suffix.lower()] = photo
    documents = {
        "profile.json": _profile(user, photo_name=next(iter(files), None)),
        "enrolments.json": _enrolments(user),
        "progress.json": _progress(user),
        "favorites.json": _favorites(user),
        "attempts.json": _attempts(user),
        "evaluations.json": _evaluations(user),
        "certificates.json": _certificates(user, files),
        "deletion_requests.json": _deletion_requests(user),
        "audit_log.json": _audit_entries(user),
    }
    return documents, files


def _profile(user: User, *, photo_name: str | None) -> dict[str, Any]:
    unit = user.unit
    return {
        "username": user.username,
        "employee_type": user.employee_type,
        "nip_kind": user.nip_kind,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "jabatan": user.jabatan,
        "unit": {"code": unit.code, "name": unit.name} if unit else None,
        "instansi": user.instansi,
        "photo": photo_name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "date_joined": user.date_joined,
        "activated_at": user.activated_at,
        "last_login": user.last_login,
        "privacy_consent_at": user.privacy_consent_at,
        "locked_at": user.locked_at,
        "lock_reason": user.lock_reason,
    }


def _enrolments(user: User) -> list[dict[str, Any]]:
    from mooc.catalog.models import Enrollment

    rows = Enrollment.objects.filter(user=user).select_related("course", "unit").order_by("pk")
    return [
        {
            "course": {"slug": row.course.slug, "title": row.course.title},
            "enrolled_at": row.created_at,
            "status": row.status,
            "result": row.result,
            "final_score": row.final_score,
            "completed_at": row.completed_at,
            "jp": row.jp,
            "unit_at_enrolment": row.unit.name if row.unit else None,
        }
        for row in rows
    ]


def _progress(user: User) -> list[dict[str, Any]]:
    from mooc.learning.models import MaterialProgress

    rows = (
        MaterialProgress.objects.filter(user=user)
        .select_related("course", "material__section")
        .order_by("completed_at", "pk")
    )
    return [
        {
            "course": row.course.slug,
            "section": row.material.section.title,
            "material": row.material.title,
            "completed_at": row.completed_at,
        }
        for row in rows
    ]


def _favorites(user: User) -> list[dict[str, Any]]:
    from mooc.catalog.models import Favorite

    rows = Favorite.objects.filter(user=user).select_related("course").order_by("pk")
    return [
        {"course": {"slug": row.course.slug, "title": row.course.title}, "added_at": row.created_at}
        for row in rows
    ]


def _evaluations(user: User) -> list[dict[str, Any]]:
    """The learner's own evaluation answers (also of an anonymous course: they are
    theirs; only the reports leave their name out)."""
    from mooc.evaluation.models import EvaluationResponse

    responses = (
        EvaluationResponse.objects.filter(user=user)
        .select_related("course")
        .prefetch_related("answers__item", "answers__instructor")
        .order_by("pk")
    )
    return [
        {
            "course": {"slug": response.course.slug, "title": response.course.title},
            "sent_at": response.submitted_at,
            "answers": [
                {
                    "group": answer.item.group,
                    "question": answer.item.text,
                    "instructor": answer.instructor.name if answer.instructor else None,
                    "value": answer.value,
                    "text": answer.text,
                }
                for answer in response.answers.all()
            ],
        }
        for response in responses
    ]


def _attempts(user: User) -> list[dict[str, Any]]:
    from mooc.exams.models import Attempt, AttemptQuestion

    questions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    shown = (
        AttemptQuestion.objects.filter(attempt__user=user)
        .select_related("answer", "snapshot")
        .order_by("attempt_id", "position")
    )
    for question in shown.iterator(chunk_size=500):
        answer = getattr(question, "answer", None)
        questions[question.attempt_id].append(
            {
                "position": question.position,
                "type": question.qtype,
                "question": question.text,
                # Text and place on the page only: weights are the answer key.
                "options": [
                    {"position": option.position, "text": option.text}
                    for option in question.shown_options
                ],
                "chosen": list(answer.option_positions) if answer else [],
                "saved_at": answer.saved_at if answer else None,
            }
        )
    attempts = Attempt.objects.filter(user=user).select_related("exam__course").order_by("pk")
    return [
        {
            "course": attempt.exam.course.slug,
            "exam": attempt.exam.title,
            "number": attempt.number,
            "state": attempt.state,
            "started_at": attempt.started_at,
            "deadline": attempt.deadline,
            "submitted_at": attempt.submitted_at,
            "graded_at": attempt.graded_at,
            "score": attempt.score,
            "passed": attempt.passed,
            "extra_minutes": attempt.extra_minutes,
            "questions": questions.get(attempt.pk, []),
        }
        for attempt in attempts
    ]


def _certificates(user: User, files: dict[str, str]) -> list[dict[str, Any]]:
    from mooc.certificates.models import Certificate
    from mooc.certificates.services import (
        certificate_file_name,
        verification_url,
        version_pdf_ensure,
    )

    result = []
    certificates = (
        Certificate.objects.filter(user=user)
        .select_related("course", "current_version")
        .prefetch_related("versions")
        .order_by("pk")
    )
    for certificate in certificates:
        current = certificate.current_version
        pdf_name = None
        if current is not None and certificate.number and not certificate.is_revoked:
            pdf_name = "files/certificates/" + certificate_file_name(certificate, current)
            files[pdf_name] = version_pdf_ensure(current, certificate)
        result.append(
            {
                "number": certificate.number,
                "course": {"slug": certificate.course.slug, "title": certificate.course.title},
                "state": certificate.state,
                "passed_at": certificate.passed_at,
                "issued_at": certificate.issued_at,
                "revoked_at": certificate.revoked_at,
                "revoked_reason": certificate.revoked_reason,
                "verification_url": verification_url(certificate.code)
                if certificate.number
                else None,
                "pdf": pdf_name,
                "versions": [
                    {
                        "version": version.version,
                        "current": current is not None and version.pk == current.pk,
                        "holder_name": version.holder_name,
                        "holder_id_label": version.holder_id_label,
                        "holder_id": version.holder_id,
                        "holder_instansi": version.holder_instansi,
                        "course_title": version.course_title,
                        "jp": version.jp,
                        "passed_on": version.passed_on,
                        "score": version.score,
                        "issuer": version.issuer_name,
                        "written_at": version.created_at,
                    }
                    for version in sorted(certificate.versions.all(), key=lambda v: v.version)
                ],
            }
        )
    return result


def _deletion_requests(user: User) -> list[dict[str, Any]]:
    return [
        {
            "state": row.state,
            "requested_at": row.requested_at,
            "decided_at": row.decided_at,
            "decision_reason": row.decision_reason,
        }
        for row in DeletionRequest.objects.filter(user=user).order_by("pk")
    ]


def _audit_entries(user: User) -> list[dict[str, Any]]:
    """Entries about the learner's account, attempts, certificates and requests, and
    what they did themselves. Staff who acted are named by role only."""
    from mooc.certificates.models import Certificate
    from mooc.core.models import AuditLog
    from mooc.exams.models import Attempt

    def about(model: type[Any], ids: list[int]) -> Q:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        return Q(target_type=content_type, target_id__in=[str(pk) for pk in ids])

    query = (
        Q(actor_id=user.pk)
        | about(User, [user.pk])
        | about(Attempt, list(Attempt.objects.filter(user=user).values_list("pk", flat=True)))
        | about(
            Certificate, list(Certificate.objects.filter(user=user).values_list("pk", flat=True))
        )
        | about(
            DeletionRequest,
            list(DeletionRequest.objects.filter(user=user).values_list("pk", flat=True)),
        )
    )
    entries = AuditLog.objects.filter(query).select_related("target_type").order_by("created_at")
    result = []
    for entry in entries.iterator(chunk_size=500):
        own = entry.actor_id == user.pk
        result.append(
            {
                "time": entry.created_at,
                "action": entry.action,
                "by": "you" if own else ("staff" if entry.actor_label != "system" else "system"),
                "target": entry.target_type.model if entry.target_type else None,
                "target_label": entry.target_label,
                "reason": entry.reason,
                "before": entry.before,
                "after": entry.after,
                "ip": entry.ip if own else None,
            }
        )
    return result
