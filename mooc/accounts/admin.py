"""The BPSDM admin's screens for accounts and units.

Every change to an account goes through `services.helpdesk`, which writes the
audit entry; these classes only ask for the reason, call and report.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm, UsernameField
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_stubs_ext import StrOrPromise
from treebeard.admin import TreeAdmin
from treebeard.forms import MoveNodeForm, movenodeform_factory

from mooc.accounts.imports import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    UNIT_COLUMNS,
    USER_COLUMNS,
    file_kind,
    units_import,
    user_import_template,
    users_import,
)
from mooc.accounts.models import EmployeeType, Unit, User
from mooc.accounts.nip import (
    NipError,
    looks_like_nip,
    normalize_nip,
    parse_nip,
    validate_external_username,
)
from mooc.accounts.services import helpdesk, mfa
from mooc.core import admin_views as core_admin
from mooc.core.admin_forms import with_permission_labels
from mooc.core.admin_views import admin_page, admin_urls_extra
from mooc.core.errors import ServiceError, add_service_error
from mooc.core.files import private_storage

# The account fields a certificate prints (its holder's name, NIP/username, institution).
HOLDER_IDENTITY_FIELDS = frozenset({"full_name", "username", "instansi"})

# --- Forms ------------------------------------------------------------------------


class ReasonForm(core_admin.ReasonForm):
    reason_help_text = _("Kept in the audit log, e.g. the helpdesk ticket number.")


class CorrectEmailForm(ReasonForm):
    new_email = forms.EmailField(label=_("Correct e-mail address"))
    resend_activation = forms.BooleanField(
        label=_("Send a new activation link to this address"),
        required=False,
        initial=True,
        help_text=_("Only for accounts not yet activated."),
    )

    field_order = ["new_email", "resend_activation", "reason"]


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            file_kind(upload.name or "")
        except ServiceError as error:
            raise ValidationError(error.message) from None
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _username_check(username: str, employee_type: str) -> tuple[str, str]:
    """The username as stored (a NIP without spaces) and the NIP kind, or ValidationError."""
    if employee_type == EmployeeType.INTERNAL:
        try:
            info = parse_nip(username)
        except NipError as error:
            raise ValidationError({"username": error.message}) from None
        return info.nip, info.kind
    try:
        validate_external_username(username.strip())
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from None
    return username.strip(), ""


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("username", "employee_type", "full_name", "email")
        field_classes = {"username": UsernameField}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        username = cleaned.get("username")
        if username and cleaned.get("employee_type"):
            cleaned["username"], self.instance.nip_kind = _username_check(
                username, cleaned["employee_type"]
            )
            if User.objects.filter(username__iexact=cleaned["username"]).exists():
                raise ValidationError({"username": _("This NIP/Username is already registered.")})
        return cleaned


class UserChangeAdminForm(UserChangeForm):  # type: ignore[type-arg]
    audit_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Optional; kept in the audit log with the changed fields."),
    )

    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        retyped = {"username", "employee_type"} & set(self.changed_data)
        username, employee_type = cleaned.get("username"), cleaned.get("employee_type")
        if retyped and username and employee_type:
            cleaned["username"], self.instance.nip_kind = _username_check(username, employee_type)
            taken = User.objects.filter(username__iexact=cleaned["username"])
            if taken.exclude(pk=self.instance.pk).exists():
                raise ValidationError({"username": _("This NIP/Username is already registered.")})
        return cleaned


# --- List filters ------------------------------------------------------------------


class _YesNoFilter(admin.SimpleListFilter):
    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [("yes", _("Yes")), ("no", _("No"))]


class ActivatedFilter(_YesNoFilter):
    title = _("activated")
    parameter_name = "activated"

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        if self.value() in ("yes", "no"):
            return queryset.filter(activated_at__isnull=self.value() == "no")
        return None


class LockedFilter(_YesNoFilter):
    title = _("locked")
    parameter_name = "locked"

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        if self.value() in ("yes", "no"):
            return queryset.filter(locked_at__isnull=self.value() == "no")
        return None


# --- Uploads between the dry run and the commit ----------------------------------------
# The file waits in private storage, its name in the admin's session: the
# confirming POST names a token, never a path, and only its uploader has it.

_PENDING_DIR = "imports/pending"
_PENDING_MAX_AGE = dt.timedelta(hours=6)


def _pending_sweep() -> None:
    storage = private_storage()
    cutoff = timezone.now() - _PENDING_MAX_AGE
    try:
        _, names = storage.listdir(_PENDING_DIR)
    except FileNotFoundError:
        return
    for name in names:
        path_name = f"{_PENDING_DIR}/{name}"
        try:
            if storage.get_modified_time(path_name) < cutoff:
                storage.delete(path_name)
        except (FileNotFoundError, NotImplementedError):
            continue


def _pending_save(request: HttpRequest, kind: str, name: str, data: bytes) -> str:
    _pending_drop(request, kind)
    _pending_sweep()
    token = secrets.token_urlsafe(16)
    stored = private_storage().save(f"{_PENDING_DIR}/{token}", ContentFile(data))
    request.session[f"accounts-import-{kind}"] = {"token": token, "path": stored, "name": name}
    return token


def _pending_load(request: HttpRequest, kind: str, token: str) -> tuple[str, bytes] | None:
    pending = request.session.get(f"accounts-import-{kind}")
    if not pending or not token or not secrets.compare_digest(pending["token"], token):
        return None
    try:
        with private_storage().open(pending["path"], "rb") as handle:
            return pending["name"], handle.read()
    except FileNotFoundError:
        return None


def _pending_drop(request: HttpRequest, kind: str) -> None:
    pending = request.session.pop(f"accounts-import-{kind}", None)
    if pending:
        private_storage().delete(pending["path"])


class _Importer(Protocol):
    def __call__(
        self,
        *,
        actor: User | None,
        name: str,
        data: bytes,
        commit: bool,
        request: HttpRequest | None = None,
    ) -> Any: ...


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # admin views only run for a logged-in staff user
        raise PermissionDenied
    return user


def import_view(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    *,
    kind: str,
    importer: _Importer,
    columns: tuple[str, ...],
    template: str,
    done_message: StrOrPromise,
) -> HttpResponse:
    """Upload → dry-run report → confirm: the same three steps for users and units."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    opts = model_admin.model._meta
    form = ImportUploadForm()
    report: Any = None
    token = file_name = ""
    if request.method == "POST" and "token" in request.POST:
        pending = _pending_load(request, kind, request.POST["token"])
        if pending is None:
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return HttpResponseRedirect(request.path)
        file_name, data = pending
        try:
            report = importer(
                actor=_actor(request), name=file_name, data=data, commit=True, request=request
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(request.path)
        if report.committed:
            _pending_drop(request, kind)
            messages.success(request, done_message)
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )
    elif request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            file_name, data = upload.name, upload.read()
            try:
                report = importer(
                    actor=_actor(request), name=file_name, data=data, commit=False, request=request
                )
            except ServiceError as error:
                add_service_error(form, error)
            if report is not None and report.ok:
                token = _pending_save(request, kind, file_name, data)
    return admin_page(
        model_admin,
        request,
        template,
        title=_("Import %(name)s") % {"name": opts.verbose_name_plural},
        form=form,
        report=report,
        token=token,
        file_name=file_name,
        columns=columns,
        max_rows=MAX_ROWS,
        max_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
    )


