"""Deletion requests in the admin: an admin approves (the account is anonymised) or
rejects, always with a reason; both are recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mooc.accounts.models import User
from mooc.core.admin_views import admin_page
from mooc.core.errors import ServiceError, add_service_error
from mooc.privacy.forms import DecisionForm
from mooc.privacy.models import DeletionRequest
from mooc.privacy.services.deletion import deletion_request_approve, deletion_request_reject

DECIDE_PERMISSION = "privacy.change_deletionrequest"


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin[DeletionRequest]):
    change_form_template = "admin/privacy/deletionrequest/change_form.html"
    list_display = ("id", "user", "state", "requested_at", "decided_at", "decided_by")
    list_filter = ("state",)
    list_select_related = ("user", "decided_by")
    search_fields = ("user__username", "user__full_name", "user__email")
    ordering = ("-requested_at",)
    fields = (
        "account",
        "state",
        "requested_at",
        "decided_at",
        "decided_by",
        "decision_reason",
        "what_stays",
    )
    readonly_fields = fields

    @admin.display(description=_("account"))
    def account(self, obj: DeletionRequest) -> str:
        url = reverse("admin:accounts_user_change", args=[obj.user_id])
        return format_html('<a href="{}">{}</a>', url, obj.user)

    @admin.display(description=_("what stays after approval"))
    def what_stays(self, obj: DeletionRequest) -> str:
        from mooc.catalog.models import Enrollment
        from mooc.certificates.models import Certificate
        from mooc.exams.models import Attempt

        return str(
            _(
                "%(enrolments)d enrolment(s) and %(attempts)d attempt(s), without a name; "
                "%(certificates)d certificate(s), still verifiable as printed."
            )
            % {
                "enrolments": Enrollment.objects.filter(user_id=obj.user_id).count(),
                "attempts": Attempt.objects.filter(user_id=obj.user_id).count(),
                "certificates": Certificate.objects.filter(user_id=obj.user_id).count(),
            }
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # learners ask on their "Data pribadi" page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decided through the approve and reject pages only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def may_decide(self, request: HttpRequest) -> bool:
        return request.user.has_perm(DECIDE_PERMISSION)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        deletion = self.get_object(request, object_id)
        extra = {
            "may_decide": deletion is not None and deletion.is_pending and self.may_decide(request)
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:deletion_id>/approve/",
                wrap(self.approve_view),
                name="privacy_deletionrequest_approve",
            ),
            path(
                "<int:deletion_id>/reject/",
                wrap(self.reject_view),
                name="privacy_deletionrequest_reject",
            ),
            *super().get_urls(),
        ]

    def approve_view(self, request: HttpRequest, deletion_id: int) -> HttpResponse:
        return self._decide(request, deletion_id, approve=True)

    def reject_view(self, request: HttpRequest, deletion_id: int) -> HttpResponse:
        return self._decide(request, deletion_id, approve=False)

    def _decide(self, request: HttpRequest, deletion_id: int, *, approve: bool) -> HttpResponse:
        deletion = self.get_object(request, str(deletion_id))
        if deletion is None:
            raise Http404
        if not self.may_decide(request):
            raise PermissionDenied
        assert isinstance(request.user, User)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            decide = deletion_request_approve if approve else deletion_request_reject
            try:
                decide(
                    deletion=deletion,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ServiceError as error:
                add_service_error(form, error)
            else:
                self.message_user(
                    request,
                    _("The account was anonymised.")
                    if approve
                    else _("The request was rejected; the learner has been told why."),
                )
                return HttpResponseRedirect(
                    reverse("admin:privacy_deletionrequest_change", args=[deletion.pk])
                )
        return admin_page(
            self,
            request,
            "admin/privacy/deletionrequest/decide.html",
            title=_("Approve and anonymise the account")
            if approve
            else _("Reject the deletion request"),
            original=deletion,
            approve=approve,
            form=form,
        )
