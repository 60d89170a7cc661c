"""Writing certificates: issuing, numbering, rendering, correcting and revoking.

Issuing happens inside the transaction that grades the passing attempt (so a
certificate exists exactly when the enrolment is passed). The number is taken right
after that transaction commits, in a short transaction of its own: the sequence row is
the one thing every passing learner must take in turn, and holding it for the rest of
the grading would serialise submits. The number is gap-free because the sequence row
is only moved in the transaction that writes the number; if that fails, both roll back.
A certificate left without a number (the process died in between) is numbered by the
periodic job a minute later.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mooc.accounts.models import EmployeeType, User
from mooc.accounts.nip import EmployeeKind
from mooc.catalog.models import Course, Enrollment, EnrollmentResult
from mooc.certificates.models import (
    Certificate,
    CertificateDesign,
    CertificateSequence,
    CertificateState,
    CertificateVersion,
)
from mooc.certificates.pdf import CertificateContent, CertificateLayout, render_certificate
from mooc.core.emails import email_send
from mooc.core.errors import ServiceError
from mooc.core.files import private_storage
from mooc.core.selectors import site_settings_get
from mooc.core.services import audit_log_record, audit_reason_clean

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a code read aloud or typed from paper is not misread. 16 characters of
# 31 symbols are about 79 bits: not guessable, even at the verification page's rate limit.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_normalise(raw: str) -> str:
    """What a person typed (spaces, dashes, lower case) as a stored code."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("certificates:verify", args=[code])


# --- Designs ------------------------------------------------------------------------------------


def design_for_course(course: Course) -> CertificateDesign | None:
    """The course's own design, else the institution's default (None: built-in defaults)."""
    own = CertificateDesign.objects.filter(courses=course).order_by("-updated_at").first()
    return own or CertificateDesign.objects.filter(is_default=True).first()


def _layout_snapshot(design: CertificateDesign | None) -> dict[str, Any]:
    """The design's texts, colours, signatory and image names, frozen into a version."""
    site = site_settings_get()
    defaults = CertificateLayout()
    if design is None:
        layout: dict[str, Any] = {
            "title": defaults.title,
            "intro_text": defaults.intro_text,
            "body_text": defaults.body_text,
            "footer_text": defaults.footer_text,
            "primary_colour": site.primary_colour,
            "text_colour": defaults.text_colour,
            "show_score": defaults.show_score,
            "place": "",
            "background": None,
            "logo": None,
            "signatory_name": "",
            "signatory_title": "",
            "signatory_nip": "",
            "signature": None,
        }
    else:
        layout = {
            "title": design.title,
            "intro_text": design.intro_text,
            "body_text": design.body_text,
            "footer_text": design.footer_text,
            "primary_colour": design.primary_colour,
            "text_colour": design.text_colour,
            "show_score": design.show_score,
            "place": design.place,
            "background": ["private", design.background.name] if design.background else None,
            "logo": ["private", design.logo.name] if design.logo else None,
            "signatory_name": design.signatory_name,
            "signatory_title": design.signatory_title,
            "signatory_nip": design.signatory_nip,
            "signature": (
                ["private", design.signature_image.name] if design.signature_image else None
            ),
        }
    # Empty signatory and logo fall back to the site settings, as the design form says.
    if not layout["signatory_name"]:
        layout["signatory_name"] = site.signatory_name
        layout["signatory_title"] = site.signatory_title
        layout["signatory_nip"] = site.signatory_nip
        if layout["signature"] is None and site.signature_image:
            layout["signature"] = ["private", site.signature_image.name]
    if layout["logo"] is None and site.logo:
        layout["logo"] = ["public", site.logo.name]
    return layout


def _holder_fields(user: User) -> dict[str, str]:
    if user.employee_type == EmployeeType.INTERNAL:
        label = "NI PPPK" if user.nip_kind == EmployeeKind.PPPK else "NIP"
        unit_name = user.unit.name if user.unit_id and user.unit else ""
        return {
            "holder_id_label": label,
            "holder_id": user.username,
            "holder_instansi": user.instansi or unit_name,
        }
    return {"holder_id_label": "", "holder_id": "", "holder_instansi": user.instansi}


