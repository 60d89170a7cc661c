"""Course authoring and enrolments in the admin.

Who sees what is decided in `mooc.catalog.permissions`: managers (Admin, Admin Konten)
every course, instructors the courses listing them as staff. Sections, materials and
attachments have their screens in `mooc.learning.admin`; a course page links to them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from mooc.accounts.models import Unit, User
from mooc.accounts.nip import looks_like_nip, normalize_nip
from mooc.catalog.enrolment_bulk import (
    EXPORT_FORMATS,
    MAX_NAMES,
    enrolment_bulk_apply,
    enrolment_bulk_preview,
    enrolments_export,
    usernames_parse,
)
from mooc.catalog.models import Category, Course, CourseInstructor, Enrollment, Instructor
from mooc.catalog.permissions import (
    CourseScopedAdmin,
    EditableCourseFilter,
    can_edit_course,
    can_manage_course_people,
    is_course_manager,
)
from mooc.catalog.services import (
    course_publication_record,
    course_publication_set,
    course_publish_problems,
    course_slug_changed,
)
from mooc.catalog.uploads import cover_image_clean, instructor_photo_clean
from mooc.core.admin_forms import LabelledSplitDateTime, https_formfield, ordered_formset_save
from mooc.core.admin_views import admin_page, admin_urls_extra
from mooc.core.errors import ServiceError, add_service_error
from mooc.core.images import PixelLimitedImageField
from mooc.core.services import audit_log_record
from mooc.learning.models import MaterialProgress, Section

# Fields only a course manager changes; instructors see them read-only.
# (The instructors, in order, are an inline: see CourseInstructorInline.)
MANAGER_ONLY_FIELDS = ("is_published", "staff")
# How many names each list of the bulk-enrolment report shows (the counts are complete).
REPORT_SHOWN = 200


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # admin views only run for a logged-in staff user
        raise PermissionDenied
    return user


def course_preview_url(course: Course) -> str:
    """The course detail page, which shows unpublished courses to their staff."""
    return course.get_absolute_url()


def _staff_accounts() -> QuerySet[User]:
    """Accounts that can be course staff or an instructor's login: staff accounts, and
    whoever already holds the role (so saving a form never drops them silently)."""
    return (
        User.objects.filter(
            Q(is_staff=True)
            | Q(staffed_courses__isnull=False)
            | Q(instructor_profile__isnull=False)
        )
        .distinct()
        .order_by("full_name", "username")
    )


# --- Forms -------------------------------------------------------------------------------


class CourseAdminForm(forms.ModelForm[Course]):
    class Meta:
        model = Course
        formfield_callback = https_formfield
        fields = (
            "title",
            "slug",
            "summary",
            "category",
            "level",
            "jp",
            "duration_minutes",
            "description",
            "requirements",
            "cover_image",
            "preview_video_url",
            "duration_days",
            "gives_certificate",
            "starts_at",
            "ends_at",
            "enroll_opens_at",
            "enroll_closes_at",
            "internal_only",
            "staff",
            "is_published",
        )
        field_classes = {"cover_image": PixelLimitedImageField}  # issue 14, F3

    def clean_is_published(self) -> bool:
        published = bool(self.cleaned_data.get("is_published"))
        if published and self.instance.pk and not self.instance.is_published:
            problems = course_publish_problems(course=self.instance)
            if problems:
                raise forms.ValidationError(problems)
        return published

    def clean_cover_image(self) -> Any:
        image = self.cleaned_data.get("cover_image")
        if isinstance(image, UploadedFile):
            return cover_image_clean(image)
        return image


class InstructorAdminForm(forms.ModelForm[Instructor]):
    class Meta:
        model = Instructor
        formfield_callback = https_formfield
        fields = ("name", "title", "photo", "bio", "user")
        field_classes = {"photo": PixelLimitedImageField}  # issue 14, F3

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            return instructor_photo_clean(photo)
        return photo


class _UnitChoiceField(forms.ModelChoiceField[Unit]):
    def label_from_instance(self, obj: Unit) -> str:
        return "— " * (int(obj.get_depth()) - 1) + str(obj.name)


class BulkEnrolForm(forms.Form):
    unit = _UnitChoiceField(
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        required=False,
        label=_("Unit"),
    )
    include_subunits = forms.BooleanField(
        label=_("Include sub-units"), required=False, initial=True
    )
    usernames = forms.CharField(
        label=_("NIPs/usernames"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 60}),
        help_text=_(
            "One per line, or separated by commas or spaces. NIPs may be typed with spaces or dots."
        ),
    )
    # Shown (ticked) on the confirmation step only; an unticked box posts nothing.
    notify = forms.BooleanField(label=_("Send notification e-mail"), required=False, initial=True)

    def __init__(self, *args: Any, request: HttpRequest, admin_site: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        if request.user.has_perm("accounts.view_unit"):
            # Hundreds of offices: search instead of scrolling (needs the unit list).
            field.widget = AutocompleteSelect(Enrollment._meta.get_field("unit"), admin_site)
            field.widget.choices = field.choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        unit = cleaned.get("unit")
        text = (cleaned.get("usernames") or "").strip()
        if (unit is None) == (not text):
            raise ValidationError(_("Choose a unit or paste a list of NIPs/usernames, not both."))
        if text:
            names = usernames_parse(text)
            if len(names) > MAX_NAMES:
                self.add_error(
                    "usernames",
                    _("At most %(max)s NIPs/usernames at a time; split the list.")
                    % {"max": MAX_NAMES},
                )
            cleaned["names"] = names
        return cleaned

    def source(self) -> dict[str, Any]:
        if self.cleaned_data.get("unit") is not None:
            return {
                "unit": self.cleaned_data["unit"],
                "include_subunits": self.cleaned_data["include_subunits"],
            }
        return {"usernames": self.cleaned_data["names"]}

    def wants_notice(self) -> bool:
        return bool(self.cleaned_data.get("notify"))


# --- Filters --------------------------------------------------------------------------------


class OngoingFilter(admin.SimpleListFilter):
    title = _("ongoing")
    parameter_name = "ongoing"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        now = timezone.now()
        running = (Q(starts_at__isnull=True) | Q(starts_at__lte=now)) & (
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )
        if self.value() == "yes":
            return queryset.filter(running)
        if self.value() == "no":
            return queryset.exclude(running)
        return None


# --- Categories and instructors ---------------------------------------------------------------


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("name", "order", "course_count")
    list_editable = ("order",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description", "order")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(course_count=Count("courses"))

    @admin.display(description=_("courses"), ordering="course_count")
    def course_count(self, obj: Any) -> int:
        return int(getattr(obj, "course_count", 0))


@admin.register(Instructor)
class InstructorAdmin(admin.ModelAdmin[Instructor]):
    form = InstructorAdminForm
    list_display = ("name", "title", "user")
    list_select_related = ("user",)
    search_fields = ("name", "title", "user__username", "user__full_name")
    fields = ("name", "title", "photo", "bio", "user", "key")
    readonly_fields = ("key",)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "user":
            # A plain list of staff accounts: content admins have no access to the user list.
            kwargs["queryset"] = _staff_accounts()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Courses ----------------------------------------------------------------------------------


class SectionInlineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        doomed = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        if doomed and MaterialProgress.objects.filter(material__section__in=doomed).exists():
            raise ValidationError(
                _(
                    "Learners have progress in a section marked for deletion. "
                    "Mark it as retired instead: it is hidden and their progress is kept."
                )
            )


class SectionInline(admin.TabularInline[Section, Course]):
    model = Section
    formset = SectionInlineFormSet
    extra = 0
    fields = ("order", "title", "is_retired", "materials_link", "key")
    readonly_fields = ("materials_link", "key")
    ordering = ("order", "id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Section]:
        return super().get_queryset(request).annotate(material_count=Count("materials"))

    @admin.display(description=_("materials"))
    def materials_link(self, obj: Section) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:learning_section_change", args=[obj.pk]),
            _("Edit materials (%(count)s)") % {"count": getattr(obj, "material_count", 0)},
        )


class CourseInstructorInline(admin.TabularInline[CourseInstructor, Course]):
    """The course's instructors in order (lead instructor first, as learners see them).
    Only course managers choose them; an instructor sees the list read-only."""

    model = CourseInstructor
    extra = 0
    fields = ("position", "instructor")
    ordering = ("position", "id")
    autocomplete_fields = ("instructor",)
    verbose_name = _("instructor")
    verbose_name_plural = _("instructors (in order, lead instructor first)")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("catalog.view_course") or request.user.has_perm(
            "catalog.change_course"
        )

    def _may_choose(self, request: HttpRequest) -> bool:
        return request.user.has_perm("catalog.change_course") and can_manage_course_people(
            request.user
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_choose(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_choose(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_choose(request)


@admin.register(Course)
class CourseAdmin(CourseScopedAdmin[Course]):
    course_path = ""
    # Links typed without a scheme are almost always https these days.
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.DateTimeField: {"widget": LabelledSplitDateTime},
    }
    form = CourseAdminForm
    change_list_template = "admin/catalog/course/change_list.html"
    change_form_template = "admin/catalog/course/change_form.html"
    list_display = (
        "title",
        "category",
        "level",
        "jp",
        "is_published",
        "participants",
        "ongoing",
        "preview_link",
    )
    list_display_links = ("title",)
    list_filter = ("is_published", "category", "level", OngoingFilter, "internal_only")
    list_select_related = ("category",)
    search_fields = ("title", "slug", "summary")
    search_help_text = _("Title, slug or summary")
    show_full_result_count = False
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("staff",)
    inlines = (CourseInstructorInline, SectionInline)
    actions = ("publish_courses", "unpublish_courses")
    view_on_site = False  # "Preview as learner" instead, which also works before publishing
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "summary", "category", "level", "jp", "duration_minutes")},
        ),
        (
            _("Description"),
            {
                "fields": (
                    "description",
                    "requirements",
                    "cover_image",
                    "preview_video_url",
                    "duration_days",
                    "gives_certificate",
                )
            },
        ),
        (
            _("Schedule and enrolment"),
            {
                "fields": (
                    "starts_at",
                    "ends_at",
                    "enroll_opens_at",
                    "enroll_closes_at",
                    "internal_only",
                )
            },
        ),
        (_("People"), {"fields": ("staff",)}),
        (_("Publication"), {"fields": ("is_published",)}),
    )

    # --- List ------------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Course]:
        participants = (
            Enrollment.objects.filter(course=OuterRef("pk"))
            .order_by()
            .values("course")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                participant_count=Coalesce(Subquery(participants, output_field=IntegerField()), 0)
            )
        )

    @admin.display(description=_("participants"), ordering="participant_count")
    def participants(self, obj: Course) -> int:
        return int(getattr(obj, "participant_count", 0))

    @admin.display(description=_("ongoing"), boolean=True)
    def ongoing(self, obj: Course) -> bool:
        return obj.is_ongoing()

    @admin.display(description=_("preview"))
    def preview_link(self, obj: Course) -> str:
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            course_preview_url(obj),
            _("Preview as learner"),
        )

    # --- Permissions -------------------------------------------------------------------------

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request) and can_manage_course_people(request.user)

    def has_bulk_enrol_permission(self, request: HttpRequest, course: Course) -> bool:
        return request.user.has_perm("catalog.add_enrollment") and can_edit_course(
            request.user, course
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Course | None = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if not can_manage_course_people(request.user):
            fields += MANAGER_ONLY_FIELDS
        return fields

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name == "staff":
            kwargs["queryset"] = _staff_accounts()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- Saving -------------------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Course, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            course_slug_changed(course=obj, old_slug=form.initial.get("slug", ""))
        if "is_published" in form.changed_data:
            course_publication_record(
                actor=_actor(request), course=obj, published=obj.is_published, request=request
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        before = sorted(user.username for user in form.initial.get("staff", []))
        super().save_related(request, form, formsets, change)
        course: Course = form.instance
        if not change and not can_manage_course_people(request.user):
            # Whoever creates a course without being a manager keeps access to it.
            course.staff.add(_actor(request))
        if "staff" in form.changed_data:
            after = sorted(user.username for user in form.cleaned_data["staff"])
            audit_log_record(
                actor=_actor(request),
                action="course.staff_changed",
                target=course,
                before={"staff": before},
                after={"staff": after},
                request=request,
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Section:
            super().save_formset(request, form, formset, change)
            return
        ordered_formset_save(formset, siblings=Section.objects.filter(course=form.instance))

    # --- Actions ------------------------------------------------------------------------------

    @admin.action(description=_("Publish selected courses"), permissions=["publish"])
    def publish_courses(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        blocked = {}
        for course in queryset.filter(is_published=False):
            problems = course_publish_problems(course=course)
            if problems:
                blocked[course.pk] = problems
                self.message_user(request, f"{course.title}: {' '.join(problems)}", messages.ERROR)
        count = course_publication_set(
            actor=_actor(request),
            courses=queryset.exclude(pk__in=blocked),
            published=True,
            request=request,
        )
        self.message_user(request, _("Courses published: %(count)s.") % {"count": count})

    @admin.action(description=_("Unpublish selected courses"), permissions=["publish"])
    def unpublish_courses(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        count = course_publication_set(
            actor=_actor(request), courses=queryset, published=False, request=request
        )
        self.message_user(request, _("Courses unpublished: %(count)s.") % {"count": count})

    # --- Pages --------------------------------------------------------------------------------

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Course | None = None,
    ) -> HttpResponse:
        if obj is not None and obj.pk:
            context.update(
                course_preview_url=course_preview_url(obj),
                can_bulk_enrol=self.has_bulk_enrol_permission(request, obj),
                can_view_enrolments=request.user.has_perm("catalog.view_enrollment"),
                enrolment_formats=EXPORT_FORMATS,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            *admin_urls_extra(self),  # the course packages' pages (mooc.packages.admin)
            path("<int:course_id>/enrol/", wrap(self.enrol_view), name="catalog_course_enrol"),
            path(
                "<int:course_id>/enrolments/<str:fmt>/",
                wrap(self.enrolments_export_view),
                name="catalog_course_enrolments_export",
            ),
            *super().get_urls(),
        ]

    def _course(self, request: HttpRequest, course_id: int) -> Course:
        """The course, if this user may work on it: another instructor's course is a 404."""
        course = self.get_object(request, str(course_id))
        if course is None:
            raise Http404
        return course

    def enrol_view(self, request: HttpRequest, course_id: int) -> HttpResponse:
        course = self._course(request, course_id)
        if not self.has_bulk_enrol_permission(request, course):
            raise PermissionDenied
        form = BulkEnrolForm(request.POST or None, request=request, admin_site=self.admin_site)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                if "confirm" in request.POST:
                    report = enrolment_bulk_apply(
                        actor=_actor(request),
                        course=course,
                        request=request,
                        notify=form.wants_notice(),
                        **form.source(),
                    )
                    self.message_user(request, _enrolled_message(report.counts()))
                    return HttpResponseRedirect(
                        reverse("admin:catalog_course_change", args=[course.pk])
                    )
                report = enrolment_bulk_preview(course=course, **form.source())
            except ServiceError as error:
                add_service_error(form, error)
        return admin_page(
            self,
            request,
            "admin/catalog/course/enrol.html",
            original=course,
            title=_("Enrol learners"),
            subtitle=str(course),
            form=form,
            report=report,
            counts=report.counts() if report else None,
            shown=REPORT_SHOWN,
            media=self.media + form.media,
        )

    def enrolments_export_view(
        self, request: HttpRequest, course_id: int, fmt: str
    ) -> HttpResponse:
        course = self._course(request, course_id)
        if not request.user.has_perm("catalog.view_enrollment"):
            raise PermissionDenied
        return _export_response(
            request, Enrollment.objects.filter(course=course), fmt=fmt, course=course
        )


