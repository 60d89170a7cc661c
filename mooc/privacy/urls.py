from __future__ import annotations

from django.urls import path

from mooc.privacy import views

app_name = "privacy"

urlpatterns = [
    path("profil/data-pribadi/", views.personal_data, name="personal_data"),
    path("profil/data-pribadi/unduh/", views.export_request, name="export_request"),
    path(
        "profil/data-pribadi/unduh/<int:export_id>/",
        views.export_download,
        name="export_download",
    ),
    path("profil/data-pribadi/hapus-akun/", views.deletion_request, name="deletion_request"),
    path("profil/data-pribadi/hapus-akun/batal/", views.deletion_cancel, name="deletion_cancel"),
]
