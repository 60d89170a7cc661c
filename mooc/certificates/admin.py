"""Certificates in the admin: designs with a preview, the list with corrections and
revocation (both need a reason and go to the audit log), and zip exports per course."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mooc.catalog.permissions import (
    CourseScopedAdmin,
    EditableCourseFilter,
    can_edit_course,
    courses_editable_by,
)
from mooc.certificates.forms import ExportForm
from mooc.certificates.models import (
    Certificate,
    CertificateDesign,
    CertificateExport,
    CertificateState,
    CertificateVersion,
    ExportState,
)
from mooc.certificates.pdf import CertificateContent, render_certificate
from mooc.certificates.services import (
    _layout_snapshot,
    certificate_export_start,
    certificate_reissue,
    certificate_revoke,
    certificates_reissue_for_holder,
    version_layout,
)
from mooc.core.admin_views import ReasonForm, admin_page, admin_urls_add
from mooc.core.errors import ServiceError, add_service_error
from mooc.core.files import PrivateFileSystemStorage, private_file_response
from mooc.core.images import PixelLimitedImageField
from mooc.core.selectors import site_settings_get

# --- Designs --------------------------------------------------------------------------------


class CertificateDesignForm(forms.ModelForm[CertificateDesign]):
    class Meta:
        model = CertificateDesign
        fields = (
            "name",
            "is_default",
            "courses",
            "title",
            "intro_text",
            "body_text",
            "footer_text",
            "place",
            "primary_colour",
            "text_colour",
            "show_score",
            "background",
            "logo",
            "signatory_name",
            "signatory_title",
            "signatory_nip",
            "signature_image",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        courses = cleaned.get("courses")
        if cleaned.get("is_default") and courses:
            raise forms.ValidationError(
                _("The default design is for every course: leave its course list empty.")
            )
        if courses:
            taken = (
                CertificateDesign.objects.filter(courses__in=courses)
                .exclude(pk=self.instance.pk)
                .values_list("courses__title", "name")
                .distinct()
            )
            clashes = [f"{course} ({design})" for course, design in taken]
            if clashes:
                self.add_error(
                    "courses",
                    gettext("These courses already use another design: %(list)s.")
                    % {"list": ", ".join(clashes[:10])},
                )
        return cleaned


def _sample_content() -> CertificateContent:
    from mooc.certificates.services import verification_url

    return CertificateContent(
        number=site_settings_get().certificate_number_format.format(
            short_name=site_settings_get().short_name, year=timezone.localdate().year, seq=123
        ),
        holder_name="Dr. Rina Wulandari, S.H., M.H.",
        holder_id_label="NIP",
        holder_id="198609262015051001",
        holder_instansi="",
        course_title="Etika Pelayanan Publik bagi Aparatur Sipil Negara",
        jp=20,
        passed_on=timezone.localdate(),
        score=Decimal("87.50"),
        issuer_name=site_settings_get().name,
        place="",
        signatory_name="",
        signatory_title="",
        signatory_nip="",
        verification_url=verification_url("PREVIEW" + "X" * 9),
    )


@admin.register(CertificateDesign)
class CertificateDesignAdmin(admin.ModelAdmin[CertificateDesign]):
    # Stored as uploaded and decoded for every PDF: the pixel limit is checked first
    # (issue 14, F3).
    formfield_overrides = {models.ImageField: {"form_class": PixelLimitedImageField}}
    form = CertificateDesignForm

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.FileField) and isinstance(
            db_field.storage, PrivateFileSystemStorage
        ):
            # A private file has no URL to link to (Django's "currently: …" link would fail
            # with a 500 once an image is stored): a plain upload field; the preview shows it.
            kwargs["widget"] = forms.FileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    change_form_template = "admin/certificates/certificatedesign/change_form.html"
    list_display = ("name", "is_default", "course_count", "updated_at")
    filter_horizontal = ("courses",)
    fieldsets = (
        (None, {"fields": ("name", "is_default", "courses")}),
        (
            _("Texts and colours"),
            {
                "fields": (
                    "title",
                    "intro_text",
                    "body_text",
                    "footer_text",
                    "place",
                    "primary_colour",
                    "text_colour",
                    "show_score",
                )
            },
        ),
        (_("Images"), {"fields": ("background", "logo")}),
        (
            _("Signatory"),
            {"fields": ("signatory_name", "signatory_title", "signatory_nip", "signature_image")},
        ),
    )

    @admin.display(description=_("courses"))
    def course_count(self, obj: CertificateDesign) -> int:
        return obj.courses.count()

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:design_id>/preview/",
                wrap(self.preview_view),
                name="certificates_certificatedesign_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, design_id: int) -> HttpResponse:
        """A sample certificate with this design, as it would be issued today."""
        design = self.get_object(request, str(design_id))
        if design is None or not self.has_view_permission(request, design):
            raise Http404
        layout_data = _layout_snapshot(design)
        content = _sample_content()
        content = CertificateContent(
            **{
                **content.__dict__,
                "place": str(layout_data["place"]),
                "signatory_name": str(layout_data["signatory_name"]),
                "signatory_title": str(layout_data["signatory_title"]),
                "signatory_nip": str(layout_data["signatory_nip"]),
            }
        )
        data = render_certificate(content, version_layout(layout_data))
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="preview.pdf"'
        return response


# --- Certificates -------------------------------------------------------------------------------


class VersionInline(admin.TabularInline[CertificateVersion, Certificate]):
    model = CertificateVersion
    extra = 0
    can_delete = False
    fields = (
        "version",
        "holder_name",
        "holder_id",
        "course_title",
        "jp",
        "passed_on",
        "reason",
        "created_by",
        "created_at",
        "pdf_link",
    )
    readonly_fields = fields
    ordering = ("-version",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: CertificateVersion) -> str:
        if not obj.certificate.number:
            return "—"
        url = reverse("certificates:download", args=[obj.certificate_id])
        return format_html(
            '<a href="{}?versi={}">{}</a>', url, obj.version, gettext("Download PDF")
        )


class CertificateYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).values_list("year", flat=True).distinct()
        return [(str(year), str(year)) for year in sorted(set(years), reverse=True)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        return queryset.filter(year=int(value)) if value and value.isdigit() else None


@admin.register(Certificate)
class CertificateAdmin(CourseScopedAdmin[Certificate]):
    change_form_template = "admin/certificates/certificate/change_form.html"
    list_display = ("number", "holder_name", "holder_nip", "course", "state", "passed_at")
    list_filter = ("state", EditableCourseFilter, CertificateYearFilter)
    list_select_related = ("user", "course", "current_version")
    search_fields = (
        "number",
        "code",
        "user__username",
        "user__full_name",
        "current_version__holder_name",
    )
    search_help_text = _("Number, verification code, NIP/Username or name")
    show_full_result_count = False
    ordering = ("-issued_at",)
    fields = (
        "number",
        "code",
        "state",
        "user",
        "course",
        "enrollment",
        "passed_at",
        "issued_at",
        "revoked_at",
        "revoked_reason",
    )
    readonly_fields = fields
    inlines = (VersionInline,)

    @admin.display(description=_("name"), ordering="current_version__holder_name")
    def holder_name(self, obj: Certificate) -> str:
        return obj.current_version.holder_name if obj.current_version else ""

    @admin.display(description=_("NIP/Username"), ordering="user__username")
    def holder_nip(self, obj: Certificate) -> str:
        return obj.user.username

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Certificate | None = None) -> bool:
        # Certificates are never deleted: a wrong one is revoked, with a reason.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Certificate | None = None) -> bool:
        return False

    def may_correct(self, request: HttpRequest, certificate: Certificate) -> bool:
        return request.user.has_perm("certificates.change_certificate") and can_edit_course(
            request.user, certificate.course
        )

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:certificate_id>/reissue/",
                wrap(self.reissue_view),
                name="certificates_certificate_reissue",
            ),
            path(
                "<int:certificate_id>/revoke/",
                wrap(self.revoke_view),
                name="certificates_certificate_revoke",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        certificate = self.get_object(request, object_id)
        extra: dict[str, Any] = {}
        if certificate is not None and self.has_view_permission(request, certificate):
            may = self.may_correct(request, certificate)
            extra = {
                "may_reissue": may and not certificate.is_revoked,
                "may_revoke": may and not certificate.is_revoked,
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _certificate_for_action(self, request: HttpRequest, certificate_id: int) -> Certificate:
        certificate = self.get_object(request, str(certificate_id))
        if certificate is None or not self.has_view_permission(request, certificate):
            raise Http404
        if not self.may_correct(request, certificate):
            raise PermissionDenied
        return certificate

    def _reason_action(
        self,
        request: HttpRequest,
        certificate: Certificate,
        *,
        act: Any,
        title: str,
        warning: str,
        submit_label: str,
        done_message: str,
    ) -> HttpResponse:
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                act(
                    certificate=certificate,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                self.message_user(request, done_message, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(
                        "admin:certificates_certificate_change",
                        args=[certificate.pk],
                        current_app=self.admin_site.name,
                    )
                )
        return admin_page(
            self,
            request,
            "admin/action_form.html",
            title=title,
            original=certificate,
            form=form,
            warning=warning,
            submit_label=submit_label,
        )

    def reissue_view(self, request: HttpRequest, certificate_id: int) -> HttpResponse:
        certificate = self._certificate_for_action(request, certificate_id)
        return self._reason_action(
            request,
            certificate,
            act=certificate_reissue,
            title=gettext("Reissue certificate %(number)s") % {"number": certificate},
            warning=gettext(
                "A new version is written with the same number and code, from the holder's "
                "current name and identity, the course's current title and the current design. "
                "Correct the profile or the design first. Earlier versions are kept."
            ),
            submit_label=gettext("Reissue"),
            done_message=gettext("The certificate was reissued."),
        )

    def revoke_view(self, request: HttpRequest, certificate_id: int) -> HttpResponse:
        certificate = self._certificate_for_action(request, certificate_id)
        return self._reason_action(
            request,
            certificate,
            act=certificate_revoke,
            title=gettext("Revoke certificate %(number)s") % {"number": certificate},
            warning=gettext(
                "The verification page and the PDF will say that this certificate is revoked. "
                "This cannot be undone."
            ),
            submit_label=gettext("Revoke"),
            done_message=gettext("The certificate was revoked."),
        )


# --- Exports --------------------------------------------------------------------------------


@admin.register(CertificateExport)
class CertificateExportAdmin(CourseScopedAdmin[CertificateExport]):
    change_list_template = "admin/certificates/certificateexport/change_list.html"
    list_display = ("course", "state", "progress", "created_at", "requested_by", "download")
    list_select_related = ("course", "requested_by")
    list_filter = ("state",)
    ordering = ("-created_at",)
    fields = ("course", "state", "total", "done", "created_at", "finished_at", "error")
    readonly_fields = fields

    @admin.display(description=_("progress"))
    def progress(self, obj: CertificateExport) -> str:
        return format_html(
            '<progress max="100" value="{}" data-export="{}" aria-label="{}">{}%</progress> '
            '<span data-export-text="{}">{} / {}</span>',
            obj.percent,
            obj.pk,
            gettext("progress"),
            obj.percent,
            obj.pk,
            obj.done,
            obj.total,
        )

    @admin.display(description=_("file"))
    def download(self, obj: CertificateExport) -> str:
        if obj.state != ExportState.DONE or not obj.file:
            return "—"
        url = reverse("admin:certificates_certificateexport_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Download zip"))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:export_id>/download/",
                wrap(self.download_view),
                name="certificates_certificateexport_download",
            ),
            path(
                "<int:export_id>/progress/",
                wrap(self.progress_view),
                name="certificates_certificateexport_progress",
            ),
            *super().get_urls(),
        ]

    def _export_or_404(self, request: HttpRequest, export_id: int) -> CertificateExport:
        export = self.get_object(request, str(export_id))
        if export is None or not self.has_view_permission(request, export):
            raise Http404
        return export

    def download_view(self, request: HttpRequest, export_id: int) -> Any:
        export = self._export_or_404(request, export_id)
        if export.state != ExportState.DONE or not export.file:
            raise Http404
        return private_file_response(
            request,
            export.file.name,
            as_attachment=True,
            download_name=export.file.name.rsplit("/", 1)[-1],
            content_type="application/zip",
        )

    def progress_view(self, request: HttpRequest, export_id: int) -> JsonResponse:
        export = self._export_or_404(request, export_id)
        return JsonResponse(export.as_progress())

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        courses = courses_editable_by(request.user).filter(gives_certificate=True).order_by("title")
        form = ExportForm(request.POST or None, courses=courses)
        if request.method == "POST" and form.is_valid():
            try:
                certificate_export_start(
                    course=form.cleaned_data["course"],
                    actor=request.user,  # type: ignore[arg-type]
                    request=request,
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                self.message_user(
                    request,
                    gettext("The zip is being built; this page shows its progress."),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:certificates_certificateexport_changelist",
                        current_app=self.admin_site.name,
                    )
                )
        return admin_page(
            self,
            request,
            "admin/certificates/certificateexport/add.html",
            title=gettext("Download a course's certificates"),
            form=form,
        )


# --- After a holder's name changed: reissue in one step ---------------------------------------


class HolderReissueForm(ReasonForm):
    certificates = forms.ModelMultipleChoiceField(
        label=_("Certificates to reissue"),
        queryset=Certificate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one certificate, or skip this step.")},
    )

    def __init__(self, *args: Any, certificates: QuerySet[Certificate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["certificates"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = certificates
        field.label_from_instance = _certificate_choice_label  # type: ignore[assignment]
        self.initial.setdefault("certificates", [c.pk for c in certificates])
        self.order_fields(["certificates", "reason"])


def _certificate_choice_label(certificate: Certificate) -> str:
    version = certificate.current_version
    printed = version.holder_name if version else ""
    return gettext("%(number)s — %(course)s (printed name: %(name)s)") % {
        "number": certificate,
        "course": certificate.course.title,
        "name": printed,
    }


def _holder_certificates(request: HttpRequest, holder_id: int) -> QuerySet[Certificate]:
    """The holder's valid, numbered certificates of courses the staff member may correct."""
    return (
        Certificate.objects.filter(
            user_id=holder_id,
            state=CertificateState.VALID,
            number__isnull=False,
            course__in=courses_editable_by(request.user),
        )
        .select_related("course", "current_version")
        .order_by("issued_at")
    )


