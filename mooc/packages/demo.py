"""Demo courses, shipped as course packages and imported like any other package.

Each folder in `demo_courses/` is one package. Importing is idempotent: a second
`load_demo` changes nothing unless a package changed.
"""

from __future__ import annotations

from pathlib import Path

from mooc.packages.importer import course_package_import

DEMO_COURSES_DIR = Path(__file__).resolve().parent / "demo_courses"


def demo_packages() -> list[Path]:
    return sorted(path.parent for path in DEMO_COURSES_DIR.glob("*/course.yaml"))


def load() -> None:
    for folder in demo_packages():
        report = course_package_import(source=folder)
        if not report.committed:
            problems = "\n".join(f"  {error}" for error in report.errors)
            raise RuntimeError(f"The demo package {folder.name} does not import:\n{problems}")