def _enrolled_message(counts: dict[str, int]) -> StrOrPromise:
    return (
        _(
            "Enrolled: %(enrolled)s. Already enrolled: %(already_enrolled)s. "
            "Not found: %(not_found)s. Not allowed: %(not_allowed)s."
        )
        % counts
    )


def _export_response(
    request: HttpRequest,
    queryset: QuerySet[Enrollment],
    *,
    fmt: str,
    course: Course | None = None,
) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    export = enrolments_export(
        actor=_actor(request), queryset=queryset, fmt=fmt, course=course, request=request
    )
    stem = f"peserta-{course.slug}" if course else "peserta"
    name = f"{stem}-{timezone.localdate():%Y%m%d}.{export.extension}"
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Enrolments -------------------------------------------------------------------------------


class UnitWithSubunitsFilter(admin.SimpleListFilter):
    """The unit at enrolment, with every unit under it (a Kanwil brings its UPTs): one
    indexed prefix match on the tree's materialised path."""

    title = _("unit (with sub-units)")
    parameter_name = "unit"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        units = (
            Unit.objects.filter(is_active=True).order_by("path").values_list("pk", "name", "depth")
        )
        # Indented by depth, so the list reads as the tree it is.
        return [(str(pk), "\u2003" * (depth - 1) + name) for pk, name, depth in units]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        if not value:
            return None
        unit = Unit.objects.filter(pk=int(value)).only("path").first() if value.isdigit() else None
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