def _version_write(
    *,
    certificate: Certificate,
    user: User,
    course_title: str,
    jp: int,
    passed_on: dt.date,
    score: Any,
    design: CertificateDesign | None,
    actor: User | None,
    reason: str,
) -> CertificateVersion:
    last = certificate.versions.order_by("-version").values_list("version", flat=True).first()
    version = CertificateVersion.objects.create(
        certificate=certificate,
        version=(last or 0) + 1,
        holder_name=(user.full_name or user.username)[:200],
        course_title=course_title[:300],
        jp=jp,
        passed_on=passed_on,
        score=score,
        issuer_name=site_settings_get().name,
        layout=_layout_snapshot(design),
        design=design,
        reason=reason,
        created_by=actor,
        **_holder_fields(user),
    )
    certificate.current_version = version
    certificate.save(update_fields=["current_version"])
    return version


# --- Issuing ------------------------------------------------------------------------------------


def certificate_issue(
    enrollment: Enrollment, *, now: dt.datetime | None = None
) -> Certificate | None:
    """Create the certificate of a passed enrolment, inside the caller's transaction.

    Called by the exam engine, in the grading transaction, when an enrolment first
    becomes passed: the certificate row (its code, series, year and passing time) lands
    with the grade or not at all. What it states (the version snapshot) and its number
    are written right after the commit by `certificate_complete`, in the background,
    so the submit request pays for one INSERT only; any page that shows the
    certificate completes it first if the background has not yet. Returns None when
    the course gives no certificate. Idempotent: an existing certificate is returned.
    """
    if enrollment.result != EnrollmentResult.PASSED:
        raise ServiceError(_("Only a passed course gives a certificate."), code="not_passed")
    course = enrollment.course
    if not course.gives_certificate:
        return None
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    passed_at = enrollment.completed_at or now
    certificate = Certificate.objects.create(
        enrollment=enrollment,
        user_id=enrollment.user_id,
        course=course,
        series=site_settings_get().short_name,
        year=timezone.localtime(passed_at).year,
        code=code_new(),
        passed_at=passed_at,
        issued_at=now,
    )
    certificate_id = certificate.pk
    transaction.on_commit(lambda: certificate_after_issue(certificate_id), robust=True)
    return certificate


def certificate_after_issue(certificate_id: int) -> None:
    """After the grade commits: snapshot, number, render and mail, in the background,
    once the end-of-exam rush is over (`CERTIFICATE_BACKGROUND_DELAY`)."""
    from mooc.certificates.tasks import certificate_issued_task

    certificate_issued_task.apply_async(
        args=(certificate_id,), countdown=settings.CERTIFICATE_BACKGROUND_DELAY
    )


def certificate_complete(certificate_id: int) -> Certificate:
    """Write what the certificate states (version 1) and give it its number, once.

    Idempotent and safe to run concurrently (the background task, a learner opening
    the certificate page, the periodic job): the version is written under the
    certificate's row lock, the number in `certificate_number_assign`.
    """
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.current_version_id is None:
        with transaction.atomic():
            locked = (
                Certificate.objects.select_for_update(of=("self",))
                .select_related("course", "enrollment")
                .get(pk=certificate_id)
            )
            if locked.current_version_id is None:
                user = User.objects.select_related("unit").get(pk=locked.user_id)
                enrollment = locked.enrollment
                _version_write(
                    certificate=locked,
                    user=user,
                    course_title=locked.course.title,
                    jp=enrollment.jp,
                    passed_on=timezone.localtime(locked.passed_at).date(),
                    score=enrollment.final_score,
                    design=design_for_course(locked.course),
                    actor=None,
                    reason="",
                )
    if certificate.number is None:
        certificate_number_assign(certificate_id)
    return Certificate.objects.select_related("current_version", "course", "user").get(
        pk=certificate_id
    )


def certificate_issued_finish(certificate_id: int) -> None:
    """The background half of issuing: snapshot and number (if a page has not done it
    already), the stored PDF, and the congratulation mail."""
    certificate = certificate_complete(certificate_id)
    if certificate.number is None:
        return  # numbering failed (logged); the periodic job tries again
    if certificate.current_version is not None and not certificate.is_revoked:
        version_pdf_ensure(certificate.current_version, certificate)
    certificate_issued_email(certificate)


def certificate_issued_email(certificate: Certificate) -> None:
    user = certificate.user
    version = certificate.current_version
    email_send(
        to=[user.email],
        template="certificate-issued",
        context={
            "user": user,
            "certificate": certificate,
            "course_title": version.course_title if version else certificate.course.title,
            "certificate_url": settings.SITE_URL
            + reverse("certificates:detail", args=[certificate.pk]),
        },
    )


