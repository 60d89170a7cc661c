# Placeholder routes; the content helper replaces these with the real views.
from __future__ import annotations

from django.urls import path
from django.views.generic import TemplateView

app_name = "content"

urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="home"),
    path("berita/", TemplateView.as_view(template_name="base.html"), name="news_list"),
    path("faq/", TemplateView.as_view(template_name="base.html"), name="faq"),
    path("video-tutorial/", TemplateView.as_view(template_name="base.html"), name="video_tutorials"),
]
