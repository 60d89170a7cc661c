from __future__ import annotations

from django.urls import path

from bench import views
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/ceiling/", views.ceiling, name="bench_ceiling"), *site_urlpatterns]