def _sequence_next(series: str, year: int) -> int:
    """The next number in the series and year; the caller's transaction holds the row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO certificates_certificatesequence (series, year, last) "
                "VALUES (%s, %s, 1) ON CONFLICT (series, year) "
                "DO UPDATE SET last = certificates_certificatesequence.last + 1 "
                "RETURNING last",
                [series, year],
            )
            row = cursor.fetchone()
            assert row is not None
            return int(row[0])
    CertificateSequence.objects.get_or_create(series=series, year=year)
    sequence = CertificateSequence.objects.select_for_update().get(series=series, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def certificate_number_assign(certificate_id: int) -> str | None:
    """Give the certificate its number (once); returns it, or None when numbering failed."""
    try:
        with transaction.atomic():
            certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
            if certificate.number:
                return certificate.number
            sequence = _sequence_next(certificate.series, certificate.year)
            fmt = site_settings_get().certificate_number_format
            certificate.sequence = sequence
            certificate.number = fmt.format(
                short_name=certificate.series, year=certificate.year, seq=sequence
            )
            certificate.save(update_fields=["sequence", "number"])
            return certificate.number
    except IntegrityError:
        # E.g. a changed number format that repeats an earlier number: the admin must
        # fix the format; the periodic job tries again.
        logger.exception("certificate %s could not be numbered", certificate_id)
        return None


def certificates_finish_pending(older_than_seconds: int | None = None) -> int:
    """Finish certificates whose background task was lost (the periodic job): those
    still without a snapshot or a number a minute after their task was due."""
    if older_than_seconds is None:
        older_than_seconds = settings.CERTIFICATE_BACKGROUND_DELAY + 60
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    pending = Certificate.objects.filter(
        Q(number__isnull=True) | Q(current_version__isnull=True), issued_at__lt=cutoff
    ).values_list("pk", flat=True)
    numbered = 0
    for pk in list(pending[:5000]):
        certificate_issued_finish(pk)
        if Certificate.objects.filter(pk=pk, number__isnull=False).exists():
            numbered += 1
    return numbered


# --- Rendering ----------------------------------------------------------------------------------


def _storage(kind: str) -> Storage:
    return private_storage() if kind == "private" else default_storage


def _asset_bytes(ref: Any, cache: dict[str, bytes | None] | None) -> bytes | None:
    if not ref:
        return None
    kind, name = ref
    key = f"{kind}:{name}"
    if cache is not None and key in cache:
        return cache[key]
    data: bytes | None
    try:
        with _storage(kind).open(name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError, ValueError):
        logger.warning("certificate image %s is missing", key)
        data = None
    if cache is not None:
        cache[key] = data
    return data


def version_content(
    version: CertificateVersion, certificate: Certificate, *, revoked_on: dt.date | None = None
) -> CertificateContent:
    layout = version.layout
    return CertificateContent(
        number=certificate.number or "",
        holder_name=version.holder_name,
        holder_id_label=version.holder_id_label,
        holder_id=version.holder_id,
        holder_instansi=version.holder_instansi,
        course_title=version.course_title,
        jp=version.jp,
        passed_on=version.passed_on,
        score=version.score,
        issuer_name=version.issuer_name,
        place=str(layout.get("place", "")),
        signatory_name=str(layout.get("signatory_name", "")),
        signatory_title=str(layout.get("signatory_title", "")),
        signatory_nip=str(layout.get("signatory_nip", "")),
        verification_url=verification_url(certificate.code),
        revoked_on=revoked_on,
    )


def version_layout(
    version_layout_data: dict[str, Any], *, assets: dict[str, bytes | None] | None = None
) -> CertificateLayout:
    data = version_layout_data
    defaults = CertificateLayout()
    return CertificateLayout(
        title=str(data.get("title") or defaults.title),
        intro_text=str(data.get("intro_text", defaults.intro_text)),
        body_text=str(data.get("body_text", defaults.body_text)),
        footer_text=str(data.get("footer_text", "")),
        primary_colour=str(data.get("primary_colour") or defaults.primary_colour),
        text_colour=str(data.get("text_colour") or defaults.text_colour),
        show_score=bool(data.get("show_score", False)),
        logo=_asset_bytes(data.get("logo"), assets),
        background=_asset_bytes(data.get("background"), assets),
        signature=_asset_bytes(data.get("signature"), assets),
    )


def version_render(
    version: CertificateVersion,
    certificate: Certificate,
    *,
    assets: dict[str, bytes | None] | None = None,
) -> bytes:
    revoked_on = (
        timezone.localdate(certificate.revoked_at)
        if certificate.is_revoked and certificate.revoked_at
        else None
    )
    return render_certificate(
        version_content(version, certificate, revoked_on=revoked_on),
        version_layout(version.layout, assets=assets),
    )


def version_pdf_ensure(
    version: CertificateVersion,
    certificate: Certificate,
    *,
    assets: dict[str, bytes | None] | None = None,
) -> str:
    """The stored PDF of a valid certificate's version, rendered and stored if missing."""
    storage = private_storage()
    seen = str(version.pdf.name or "")
    if seen and storage.exists(seen):
        return seen
    data = version_render(version, certificate, assets=assets)
    name = storage.save(
        f"certificates/{certificate.year}/{certificate.code}-v{version.version}.pdf",
        ContentFile(data),
    )
    # Another request may have rendered it meanwhile: keep the first, drop ours.
    # (A stored name whose file went missing is replaced the same way.)
    updated = CertificateVersion.objects.filter(pk=version.pk, pdf=seen).update(pdf=name)
    if not updated:
        storage.delete(name)
        version.refresh_from_db(fields=["pdf"])
        return str(version.pdf.name)
    version.pdf.name = name
    return name


