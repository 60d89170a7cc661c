from __future__ import annotations

import importlib.util

from django.urls import URLPattern, URLResolver, path

from bench import views
from config.urls import handler500  # noqa: F401 - the site's, for this URLconf too
from config.urls import urlpatterns as site_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/ceiling/", views.ceiling, name="bench_ceiling"),
]
# The API's answer save in Django REST framework (bench/drf_api.py), when
# requirements/bench-server.txt is installed: `exam_day.py --api --api-drf`.
if importlib.util.find_spec("rest_framework") is not None:
    from bench import drf_api

    urlpatterns.append(
        path(
            "bench/drf/v1/attempts/<int:attempt_id>/answers/",
            drf_api.answer_save,
            name="bench_drf_answer_save",
        )
    )
urlpatterns += site_urlpatterns
