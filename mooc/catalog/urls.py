from __future__ import annotations

from django.urls import path

from mooc.catalog import views

app_name = "catalog"

urlpatterns = [
    path("beranda/", views.dashboard, name="dashboard"),
]