@admin.register(Enrollment)
class EnrollmentAdmin(CourseScopedAdmin[Enrollment]):
    """Enrolments are listed, inspected and exported here; they are created by learners
    or by "Enrol learners" on a course, and results come from the exams."""

    course_path = "course"
    list_display = (
        "learner_nip",
        "learner_name",
        "unit",
        "course",
        "status",
        "result",
        "final_score",
        "created_at",
        "completed_at",
    )
    list_display_links = ("learner_nip",)
    list_filter = (
        EditableCourseFilter,
        UnitWithSubunitsFilter,
        "status",
        "result",
        ("created_at", admin.DateFieldListFilter),
        ("completed_at", admin.DateFieldListFilter),
    )
    list_select_related = ("user", "unit", "course")
    search_fields = ("user__username", "user__full_name", "unit__name")
    search_help_text = _("NIP/Username, name or unit")
    show_full_result_count = False
    actions = ("export_csv", "export_xlsx")
    fields = (
        "user",
        "course",
        "status",
        "result",
        "final_score",
        "jp",
        "unit",
        "created_at",
        "completed_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description=_("NIP/Username"), ordering="user__username")
    def learner_nip(self, obj: Enrollment) -> str:
        return obj.user.username

    @admin.display(description=_("name"), ordering="user__full_name")
    def learner_name(self, obj: Enrollment) -> str:
        return obj.user.full_name

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Enrollment], search_term: str
    ) -> tuple[QuerySet[Enrollment], bool]:
        # "19860926 201505 1 001" is one NIP, not four words.
        if looks_like_nip(search_term):
            search_term = normalize_nip(search_term)
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Enrollment | None = None) -> bool:
        # Read-only: status and results belong to the learning and exam services.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Enrollment | None = None) -> bool:
        # Undoing a mistaken enrolment is a manager's call, never an instructor's.
        return is_course_manager(request.user) and super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Enrollment) -> None:
        self.delete_queryset(request, Enrollment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        with transaction.atomic():
            for enrolment in queryset.select_related("user", "course"):
                audit_log_record(
                    actor=_actor(request),
                    action="enrolment.deleted",
                    target=enrolment.course,
                    before={
                        "learner": enrolment.user.username,
                        "status": enrolment.status,
                        "result": enrolment.result,
                    },
                    request=request,
                )
            queryset.delete()

    def _export(self, request: HttpRequest, queryset: QuerySet[Enrollment], fmt: str) -> Any:
        courses = list(queryset.order_by().values_list("course", flat=True).distinct()[:2])
        course = Course.objects.filter(pk=courses[0]).first() if len(courses) == 1 else None
        return _export_response(request, queryset, fmt=fmt, course=course)

    @admin.action(description=_("Export selected enrolments (CSV)"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> Any:
        return self._export(request, queryset, "csv")

    @admin.action(description=_("Export selected enrolments (Excel)"), permissions=["view"])
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> Any:
        return self._export(request, queryset, "xlsx")