def holder_reissue_view(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, object_id: str
) -> HttpResponse:
    """Offered right after a user's name or identity is saved: the certificates that
    still print the old one, all ticked, and a required reason; one click reissues them."""
    holder = model_admin.get_object(request, object_id)
    if holder is None or not model_admin.has_change_permission(request, holder):
        raise Http404
    if not request.user.has_perm("certificates.change_certificate"):
        raise PermissionDenied
    user_page = reverse(
        "admin:accounts_user_change", args=[holder.pk], current_app=model_admin.admin_site.name
    )
    certificates = _holder_certificates(request, holder.pk)
    if not certificates.exists():
        return HttpResponseRedirect(user_page)
    form = HolderReissueForm(request.POST or None, certificates=certificates)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["certificates"])
        try:
            certificates_reissue_for_holder(
                certificates=chosen,
                actor=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            model_admin.message_user(
                request,
                gettext("Certificates reissued: %(count)s. Each holder was mailed.")
                % {"count": len(chosen)},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(user_page)
    return admin_page(
        model_admin,
        request,
        "admin/certificates/holder_reissue.html",
        title=gettext("Reissue the certificates of %(name)s") % {"name": holder},
        original=holder,
        form=form,
        skip_url=user_page,
        warning=gettext(
            "The name or identity of this account was changed, and these certificates still "
            "print the old one. Reissuing writes a new version of each, with the same number, "
            "from the account as it is now; the holder is mailed. The earlier versions are kept."
        ),
        submit_label=gettext("Reissue the chosen certificates"),
    )


def _user_admin_urls(model_admin: Any) -> list[URLPattern]:
    return [
        path(
            "<path:object_id>/certificates-reissue/",
            model_admin.admin_site.admin_view(
                lambda request, object_id: holder_reissue_view(model_admin, request, object_id)
            ),
            name="accounts_user_certificates_reissue",
        )
    ]


admin_urls_add(get_user_model(), _user_admin_urls)