def certificate_pdf_bytes(certificate: Certificate, version: CertificateVersion) -> bytes:
    """The PDF to hand out: a revoked certificate is always rendered with its revoked mark."""
    if certificate.is_revoked or not certificate.number:
        return version_render(version, certificate)
    name = version_pdf_ensure(version, certificate)
    with private_storage().open(name, "rb") as handle:
        return bytes(handle.read())


def certificate_file_name(certificate: Certificate, version: CertificateVersion) -> str:
    safe_number = (certificate.number or certificate.code).replace("/", "-")
    suffix = f"-v{version.version}" if version.version > 1 else ""
    return f"sertifikat-{safe_number}{suffix}.pdf"


# --- Corrections and revocation (admin) -------------------------------------------------------


def certificate_reissue(
    *, certificate: Certificate, actor: User, reason: str, request: Any = None
) -> CertificateVersion:
    """A new version after a correction: the same number and code, the holder's current
    name and identity, the course's current title and the current design."""
    reason = audit_reason_clean(reason)
    with transaction.atomic():
        locked = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("course")
            .get(pk=certificate.pk)
        )
        if locked.is_revoked:
            raise ServiceError(_("A revoked certificate cannot be reissued."), code="revoked")
        previous = locked.current_version
        user = User.objects.select_related("unit").get(pk=locked.user_id)
        if user.is_anonymised:
            # A new version would print the placeholder instead of what was certified.
            raise ServiceError(
                _("The holder's account was deleted at their request; reissuing is not possible."),
                code="holder_anonymised",
            )
        version = _version_write(
            certificate=locked,
            user=user,
            course_title=locked.course.title,
            jp=previous.jp if previous else locked.enrollment.jp,
            passed_on=previous.passed_on if previous else timezone.localdate(locked.passed_at),
            score=previous.score if previous else None,
            design=design_for_course(locked.course),
            actor=actor,
            reason=reason,
        )
        audit_log_record(
            actor=actor,
            action="certificate.reissue",
            target=locked,
            reason=reason,
            before={"version": previous.version if previous else None}
            | (_version_summary(previous) if previous else {}),
            after={"version": version.version} | _version_summary(version),
            request=request,
        )
        _holder_notice(locked, user, "certificate-reissued", version=version, reason=reason)
    certificate_id, version_id = locked.pk, version.pk
    transaction.on_commit(lambda: _render_after_commit(certificate_id, version_id), robust=True)
    certificate.refresh_from_db()
    return version


def certificates_reissue_for_holder(
    *, certificates: list[Certificate], actor: User, reason: str, request: Any = None
) -> list[CertificateVersion]:
    """Reissue several certificates of one holder after their name or identity changed:
    all of them, or (on any refusal) none; each gets its own version and audit entry."""
    with transaction.atomic():
        return [
            certificate_reissue(certificate=c, actor=actor, reason=reason, request=request)
            for c in certificates
        ]