# --- Users --------------------------------------------------------------------------

_UserService = Callable[..., User]


CONTACT_FIELDS = ("email", "phone")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    form = UserChangeAdminForm
    add_form = UserAddForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "phone")}),
        (_("Employment"), {"fields": ("employee_type", "nip_kind", "unit", "instansi", "jabatan")}),
        (
            _("Account status"),
            {
                "fields": (
                    "is_active",
                    "activated_at",
                    "locked_at",
                    "lock_reason",
                    "privacy_consent_at",
                )
            },
        ),
        (
            _("Roles and permissions"),
            {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "updated_at")}),
        (_("Audit"), {"fields": ("audit_reason",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "employee_type",
                    "username",
                    "full_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = (
        "nip_kind",
        "activated_at",
        "locked_at",
        "lock_reason",
        "privacy_consent_at",
        "last_login",
        "date_joined",
        "updated_at",
    )
    list_display = (
        "username",
        "full_name",
        "email",
        "employee_type",
        "unit",
        "activated",
        "is_active",
        "locked",
        "roles",
    )
    list_filter = (
        "employee_type",
        ("unit", admin.RelatedOnlyFieldListFilter),
        "is_active",
        ActivatedFilter,
        LockedFilter,
        "groups",
        "is_staff",
    )
    list_select_related = ("unit",)
    search_fields = ("username", "full_name", "email")
    search_help_text = _("NIP/Username, name or e-mail address")
    ordering = ("username",)
    autocomplete_fields = ("unit",)
    actions = (
        "activate_accounts",
        "deactivate_accounts",
        "reactivate_accounts",
        "unlock_accounts",
        "resend_activation",
        "reset_mfa",
    )

    # --- List ----------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("activated"), boolean=True, ordering="activated_at")
    def activated(self, obj: User) -> bool:
        return obj.is_activated

    @admin.display(description=_("locked"), boolean=True, ordering="locked_at")
    def locked(self, obj: User) -> bool:
        return obj.is_locked

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all()))

    # --- What a viewer who may not edit users sees ------------------------------------

    def _contact_hidden(self, request: HttpRequest) -> bool:
        """Report viewers (who may view users but not change them) see what their
        reports need: who, which unit, which position; not how to reach them, unless
        the institution decided so (REPORT_VIEWERS_SEE_CONTACT_DETAILS)."""
        return not (
            settings.REPORT_VIEWERS_SEE_CONTACT_DETAILS
            or request.user.has_perm("accounts.change_user")
        )

    def get_list_display(self, request: HttpRequest) -> Any:
        fields = super().get_list_display(request)
        if self._contact_hidden(request):
            return tuple(f for f in fields if f not in CONTACT_FIELDS)
        return fields

    def get_search_fields(self, request: HttpRequest) -> Any:
        fields = super().get_search_fields(request)
        if self._contact_hidden(request):
            return tuple(f for f in fields if f not in CONTACT_FIELDS)
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self._contact_hidden(request):
            return fieldsets
        return tuple(
            (
                name,
                {
                    **options,
                    "fields": tuple(f for f in options["fields"] if f not in CONTACT_FIELDS),
                },
            )
            for name, options in fieldsets
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        # "19860926 201505 1 001" is one NIP, not four words.
        if looks_like_nip(search_term):
            search_term = normalize_nip(search_term)
        return super().get_search_results(request, queryset, search_term)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        # Accounts are deactivated, not deleted: the learning history stays.
        actions.pop("delete_selected", None)
        return actions

    # --- Permissions -----------------------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only a superuser edits a superuser: otherwise changing its e-mail
        # address and asking for a new password would take the account over.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return with_permission_labels(field) if db_field.name == "user_permissions" else field

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Roles are for admins to hand out; raw permissions and superuser are not.
            fields += ("is_superuser", "user_permissions")
        return fields

    # --- Saving ------------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            helpdesk.user_admin_create(actor=_actor(request), user=obj, request=request)
            return
        changed = list(form.changed_data)
        if {"username", "employee_type"} & set(changed):
            changed.append("nip_kind")  # the form worked it out from the NIP
        relations = {
            name: form.cleaned_data[name]
            for name in ("groups", "user_permissions")
            if name in form.changed_data
        }
        # What a certificate prints of its holder: the next page offers to reissue them.
        request._holder_identity_changed = bool(  # type: ignore[attr-defined]
            set(changed) & HOLDER_IDENTITY_FIELDS
        )
        helpdesk.user_admin_update(
            actor=_actor(request),
            user=obj,
            changed_fields=changed,
            relations=relations,
            reason=form.cleaned_data.get("audit_reason", ""),
            request=request,
        )

    def response_change(self, request: HttpRequest, obj: User) -> HttpResponse:
        response = super().response_change(request, obj)
        if not getattr(request, "_holder_identity_changed", False):
            return response
        try:
            # Added by the certificates app (admin_urls_add) when it is installed.
            url = reverse(
                "admin:accounts_user_certificates_reissue",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        except NoReverseMatch:
            return response
        return HttpResponseRedirect(url)

    @method_decorator(sensitive_post_parameters())
    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():
            before = User.objects.filter(pk=unquote(id)).values_list("password", flat=True).first()
            response: HttpResponse = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=unquote(id)).first()
            if user is not None and before is not None and user.password != before:
                helpdesk.user_password_set_by_admin_record(
                    actor=_actor(request), user=user, request=request
                )
        return response

    # --- Bulk actions with a reason ----------------------------------------------------

    def _bulk(
        self,
        request: HttpRequest,
        queryset: QuerySet[User],
        *,
        service: _UserService,
        action: str,
        title: StrOrPromise,
        done: StrOrPromise,
    ) -> TemplateResponse | None:
        form = ReasonForm(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            return admin_page(
                self,
                request,
                "admin/accounts/user/action_confirmation.html",
                title=title,
                form=form,
                queryset=queryset,
                shown=queryset[:100],
                count=queryset.count(),
                action=action,
                action_checkbox_name=ACTION_CHECKBOX_NAME,
                media=self.media + form.media,
            )
        changed = 0
        skipped: list[str] = []
        for user in queryset:
            if user.is_superuser and not request.user.is_superuser:
                only_superuser = _("only a superuser may change it")
                skipped.append(f"{user.username}: {only_superuser}")
                continue
            try:
                service(
                    actor=_actor(request),
                    user=user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ServiceError as error:
                skipped.append(f"{user.username}: {error.message}")
            else:
                changed += 1
        self.message_user(request, done % {"count": changed}, messages.SUCCESS)
        if skipped:
            shown = "; ".join(skipped[:10]) + ("; …" if len(skipped) > 10 else "")
            self.message_user(
                request,
                _("Skipped %(count)s: %(details)s") % {"count": len(skipped), "details": shown},
                messages.WARNING,
            )
        return None

    @admin.action(description=_("Activate selected accounts"), permissions=["change"])
    def activate_accounts(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        return self._bulk(
            request,
            queryset,
            service=helpdesk.user_activate_by_admin,
            action="activate_accounts",
            title=_("Activate accounts"),
            done=_("Accounts activated: %(count)s."),
        )

    @admin.action(description=_("Deactivate selected accounts"), permissions=["change"])
    def deactivate_accounts(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        return self._bulk(
            request,
            queryset,
            service=helpdesk.user_deactivate,
            action="deactivate_accounts",
            title=_("Deactivate accounts"),
            done=_("Accounts deactivated: %(count)s."),
        )

    @admin.action(description=_("Reactivate selected accounts"), permissions=["change"])
    def reactivate_accounts(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        return self._bulk(
            request,
            queryset,
            service=helpdesk.user_reactivate,
            action="reactivate_accounts",
            title=_("Reactivate accounts"),
            done=_("Accounts reactivated: %(count)s."),
        )

    @admin.action(description=_("Unlock selected accounts"), permissions=["change"])
    def unlock_accounts(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        return self._bulk(
            request,
            queryset,
            service=helpdesk.user_unlock,
            action="unlock_accounts",
            title=_("Unlock accounts"),
            done=_("Accounts unlocked: %(count)s."),
        )

    @admin.action(description=_("Resend activation"), permissions=["change"])
    def resend_activation(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        return self._bulk(
            request,
            queryset,
            service=helpdesk.user_resend_activation,
            action="resend_activation",
            title=_("Resend activation"),
            done=_("Activation links sent: %(count)s."),
        )

    @admin.action(description=_("Reset two-step verification"), permissions=["change"])
    def reset_mfa(self, request: HttpRequest, queryset: QuerySet[User]) -> TemplateResponse | None:
        return self._bulk(
            request,
            queryset,
            service=mfa.user_mfa_reset,
            action="reset_mfa",
            title=_("Reset two-step verification"),
            done=_("Two-step verification reset: %(count)s."),
        )

    # --- One-account helpdesk pages ------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_users_view), name="accounts_user_import"),
            path(
                "import/template.<str:kind>",
                wrap(self.import_template_view),
                name="accounts_user_import_template",
            ),
            path(
                "<path:object_id>/correct-email/",
                wrap(self.correct_email_view),
                name="accounts_user_correct_email",
            ),
            path(
                "<path:object_id>/release-nip/",
                wrap(self.release_nip_view),
                name="accounts_user_release_nip",
            ),
            *admin_urls_extra(self),
            *super().get_urls(),
        ]

    def _user_for_change(self, request: HttpRequest, object_id: str) -> User:
        user: User | None = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        return user

    def _helpdesk_page(
        self,
        request: HttpRequest,
        user: User,
        form: forms.Form,
        *,
        title: StrOrPromise,
        template: str,
    ) -> TemplateResponse:
        return admin_page(
            self,
            request,
            template,
            title=title,
            subtitle=str(user),
            original=user,
            form=form,
            media=self.media + form.media,
        )

    def _back_to(self, user: User) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[user.pk]))

    def correct_email_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        user = self._user_for_change(request, object_id)
        form = CorrectEmailForm(request.POST or None, initial={"new_email": user.email})
        if request.method == "POST" and form.is_valid():
            try:
                helpdesk.user_correct_email(
                    actor=_actor(request),
                    user=user,
                    new_email=form.cleaned_data["new_email"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                    resend_activation=form.cleaned_data["resend_activation"],
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                self.message_user(request, _("The e-mail address was corrected."))
                return self._back_to(user)
        return self._helpdesk_page(
            request,
            user,
            form,
            title=_("Correct e-mail and resend activation"),
            template="admin/accounts/user/correct_email.html",
        )

    def release_nip_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        user = self._user_for_change(request, object_id)
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                helpdesk.user_release_nip(
                    actor=_actor(request),
                    user=user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                self.message_user(request, _("The NIP was released; its owner can register now."))
                return self._back_to(user)
        return self._helpdesk_page(
            request,
            user,
            form,
            title=_("Release this NIP"),
            template="admin/accounts/user/release_nip.html",
        )

    def import_template_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        if kind not in ("csv", "xlsx"):
            raise Http404
        content_type = (
            "text/csv; charset=utf-8"
            if kind == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        data = user_import_template("csv" if kind == "csv" else "xlsx")
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="template-impor-pengguna.{kind}"'
        return response

    def import_users_view(self, request: HttpRequest) -> HttpResponse:
        return import_view(
            self,
            request,
            kind="users",
            importer=users_import,
            columns=USER_COLUMNS,
            template="admin/accounts/user/import.html",
            done_message=_("The users were imported."),
        )


# --- Second-factor devices ------------------------------------------------------------
# django-otp's own device admins would let a key be read or a device removed without an
# audit entry: devices change only through enrolment and the audited reset above.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


# --- Units --------------------------------------------------------------------------


class UnitMoveForm(MoveNodeForm):
    """treebeard's place-in-the-tree fields in plain words: its "Position" read as the
    employee's "Jabatan" (one msgid, two meanings) and "Child of / Sibling of" stayed
    English."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position = self.fields["treebeard_position"]
        position.label = _("Place in the structure")
        position.choices = [  # type: ignore[attr-defined]
            ("sorted-child", _("Under this unit (a sub-unit of it)")),
            ("sorted-sibling", _("Beside this unit (at the same level)")),
        ]
        position.help_text = _(
            "Where the unit sits: under another unit, or beside one at the same level. "
            "For a top-level unit choose no unit below."
        )
        reference = self.fields["treebeard_ref_node"]
        reference.label = _("Unit")
        reference.empty_label = _("— none: a top-level unit —")  # type: ignore[attr-defined]


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit, form=UnitMoveForm)
    change_list_template = "admin/accounts/unit/change_list.html"
    list_display = ("name", "code", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    ordering = ("path",)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_units_view),
                name="accounts_unit_import",
            ),
            *super().get_urls(),
        ]

    def import_units_view(self, request: HttpRequest) -> HttpResponse:
        return import_view(
            self,
            request,
            kind="units",
            importer=units_import,
            columns=UNIT_COLUMNS,
            template="admin/accounts/unit/import.html",
            done_message=_("The units were imported."),
        )


# --- Roles (Django's groups) ----------------------------------------------------------


class RoleAdmin(DjangoGroupAdmin):
    """Django's group admin, its permissions said in the reader's language."""

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return with_permission_labels(field) if db_field.name == "permissions" else field


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)
