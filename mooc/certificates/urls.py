from __future__ import annotations

from django.urls import path

from mooc.certificates import views

app_name = "certificates"

urlpatterns = [
    path("sertifikat/", views.certificate_list, name="list"),
    path("sertifikat/<int:certificate_id>/", views.certificate_detail, name="detail"),
    path("sertifikat/<int:certificate_id>/unduh/", views.certificate_download, name="download"),
    path("sertifikat/kursus/<slug:slug>/", views.certificate_for_course, name="for_course"),
    path("verifikasi/", views.verify, name="verify_form"),
    path("verifikasi/<str:code>/", views.verify_code, name="verify"),
]