def _version_summary(version: CertificateVersion) -> dict[str, Any]:
    return {
        "holder_name": version.holder_name,
        "holder_id": version.holder_id,
        "course_title": version.course_title,
        "design": version.design_id,
    }


def _render_after_commit(certificate_id: int, version_id: int) -> None:
    from mooc.certificates.tasks import certificate_render_task

    certificate_render_task.delay(certificate_id, version_id)


def certificate_revoke(
    *, certificate: Certificate, actor: User, reason: str, request: Any = None
) -> Certificate:
    reason = audit_reason_clean(reason)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.is_revoked:
            raise ServiceError(_("This certificate is already revoked."), code="revoked")
        locked.state = CertificateState.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.save(update_fields=["state", "revoked_at", "revoked_reason"])
        audit_log_record(
            actor=actor,
            action="certificate.revoke",
            target=locked,
            reason=reason,
            before={"state": CertificateState.VALID},
            after={"state": CertificateState.REVOKED, "revoked_at": locked.revoked_at.isoformat()},
            request=request,
        )
        holder = User.objects.get(pk=locked.user_id)
        _holder_notice(locked, holder, "certificate-revoked")
    certificate.refresh_from_db()
    return certificate


def _holder_notice(certificate: Certificate, user: User, template: str, **context: Any) -> None:
    """The holder hears of a reissue or a revocation (queued; sent once it commits)."""
    version = certificate.current_version
    email_send(
        to=[user.email],
        template=template,
        context={
            "user": user,
            "certificate": certificate,
            "course_title": version.course_title if version else certificate.course.title,
            "certificate_url": settings.SITE_URL
            + reverse("certificates:detail", args=[certificate.pk]),
            **context,
        },
        notice=True,
    )


# --- Bulk export ----------------------------------------------------------------------------


def certificate_export_start(*, course: Course, actor: User, request: Any = None) -> Any:
    """Queue a zip of the course's valid certificates; the task reports its progress."""
    from mooc.certificates.models import CertificateExport
    from mooc.certificates.tasks import certificate_export_task

    total = Certificate.objects.filter(
        course=course, state=CertificateState.VALID, number__isnull=False
    ).count()
    if total == 0:
        raise ServiceError(_("This course has no certificates to download yet."), code="empty")
    with transaction.atomic():
        export = CertificateExport.objects.create(course=course, requested_by=actor, total=total)
        audit_log_record(
            actor=actor,
            action="certificate.export",
            target=course,
            after={"export": export.pk, "certificates": total},
            request=request,
        )
    export_id = export.pk
    transaction.on_commit(lambda: certificate_export_task.delay(export_id), robust=True)
    return export


def certificate_export_build(export_id: int) -> None:
    """Write the zip (PDFs stored as they are: they are compressed already)."""
    import tempfile
    import zipfile

    from django.core.files import File

    from mooc.certificates.models import CertificateExport, ExportState

    export = CertificateExport.objects.get(pk=export_id)
    if export.state not in (ExportState.PENDING, ExportState.FAILED):
        return
    CertificateExport.objects.filter(pk=export_id).update(state=ExportState.RUNNING, done=0)
    certificates = (
        Certificate.objects.filter(
            course_id=export.course_id, state=CertificateState.VALID, number__isnull=False
        )
        .select_related("current_version")
        .order_by("sequence", "pk")
    )
    assets: dict[str, bytes | None] = {}
    done = 0
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
                for certificate in certificates.iterator(chunk_size=500):
                    version = certificate.current_version
                    if version is None:
                        continue
                    name = version_pdf_ensure(version, certificate, assets=assets)
                    with private_storage().open(name, "rb") as handle:
                        archive.writestr(certificate_file_name(certificate, version), handle.read())
                    done += 1
                    if done % 50 == 0:
                        CertificateExport.objects.filter(pk=export_id).update(done=done)
            spool.seek(0)
            slug = export.course.slug
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            export.file.save(f"sertifikat-{slug}-{stamp}.zip", File(spool), save=False)
        CertificateExport.objects.filter(pk=export_id).update(
            state=ExportState.DONE,
            done=done,
            total=max(done, export.total),
            file=export.file.name,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("certificate export %s failed", export_id)
        CertificateExport.objects.filter(pk=export_id).update(
            state=ExportState.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
