from __future__ import annotations

from django.urls import path

from mooc.content import views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("berita/", views.news_list, name="news_list"),
    path("berita/<slug:slug>/", views.news_detail, name="news_detail"),
    path("faq/", views.faq, name="faq"),
    path("video-tutorial/", views.video_tutorials, name="video_tutorials"),
]
