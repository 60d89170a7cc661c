from __future__ import annotations

from django.urls import path

from mooc.catalog import views

app_name = "catalog"

urlpatterns = [
    path("beranda/", views.dashboard, name="dashboard"),
    path("pelatihan/", views.catalogue, name="catalogue"),
    path("pelatihan/<slug:slug>/", views.course_detail, name="course_detail"),
    path("pelatihan/<slug:slug>/daftar/", views.enroll, name="enroll"),
    path("pelatihan/<slug:slug>/favorit/", views.favorite_toggle, name="favorite_toggle"),
    path("favorit/", views.favorites, name="favorites"),
    path("kursus-saya/", views.my_courses, name="my_courses"),
]
