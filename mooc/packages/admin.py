"""Admin pages for course packages: upload a zip → a report; download a course as a zip.

They are pages of the course admin (`admin/catalog/course/import-package/`,
`admin/catalog/course/<id>/export-package/`, named `admin:catalog_course_import_package`
and `admin:catalog_course_export_package`), added to it through
`mooc.core.admin_views.admin_urls_add`: catalog does not import this app. The admin
site requires a logged-in staff user, and the course admin's own permissions apply first.

Importing is for course managers only: a package may overwrite any course with
the same slug, publish it and choose its instructors, which an instructor may not
do in the course form either. Exporting is for those who may edit the course.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from mooc.catalog.models import Course
from mooc.catalog.permissions import can_edit_course, is_course_manager
from mooc.core.admin_views import admin_page, admin_urls_add
from mooc.core.errors import ServiceError
from mooc.packages.exporter import course_package_export
from mooc.packages.importer import course_package_import
from mooc.packages.report import PackageReport

IMPORT_PERMISSIONS = ("catalog.add_course", "catalog.change_course")
EXPORT_PERMISSION = "catalog.view_course"
# With a context of their own: the report counts rows, the catalogue's words name things.
KIND_LABELS = {
    "course": pgettext_lazy("course package report", "Course"),
    "category": pgettext_lazy("course package report", "Category"),
    "instructor": pgettext_lazy("course package report", "Instructors"),
    "section": pgettext_lazy("course package report", "Sections"),
    "material": pgettext_lazy("course package report", "Materials"),
    "attachment": pgettext_lazy("course package report", "Attachments"),
    "question": pgettext_lazy("course package report", "Questions"),
    "exam": pgettext_lazy("course package report", "Exam"),
    "pretest": pgettext_lazy("course package report", "Pre-test"),
    "evaluation": pgettext_lazy("course package report", "Evaluation"),
}


def max_upload_bytes() -> int:
    """COURSE_PACKAGE_MAX_UPLOAD_BYTES; the web server's own body limit must allow it too."""
    return int(getattr(settings, "COURSE_PACKAGE_MAX_UPLOAD_BYTES", 500 * 1024 * 1024))


class CoursePackageUploadForm(forms.Form):
    package = forms.FileField(
        label=_("Course package (.zip)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_package(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["package"]
        if not (upload.name or "").lower().endswith(".zip"):
            raise forms.ValidationError(_("Upload the package as a .zip file."), code="not_zip")
        if upload.size is not None and upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s.")
                % {"size": filesizeformat(max_upload_bytes())},
                code="too_large",
            )
        return upload


def _report_rows(report: PackageReport) -> list[dict[str, Any]]:
    return [
        {
            "label": KIND_LABELS.get(kind, kind),
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "retired": retired,
            "deleted": deleted,
        }
        for kind, created, updated, unchanged, retired, deleted in report.rows()
    ]


@require_http_methods(["GET", "POST"])
def course_package_import_view(request: HttpRequest) -> HttpResponse:
    if not (request.user.has_perms(IMPORT_PERMISSIONS) and is_course_manager(request.user)):
        raise PermissionDenied
    form = CoursePackageUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = course_package_import(
            source=form.cleaned_data["package"], actor=request.user, request=request
        )
        if report.committed:
            messages.success(
                request,
                _("The course package %(name)s was imported.") % {"name": report.source},
            )
    return admin_page(
        admin.site.get_model_admin(Course),
        request,
        "admin/catalog/course_package_import.html",
        title=_("Import a course package"),
        form=form,
        report=report,
        rows=_report_rows(report) if report else [],
        course_url=(
            reverse("admin:catalog_course_change", args=[report.course_id])
            if report is not None and report.course_id
            else ""
        ),
        max_size=filesizeformat(max_upload_bytes()),
    )


@require_http_methods(["GET"])
def course_package_export_view(request: HttpRequest, course_id: int) -> HttpResponseBase:
    if not request.user.has_perm(EXPORT_PERMISSION):
        raise PermissionDenied
    course = get_object_or_404(Course.objects.select_related("category"), pk=course_id)
    if not can_edit_course(request.user, course):
        raise PermissionDenied
    workdir = Path(tempfile.mkdtemp(prefix="course-package-"))
    try:
        path = course_package_export(course=course, destination=workdir / f"{course.slug}.zip")
        # Once open, the file stays readable after its folder is removed (POSIX).
        handle = path.open("rb")
    except ServiceError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("admin:catalog_course_change", args=[course.pk]))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{course.slug}.zip",
        content_type="application/zip",
    )


def _course_admin_urls(model_admin: admin.ModelAdmin[Course]) -> list[URLPattern]:
    """The package pages inside the course admin, behind its own permission checks:
    importing needs "add course", exporting a course this user may see there (another
    instructor's course is a 404)."""
    wrap = model_admin.admin_site.admin_view

    def import_view(request: HttpRequest) -> HttpResponseBase:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        return course_package_import_view(request)

    def export_view(request: HttpRequest, course_id: int) -> HttpResponseBase:
        course = model_admin.get_object(request, str(course_id))
        if course is None:
            raise Http404
        if not model_admin.has_view_permission(request, course):
            raise PermissionDenied
        return course_package_export_view(request, course_id)

    return [
        path("import-package/", wrap(import_view), name="catalog_course_import_package"),
        path(
            "<int:course_id>/export-package/",
            wrap(export_view),
            name="catalog_course_export_package",
        ),
    ]


admin_urls_add(Course, _course_admin_urls)
