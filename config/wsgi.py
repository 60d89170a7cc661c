from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# What django.core.wsgi.get_wsgi_application() does, with the handler that answers
# token-carrying answer saves through a short middleware chain (mooc/exams/savelane.py).
django.setup(set_prefix=False)

from mooc.exams.savelane import SaveLaneHandler  # noqa: E402

application = SaveLaneHandler()
