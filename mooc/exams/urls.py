from __future__ import annotations

from django.urls import path

from mooc.exams import views, views_media

app_name = "exams"

# The requests of a running exam first (see config/urls.py).
urlpatterns = [
    path("percobaan/<int:attempt_id>/jawab/", views.save, name="save"),
    path("percobaan/<int:attempt_id>/soal/<int:position>/", views.question, name="question"),
    path("percobaan/<int:attempt_id>/status/", views.status, name="status"),
    path("riwayat/", views.history, name="history"),
    path("<int:exam_id>/", views.landing, name="landing"),
    path("<int:exam_id>/mulai/", views.start, name="start"),
    path(
        "percobaan/<int:attempt_id>/soal/<int:position>/gambar/",
        views_media.question_image,
        name="question_image",
    ),
    path("percobaan/<int:attempt_id>/kirim/", views.submit, name="submit"),
    path("percobaan/<int:attempt_id>/hasil/", views.result, name="result"),
]
