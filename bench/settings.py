"""Production settings plus the benchmark's ceiling view (bench/urls.py).

Everything else comes from config.settings and the environment exactly as in
production; only the URLconf differs, so the ceiling view is never part of the
real site.
"""

from __future__ import annotations

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
