from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from mooc.accounts.captcha import captcha_refresh
from mooc.core import views as core_views

admin.site.site_header = _("MOOC administration")
admin.site.site_title = _("MOOC administration")
admin.site.index_title = _("BPSDM administration")

# A database away for a moment (a restart, a fail-over) is a 503 with Retry-After.
handler500 = "mooc.core.views.server_error"

# Django tries the patterns in order, so the exam's (the answer save above all, 60,000
# requests an exam day) come first: resolving it behind the rest cost 0.2 ms a save.
urlpatterns = [
    path("ujian/", include("mooc.exams.urls")),
    path("api/v1/", include("mooc.api.urls")),  # the app's answer save is the next busiest
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("bahasa/<str:code>/", core_views.language, name="language"),
    path("captcha/refresh/", captcha_refresh),  # rate-limited, before the package's own
    path("captcha/", include("captcha.urls")),
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    # Before the admin's own jsi18n (same URL, so its name still reverses here).
    path(
        "admin/jsi18n/",
        core_views.AdminJavaScriptCatalog.as_view(packages=["django.contrib.admin"]),
    ),
    path("admin/", admin.site.urls),
    path("", include("mooc.accounts.urls")),
    path("", include("mooc.privacy.urls")),
    path("", include("mooc.catalog.urls")),
    path("belajar/", include("mooc.learning.urls")),
    path("", include("mooc.certificates.urls")),
    path("", include("mooc.evaluation.urls")),
    path("", include("mooc.reports.urls")),
    path("", include("mooc.content.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
