from __future__ import annotations

from django.urls import path

from mooc.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("evaluasi/<slug:slug>/", views.evaluation_form, name="form"),
    path("evaluasi/<slug:slug>/selesai/", views.evaluation_finish, name="finish"),
]
