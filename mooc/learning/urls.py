from __future__ import annotations

from django.urls import path

from mooc.learning import views

app_name = "learning"

urlpatterns = [
    path("<slug:slug>/", views.course_start, name="course_start"),
    path("<slug:slug>/materi/<int:material_id>/", views.material, name="material"),
    path(
        "<slug:slug>/materi/<int:material_id>/selesai/",
        views.material_complete,
        name="material_complete",
    ),
    path(
        "<slug:slug>/materi/<int:material_id>/video/", views.material_video, name="material_video"
    ),
    path("<slug:slug>/lampiran/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<slug:slug>/akhir/", views.course_end, name="course_end"),
    # Pictures in the materials' text (mooc.core.sanitize allows no other images there).
    path(
        "<slug:slug>/gambar/<str:name>",
        views.material_image,
        name="material_image",
    ),
]
